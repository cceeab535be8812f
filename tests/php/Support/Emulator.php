<?php
declare(strict_types=1);

namespace WebTotem\Tests\Support;

/**
 * Runs `webtotem-api-emulator` (the test double of the WebTotem API) on a
 * free port of 127.0.0.1 for one test, and stops it when dropped.
 */
final class Emulator
{
    public const API_KEY = 'php-test-key';

    /** @var resource */
    private $proc;
    /** @var array<int, resource> */
    private array $pipes = [];
    public readonly string $base;
    public readonly ?string $caPem;
    private ?string $caFile;

    /** @param list<string> $args extra command-line arguments */
    public function __construct(bool $tls = false, array $args = [])
    {
        $bin = WT_REPO . '/target/release/webtotem-api-emulator';
        if (!is_executable($bin)) {
            throw new \RuntimeException("$bin is missing: run cargo build --release");
        }
        $this->caFile = $tls ? tempnam(sys_get_temp_dir(), 'wt-ca') : null;
        $cmd = [$bin, '--listen', '127.0.0.1:0', '--api-key', self::API_KEY, '--max-lifetime-secs', '300', '--slow-ms', '2000', ...$args];
        if ($tls) {
            array_push($cmd, '--tls', '--cert-out', $this->caFile);
        }
        $proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $this->pipes);
        if (!is_resource($proc)) {
            throw new \RuntimeException('cannot start the emulator');
        }
        $this->proc = $proc;
        $line = (string) fgets($this->pipes[1]);
        if (!preg_match('~^listening on (https?://127\.0\.0\.1:\d+)$~', trim($line), $m)) {
            throw new \RuntimeException("the emulator said: $line");
        }
        $this->base = $m[1];
        $this->caPem = $tls ? (string) file_get_contents($this->caFile) : null;
    }

    public function __destruct()
    {
        proc_terminate($this->proc);
        foreach ($this->pipes as $p) {
            if (is_resource($p)) {
                fclose($p);
            }
        }
        proc_close($this->proc);
        if ($this->caFile !== null) {
            @unlink($this->caFile);
        }
    }

    /** A `$connection` array for the extension's API functions. */
    public function connection(array $extra = []): array
    {
        $conn = ['endpoint' => $this->base . '/v1/graphql', 'api_key' => self::API_KEY, 'timeout_ms' => 5000];
        if ($this->caPem !== null) {
            $conn['ca_cert_pem'] = $this->caPem;
        }
        return array_merge($conn, $extra);
    }

    /** Calls an `/__emulator/` control endpoint (GET without a body, POST with one). */
    public function admin(string $command, ?array $body = null): array
    {
        $http = ['method' => $body === null ? 'GET' : 'POST', 'ignore_errors' => true, 'timeout' => 5];
        if ($body !== null) {
            $http['header'] = "Content-Type: application/json\r\n";
            $http['content'] = json_encode($body, JSON_THROW_ON_ERROR);
        }
        $ssl = $this->caFile !== null ? ['cafile' => $this->caFile, 'verify_peer' => true, 'peer_name' => '127.0.0.1'] : [];
        $out = file_get_contents($this->base . '/__emulator/' . $command, false, stream_context_create(['http' => $http, 'ssl' => $ssl]));
        if ($out === false) {
            throw new \RuntimeException("emulator command $command failed");
        }
        return json_decode($out, true, 512, JSON_THROW_ON_ERROR);
    }

    /** Queues `$fault` for the next `$count` requests it applies to. */
    public function fault(string $fault, int $count = 1): void
    {
        $this->admin('fault', ['fault' => $fault, 'count' => $count]);
    }

    /** The file holding the emulator's CA certificate (HTTPS only). */
    public function caFile(): ?string
    {
        return $this->caFile;
    }

    /** How many times operation `$name` (e.g. `Auth`) was called. */
    public function operations(string $name): int
    {
        return $this->admin('state')['operations'][$name] ?? 0;
    }

    /** The research uploads kept: `samples` and `logs`. */
    public function research(): array
    {
        return $this->admin('research');
    }

    /** HTTP requests the emulator has answered (control endpoints aside). */
    public function requests(): int
    {
        return $this->admin('state')['requests'];
    }
}
