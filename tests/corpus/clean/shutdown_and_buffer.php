<?php
/**
 * clean test file: register_shutdown_function() and ob_start() with
 * callbacks defined by the code (a method and the built-in gzip handler).
 */

final class RequestLogger
{
    private array $lines = [];
    private float $start;

    public function __construct(private string $logFile)
    {
        $this->start = microtime(true);
        register_shutdown_function([$this, 'flush']);
    }

    public function log(string $message): void
    {
        $this->lines[] = date('c') . ' ' . $message;
    }

    public function flush(): void
    {
        $err = error_get_last();
        if ($err !== null && in_array($err['type'], [E_ERROR, E_PARSE, E_CORE_ERROR], true)) {
            $this->log('fatal: ' . $err['message']);
        }
        $this->log(sprintf('done in %.1f ms', (microtime(true) - $this->start) * 1000));
        file_put_contents($this->logFile, implode("\n", $this->lines) . "\n", FILE_APPEND | LOCK_EX);
    }
}

if (!ini_get('zlib.output_compression') && extension_loaded('zlib')) {
    ob_start('ob_gzhandler');
} else {
    ob_start();
}
ob_start(static function (string $html): string {
    return preg_replace('/>\s+</', '><', $html);   // whitespace minifier
});

$logger = new RequestLogger(__DIR__ . '/../var/log/requests.log');
$logger->log('GET ' . ($_SERVER['REQUEST_URI'] ?? '/'));
echo "<html>\n  <body>\n    <p>Hello</p>\n  </body>\n</html>";
