<?php
/**
 * clean test file: a page cache that stores gzdeflate()d, base64-free HTML
 * in its own cache directory and reads it back with gzinflate(). The
 * inflated data is echoed as HTML, never evaluated; serialize() is avoided
 * in favour of JSON metadata.
 */

final class PageCache
{
    public function __construct(private string $dir, private int $ttl = 600)
    {
    }

    private function path(string $url): string
    {
        return $this->dir . '/' . hash('sha256', $url) . '.gz';
    }

    public function get(string $url): ?string
    {
        $file = $this->path($url);
        if (!is_file($file) || filemtime($file) < time() - $this->ttl) {
            return null;
        }
        $html = gzinflate((string) file_get_contents($file));
        return $html === false ? null : $html;
    }

    public function put(string $url, string $html): void
    {
        file_put_contents($this->path($url), gzdeflate($html, 6), LOCK_EX);
        file_put_contents($this->dir . '/index.json', json_encode(['url' => $url, 'time' => time()]) . "\n", FILE_APPEND | LOCK_EX);
    }
}

$cache = new PageCache(__DIR__ . '/../var/page-cache');
$key = ($_SERVER['HTTP_HOST'] ?? 'localhost') . ($_SERVER['REQUEST_URI'] ?? '/');
if (($hit = $cache->get($key)) !== null) {
    header('X-Cache: HIT');
    echo $hit;
    return;
}
ob_start();
echo '<html><body><h1>Fresh page</h1></body></html>';
$cache->put($key, (string) ob_get_contents());
ob_end_flush();
