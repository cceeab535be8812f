<?php
/**
 * clean test file: include driven by $_GET['page'], but only through an
 * allow-list that maps page names to fixed files in the app's views
 * directory (no path from the request reaches include).
 */

$pages = [
    'home' => 'home.php',
    'about' => 'about.php',
    'pricing' => 'pricing.php',
    'contact' => 'contact.php',
];

$page = isset($_GET['page']) && is_string($_GET['page']) ? $_GET['page'] : 'home';
if (!array_key_exists($page, $pages)) {
    http_response_code(404);
    $page = 'home';
}

include __DIR__ . '/views/header.php';
include __DIR__ . '/views/' . $pages[$page];
include __DIR__ . '/views/footer.php';
