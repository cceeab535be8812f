<?php
/**
 * The site and request the firewall agent benchmarks use
 * (benches/firewall_agent.php, benches/firewall_agent_instructions.php,
 * benches/firewall_inspect_cold.php).
 */
declare(strict_types=1);

/** The agent's file name in the benchmark sites. */
const BENCH_AGENT = 'wt-bench0123456789abcdef0123456789ab.php';

/**
 * Writes two sites under `$base`: `plain` (a minimal index.php) and
 * `hooked` (the same with the agent hooked in).
 */
function bench_sites(string $base): void
{
    // A site's index.php reads the request, as every PHP application does:
    // the superglobals are built on first use (auto_globals_jit), and that
    // cost is the site's, with or without the agent.
    $index = "<?php\n\$uri = \$_SERVER['REQUEST_URI'] ?? '';\n\$query = \$_GET;\n\$cookies = \$_COOKIE;\necho 'ok';\n";
    // Flood counting runs on every request, with a limit no benchmark
    // reaches, so that every request is inspected.
    $agent = webtotem_render_firewall_agent(['site_key' => str_repeat('ab', 32), 'state_dir_name' => 'wt-bench-state', 'flood_requests' => 1000000000, 'flood_window' => 60]);
    foreach (['plain' => $index, 'hooked' => webtotem_firewall_hook($index, BENCH_AGENT)] as $name => $code) {
        mkdir("$base/$name", 0700, true);
        file_put_contents("$base/$name/index.php", $code);
        file_put_contents("$base/$name/" . BENCH_AGENT, $agent);
    }
}

/** The typical request's query string: a search with a few parameters. */
function bench_query(): string
{
    return http_build_query([
        'q' => 'blue cotton shirt with long sleeves',
        'category' => 'men/clothing/shirts',
        'sort' => 'price_asc', 'page' => '3', 'per_page' => '24',
        'utm_source' => 'newsletter', 'utm_medium' => 'email', 'utm_campaign' => 'winter-sale-2026',
        'filter' => 'size:M,L;colour:blue,navy;brand:Acme Outdoor',
        'ref' => 'https://www.example.com/blog/how-to-choose-a-shirt?utm_source=x',
    ]);
}

/** The typical request's line and a browser's headers (no final blank line). */
function bench_head(): string
{
    return 'GET /search?' . bench_query() . " HTTP/1.1\r\n"
        . "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n"
        . "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
        . "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n"
        . "Referer: https://shop.example.com/men/clothing\r\n"
        . "Cookie: session_id=4f1c2a9e8b7d6c5e4f3a2b1c0d9e8f7a; cart=3; lang=en\r\n"
        . "Upgrade-Insecure-Requests: 1";
}

/** The same request as the array webtotem_waf_inspect() and the agent's inspect() take. */
function bench_request(): array
{
    parse_str(bench_query(), $get);
    return [
        'method' => 'GET', 'uri' => '/search?' . bench_query(),
        'headers' => [
            'user-agent' => 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
            'accept' => 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
            'accept-language' => 'en-US,en;q=0.5', 'accept-encoding' => 'gzip, deflate, br',
            'referer' => 'https://shop.example.com/men/clothing', 'upgrade-insecure-requests' => '1',
        ],
        'cookies' => ['session_id' => '4f1c2a9e8b7d6c5e4f3a2b1c0d9e8f7a', 'cart' => '3', 'lang' => 'en'],
        'query' => $get, 'post' => [], 'body' => '', 'files' => [], 'ip' => '203.0.113.9',
    ];
}

/** The median of `$xs`. */
function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}
