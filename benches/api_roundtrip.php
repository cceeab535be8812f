<?php
/**
 * Round trip PHP → WebTotem API emulator → PHP on loopback (target: median
 * under 5 ms), with a new client per call as in production (no connection
 * reuse between PHP calls):
 *   - webtotem_api_host() with a stored token (1 request), over HTTP and HTTPS;
 *   - webtotem_api_host_checks() (1 request, nine modules);
 *   - webtotem_api_dashboard() for 100 hosts (2 requests with a stored token).
 *
 * Run: php -d extension=$PWD/target/release/libwebtotem.so benches/api_roundtrip.php
 * (scripts/bench.sh does the build and the run). Talks to 127.0.0.1 only.
 */
declare(strict_types=1);

const ROUNDS = 300;

function start_emulator(bool $tls, string $caFile): array
{
    $cmd = [__DIR__ . '/../target/release/webtotem-api-emulator', '--listen', '127.0.0.1:0', '--api-key', 'bench-key',
            '--seed-hosts', '100', '--hosts-limit', '1000', '--max-lifetime-secs', '600'];
    if ($tls) {
        array_push($cmd, '--tls', '--cert-out', $caFile);
    }
    $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $line = trim((string) fgets($pipes[1]));
    if (!preg_match('~^listening on (\S+)$~', $line, $m)) {
        throw new RuntimeException("emulator: $line");
    }
    $conn = ['endpoint' => $m[1] . '/v1/graphql', 'api_key' => 'bench-key'];
    if ($tls) {
        $conn['ca_cert_pem'] = file_get_contents($caFile);
    }
    return [$proc, $conn];
}

/** @return array{float, float, float} median, p90, min in milliseconds */
function measure(callable $f, int $rounds = ROUNDS): array
{
    for ($i = 0; $i < 10; $i++) {
        $f();
    }
    $t = [];
    for ($i = 0; $i < $rounds; $i++) {
        $s = hrtime(true);
        $f();
        $t[] = (hrtime(true) - $s) / 1e6;
    }
    sort($t);
    return [$t[intdiv(count($t), 2)], $t[(int) (count($t) * 0.9)], $t[0]];
}

$caFile = tempnam(sys_get_temp_dir(), 'wt-bench-ca');
foreach ([false, true] as $tls) {
    [$proc, $conn] = start_emulator($tls, $caFile);
    $conn['token'] = webtotem_api_login($conn)['token'];
    $scheme = $tls ? 'https' : 'http ';
    $rows = [
        'webtotem_api_host (1 request)' => fn () => webtotem_api_host($conn, 1),
        'webtotem_api_host_checks (1 request)' => fn () => webtotem_api_host_checks($conn, 1),
        'webtotem_api_dashboard, 100 hosts (2 requests)' => fn () => webtotem_api_dashboard($conn),
    ];
    foreach ($rows as $name => $f) {
        [$median, $p90, $min] = measure($f, str_contains($name, 'dashboard') ? 60 : ROUNDS);
        printf("%s %-48s median %6.2f ms  p90 %6.2f ms  min %6.2f ms\n", $scheme, $name, $median, $p90, $min);
    }
    proc_terminate($proc);
    proc_close($proc);
}
unlink($caFile);
