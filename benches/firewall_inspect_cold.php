<?php
/**
 * Why the firewall agent costs more per request in a server than in a
 * loop: an inspection with cold caches against one with warm ones, for
 * both engines, in this process.
 *
 * Between two requests a web server's process sleeps and the kernel and
 * other processes run, so the engine's code and tables are no longer in
 * the core's own caches when the next request comes. This benchmark
 * stands for that by writing 8 MiB (four times this machine's 2 MiB of
 * L2 per core) before an inspection, and times that inspection and the
 * one right after it, on the agent benchmark's typical request.
 *
 * Run: php -d extension=$PWD/target/release/libwebtotem.so -d opcache.enable_cli=1 \
 *          benches/firewall_inspect_cold.php
 * (scripts/bench.sh does the build and the run; pin it to one CPU with
 * `taskset -c 0` for steadier figures).
 */
declare(strict_types=1);

require __DIR__ . '/firewall_agent_site.php';

const ROUNDS = 300;
const EVICT_BYTES = 8 << 20;

if (!function_exists('webtotem_render_firewall_agent')) {
    fwrite(STDERR, "run with -d extension=…/libwebtotem.so\n");
    exit(2);
}

$agent = sys_get_temp_dir() . '/wt-fw-cold-' . bin2hex(random_bytes(4)) . '.php';
file_put_contents($agent, webtotem_render_firewall_agent(['site_key' => str_repeat('ab', 32), 'state_dir_name' => 'wt-bench-state']));
require $agent; // defines the agent's functions; run() does nothing on the CLI
unlink($agent);

$request = bench_request();

$engines = [
    'PCRE twin' => fn () => \WebTotem\FirewallAgent\inspect($request),
    'webtotem_waf_inspect()' => fn () => webtotem_waf_inspect($request),
];
printf("%-24s %12s %12s\n", 'engine', 'cold µs', 'warm µs');
foreach ($engines as $name => $inspect) {
    for ($i = 0; $i < 50; $i++) {
        $inspect();
    }
    $cold = [];
    $warm = [];
    for ($i = 0; $i < ROUNDS; $i++) {
        // Written, not only allocated, so that the lines really pass through the caches.
        $evict = str_repeat(chr($i & 0xff), EVICT_BYTES);
        $evict[1] = 'x';
        unset($evict);
        $t = hrtime(true);
        $inspect();
        $cold[] = hrtime(true) - $t;
        $t = hrtime(true);
        $inspect();
        $warm[] = hrtime(true) - $t;
    }
    printf("%-24s %12.1f %12.1f\n", $name, median($cold) / 1000, median($warm) / 1000);
}
printf("\nopcache %s; %d rounds of %d MiB written, then a cold and a warm inspection\n",
    ini_get('opcache.enable_cli') ? 'on' : 'off', ROUNDS, EVICT_BYTES >> 20);
