<?php
/**
 * The firewall agent's cost per request in CPU instructions, which, unlike
 * latency, does not move with whatever else the machine is doing: the
 * same site and request as benches/firewall_agent.php, each server (plain,
 * agent on the PCRE path, agent on the native path) run under valgrind's
 * callgrind; after a warm-up the counters are zeroed, REQUESTS requests
 * sent, and the server's instructions divided by them. Kernel time (system
 * calls) is not counted: it is what the latency benchmark adds.
 *
 * Run: php -d extension=$PWD/target/release/libwebtotem.so benches/firewall_agent_instructions.php
 * (scripts/bench.sh installs valgrind and runs it). Talks to 127.0.0.1 only.
 */
declare(strict_types=1);

const REQUESTS = 200;
require __DIR__ . '/firewall_agent_site.php';

foreach (['valgrind', 'callgrind_control'] as $tool) {
    if (trim((string) shell_exec('command -v ' . $tool)) === '') {
        fwrite(STDERR, "needs $tool (apt-get install valgrind)\n");
        exit(2);
    }
}
if (!function_exists('webtotem_render_firewall_agent')) {
    fwrite(STDERR, "run with -d extension=…/libwebtotem.so\n");
    exit(2);
}
$so = dirname(__DIR__) . '/target/release/libwebtotem.so';

$base = sys_get_temp_dir() . '/wt-fw-instr-' . bin2hex(random_bytes(4));
bench_sites($base);
$head = bench_head() . "\r\n\r\n";

/** Sends the request to 127.0.0.1:$port; the body. */
function send(int $port, string $head): string
{
    $s = @fsockopen('127.0.0.1', $port, $errno, $error, 30);
    if ($s === false) {
        return '';
    }
    fwrite($s, $head);
    $answer = (string) stream_get_contents($s);
    fclose($s);
    return (string) substr($answer, (int) strpos($answer, "\r\n\r\n") + 4);
}

/** Instructions per request of a `php -S` serving $dir under callgrind. */
function instructions(string $dir, bool $extension, string $so, string $head): int
{
    $port = 20000 + random_int(0, 20000);
    $out = "$dir.callgrind";
    $cmd = ['valgrind', '--tool=callgrind', "--callgrind-out-file=$out", PHP_BINARY, '-n'];
    if ($extension) {
        array_push($cmd, '-d', "extension=$so");
    }
    foreach (['zend_extension' => 'opcache', 'opcache.enable' => '1', 'opcache.enable_cli' => '1', 'opcache.validate_timestamps' => '0', 'pcre.jit' => '1'] as $k => $v) {
        array_push($cmd, '-d', "$k=$v");
    }
    array_push($cmd, '-S', "127.0.0.1:$port", '-t', $dir);
    $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'a'], 2 => ['file', "$dir.log", 'a']], $pipes);
    $pid = proc_get_status($proc)['pid'];
    try {
        for ($i = 0; $i < 600 && send($port, "GET / HTTP/1.1\r\n\r\n") === ''; $i++) {
            usleep(100000);
        }
        for ($i = 0; $i < 30; $i++) {
            if (send($port, $head) !== 'ok') {
                throw new RuntimeException("$dir: the site did not answer ok");
            }
        }
        exec("callgrind_control -z $pid 2>&1");
        for ($i = 0; $i < REQUESTS; $i++) {
            send($port, $head);
        }
        exec("callgrind_control -d $pid 2>&1");
        usleep(300000);
        $total = 0;
        foreach (glob("$out*") ?: [] as $dump) {
            if (preg_match('~^(?:summary|totals): (\d+)~m', (string) file_get_contents($dump), $m)) {
                $total = max($total, (int) $m[1]);
            }
        }
        return intdiv($total, REQUESTS);
    } finally {
        proc_terminate($proc);
        proc_close($proc);
    }
}

$plainBare = instructions("$base/plain", false, $so, $head);
$pcre = instructions("$base/hooked", false, $so, $head);
$plainExt = instructions("$base/plain", true, $so, $head);
$native = instructions("$base/hooked", true, $so, $head);
printf("instructions per request (callgrind, php -S, opcache, %d requests)\n", REQUESTS);
printf("%-28s %10d\n", 'plain site, bare PHP', $plainBare);
printf("%-28s %10d  (+%d)\n", 'agent, PCRE path', $pcre, $pcre - $plainBare);
printf("%-28s %10d\n", 'plain site, extension', $plainExt);
printf("%-28s %10d  (+%d)\n", 'agent, native path', $native, $native - $plainExt);
exec('rm -rf ' . escapeshellarg($base));
