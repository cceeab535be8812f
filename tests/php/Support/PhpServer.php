<?php
declare(strict_types=1);

namespace WebTotem\Tests\Support;

/**
 * `php -S` on a free port of 127.0.0.1 serving a directory: bare PHP
 * (`-n`, plus tokenizer where it is a shared module) or with the WebTotem
 * extension, and any `-d` settings. Stopped when dropped.
 */
final class PhpServer
{
    /** @var resource */
    private $proc;
    public readonly int $port;
    public readonly string $log;

    /** @param array<string, string> $ini extra `-d` settings */
    public function __construct(string $docroot, bool $withExtension, array $ini = [], ?string $router = null)
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $this->port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        $cmd = [PHP_BINARY, '-n'];
        $modules = Process::run([PHP_BINARY, '-n', '-m'])['stdout'];
        if (!preg_match('/^tokenizer$/m', $modules)) {
            array_push($cmd, '-d', 'extension=tokenizer');
        }
        if ($withExtension) {
            array_push($cmd, '-d', 'extension=' . WT_REPO . '/target/release/libwebtotem.so');
        }
        foreach ($ini as $name => $value) {
            array_push($cmd, '-d', "$name=$value");
        }
        array_push($cmd, '-S', '127.0.0.1:' . $this->port, '-t', $docroot);
        if ($router !== null) {
            $cmd[] = $router;
        }
        $this->log = $docroot . '.server.log';
        $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $this->log, 'a'], 2 => ['file', $this->log, 'a']], $pipes);
        if (!is_resource($proc)) {
            throw new \RuntimeException('cannot start php -S');
        }
        $this->proc = $proc;
        for ($i = 0; $i < 100; $i++) {
            $socket = @fsockopen('127.0.0.1', $this->port, $errno, $error, 0.2);
            if ($socket !== false) {
                fclose($socket);
                return;
            }
            usleep(50000);
        }
        throw new \RuntimeException('php -S did not start: ' . @file_get_contents($this->log));
    }

    public function __destruct()
    {
        proc_terminate($this->proc);
        proc_close($this->proc);
    }

    /**
     * Sends `$head` (request line and headers, without the blank line;
     * `Host` and `Connection: close` are added, and `Content-Length` when
     * there is a body) and `$body` as they are, byte for byte.
     *
     * @return array{status: int, headers: array<string, string>, body: string}
     */
    public function raw(string $head, string $body = ''): array
    {
        $socket = stream_socket_client('tcp://127.0.0.1:' . $this->port, $errno, $error, 5);
        if ($socket === false) {
            throw new \RuntimeException("cannot connect: $error");
        }
        stream_set_timeout($socket, 20);
        $head = rtrim($head, "\r\n") . "\r\nHost: 127.0.0.1:" . $this->port . "\r\nConnection: close\r\n";
        if ($body !== '' && stripos($head, "\ncontent-length:") === false) {
            $head .= 'Content-Length: ' . strlen($body) . "\r\n";
        }
        fwrite($socket, $head . "\r\n" . $body);
        $answer = stream_get_contents($socket);
        fclose($socket);
        [$top, $content] = explode("\r\n\r\n", (string) $answer, 2) + [1 => ''];
        $lines = explode("\r\n", $top);
        if (!preg_match('~^HTTP/1\.[01] (\d{3})~', (string) array_shift($lines), $m)) {
            throw new \RuntimeException('not an HTTP answer: ' . substr((string) $answer, 0, 200));
        }
        $headers = [];
        foreach ($lines as $line) {
            [$name, $value] = explode(':', $line, 2) + [1 => ''];
            $headers[strtolower(trim($name))] = trim($value);
        }
        return ['status' => (int) $m[1], 'headers' => $headers, 'body' => $content];
    }
}
