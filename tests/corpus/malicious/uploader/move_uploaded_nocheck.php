<?php
// Test sample: saves the upload under the client-supplied name, no checks.
if (isset($_FILES['f'])) {
    if (move_uploaded_file($_FILES['f']['tmp_name'], $_FILES['f']['name'])) {
        echo 'OK: ' . $_FILES['f']['name'];
    } else {
        echo 'FAIL';
    }
}
?>
<form method="post" enctype="multipart/form-data">
<input type="file" name="f"><input type="submit" value="Upload">
</form>
