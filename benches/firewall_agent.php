<?php
/**
 * The firewall agent's cost (issue targets: under 0.3 ms added per request
 * on the PCRE path, under 0.05 ms when it calls the native engine; opcache
 * on, as in production):
 *   1. end to end: a typical request (about 1 KB of query and headers) to a
 *      minimal index.php (it reads $_SERVER, $_GET and $_COOKIE, as every
 *      application does) served by `php -S` with opcache, without the agent
 *      and with it hooked in (flood counting on: in files on the PCRE path,
 *      in the extension's shared counters on the native path; nothing to log),
 *      on the PCRE path (bare PHP) and the native path (the extension
 *      loaded); the added time is the difference of the median latencies;
 *   2. in process: the inspection alone, the PCRE twin against
 *      webtotem_waf_inspect(), per call.
 *
 * Run: php -d extension=$PWD/target/release/libwebtotem.so benches/firewall_agent.php
 * (scripts/bench.sh does the build and the run). Talks to 127.0.0.1 only.
 */
declare(strict_types=1);

define('WT_REPO', dirname(__DIR__));
require WT_REPO . '/tests/php/Support/Process.php';
require WT_REPO . '/tests/php/Support/PhpServer.php';
require __DIR__ . '/firewall_agent_site.php';

use WebTotem\Tests\Support\PhpServer;

const ROUNDS = 6;
const PER_ROUND = 500;

if (!function_exists('webtotem_render_firewall_agent')) {
    fwrite(STDERR, "run with -d extension=…/libwebtotem.so\n");
    exit(2);
}

$base = sys_get_temp_dir() . '/wt-fw-bench-' . bin2hex(random_bytes(4));
bench_sites($base);
$head = bench_head();
$size = strlen($head);

$opcache = ['zend_extension' => 'opcache', 'opcache.enable' => '1', 'opcache.enable_cli' => '1', 'opcache.validate_timestamps' => '0'];
$servers = [
    'plain, bare PHP' => new PhpServer("$base/plain", false, $opcache),
    'agent, PCRE path' => new PhpServer("$base/hooked", false, $opcache),
    'plain, extension loaded' => new PhpServer("$base/plain", true, $opcache),
    'agent, native path' => new PhpServer("$base/hooked", true, $opcache),
];
$latencies = array_fill_keys(array_keys($servers), []);
foreach ($servers as $name => $s) {
    for ($i = 0; $i < 100; $i++) {
        $r = $s->raw($head);
        if ($r['status'] !== 200 || $r['body'] !== 'ok') {
            throw new RuntimeException("$name: {$r['status']} " . substr($r['body'], 0, 200));
        }
    }
}
for ($round = 0; $round < ROUNDS; $round++) {
    foreach ($servers as $name => $s) {
        for ($i = 0; $i < PER_ROUND; $i++) {
            $t = hrtime(true);
            $r = $s->raw($head);
            $latencies[$name][] = (hrtime(true) - $t) / 1e6;
            if ($r['status'] !== 200 || $r['body'] !== 'ok') {
                throw new RuntimeException("$name: {$r['status']} " . substr($r['body'], 0, 200));
            }
        }
    }
}

printf("typical request: %d bytes of request line and headers, %d requests per server, opcache on\n\n", $size, ROUNDS * PER_ROUND);
printf("%-26s %12s %12s\n", 'server', 'median ms', 'p90 ms');
$medians = [];
foreach ($latencies as $name => $xs) {
    sort($xs);
    $medians[$name] = median($xs);
    printf("%-26s %12.3f %12.3f\n", $name, $medians[$name], $xs[(int) (count($xs) * 0.9)]);
}
printf("\nadded by the agent, PCRE path:   %.3f ms\n", $medians['agent, PCRE path'] - $medians['plain, bare PHP']);
printf("added by the agent, native path: %.3f ms\n", $medians['agent, native path'] - $medians['plain, extension loaded']);
$servers = null;

// 2. The inspection alone, in this process.
require "$base/hooked/" . BENCH_AGENT; // defines the agent's functions; run() does nothing on the CLI
$request = bench_request();
$calls = 5000;
$t = hrtime(true);
for ($i = 0; $i < $calls; $i++) {
    \WebTotem\FirewallAgent\inspect($request);
}
$pcre = (hrtime(true) - $t) / 1e3 / $calls;
$t = hrtime(true);
for ($i = 0; $i < $calls; $i++) {
    webtotem_waf_inspect($request);
}
$native = (hrtime(true) - $t) / 1e3 / $calls;
printf("\ninspection alone (this PHP%s): PCRE twin %.1f µs, webtotem_waf_inspect() %.1f µs per call\n",
    ini_get('opcache.enable_cli') ? ', opcache' : '', $pcre, $native);
exec('rm -rf ' . escapeshellarg($base) . ' ' . escapeshellarg("$base/plain.server.log") . ' ' . escapeshellarg("$base/hooked.server.log"));
