<?php
/**
 * Demo of the firewall: the agent is rendered for a sample site, hooked
 * into its index.php and served by `php -S` on 127.0.0.1, first as bare PHP
 * (the agent's PCRE rules), then with the extension loaded (the native
 * engine): a benign request passes, an attack is blocked with its log line,
 * a flood is throttled, the WebTotem server reads the log with a signed
 * request, and the site is unhooked back to its original bytes.
 */
declare(strict_types=1);

$base = $argv[1] ?? sys_get_temp_dir() . '/webtotem-demo';
$so = $argv[2] ?? '';
$site = "$base/vhosts/blog.example/httpdocs";
@mkdir($site, 0755, true);
$original = "<?php\n/* Front to the blog. */\ndefine('WP_USE_THEMES', true);\nrequire __DIR__ . '/wp-blog-header.php';\n";
file_put_contents("$site/index.php", $original);
file_put_contents("$site/wp-blog-header.php", "<?php\n\$q = isset(\$_GET['s']) ? (string) \$_GET['s'] : '';\necho '<h1>Blog</h1><p>Search: ', htmlspecialchars(\$q), \"</p>\\n\";\n");

$key = bin2hex(random_bytes(32));
$state = 'wt-fw-' . bin2hex(random_bytes(4));
$agent = webtotem_agent_file_name();
file_put_contents("$site/$agent", webtotem_render_firewall_agent([
    'site_key' => $key,
    'state_dir_name' => $state,
    'state_dir_path' => "$base/var/blog.example",
    'flood_requests' => 10,
    'flood_window' => 60,
]));
$hooked = webtotem_firewall_hook($original, $agent);
file_put_contents("$site/index.php", $hooked);
printf("agent %s (%d bytes) hooked into index.php:\n", $agent, filesize("$site/$agent"));
foreach (explode("\n", $hooked) as $n => $line) {
    if (strpos($line, 'WebTotem firewall hook') !== false) {
        printf("  line %d: %s\n", $n + 1, strlen($line) > 150 ? substr($line, 0, 147) . '...' : $line);
    }
}

/** Starts `php -S` on a free port; returns [process, port]. */
function serve(string $root, string $so): array
{
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
    fclose($probe);
    $cmd = [PHP_BINARY, '-n'];
    if ($so !== '') {
        array_push($cmd, '-d', "extension=$so");
    }
    array_push($cmd, '-S', "127.0.0.1:$port", '-t', $root);
    $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    for ($i = 0; $i < 100 && !($s = @fsockopen('127.0.0.1', $port, $e, $m, 0.2)); $i++) {
        usleep(50000);
    }
    if ($s) {
        fclose($s);
    }
    return [$proc, $port];
}

/** One request: [status, headers, body]. */
function request(int $port, string $method, string $target, string $body = '', array $headers = []): array
{
    $lines = ["User-Agent: Mozilla/5.0 (demo)", 'Connection: close'];
    foreach ($headers as $n => $v) {
        $lines[] = "$n: $v";
    }
    $ctx = stream_context_create(['http' => ['method' => $method, 'header' => implode("\r\n", $lines), 'content' => $body, 'ignore_errors' => true]]);
    $answer = (string) file_get_contents("http://127.0.0.1:$port$target", false, $ctx);
    $status = (int) substr($http_response_header[0], 9, 3);
    $h = [];
    foreach (array_slice($http_response_header, 1) as $line) {
        [$n, $v] = explode(':', $line, 2) + [1 => ''];
        $h[strtolower($n)] = trim($v);
    }
    return [$status, $h, $answer];
}

$log = "$base/var/blog.example/$state/firewall.log";
foreach (['bare PHP: the agent runs its PCRE rules' => '', 'the extension loaded: the agent calls the native engine' => $so] as $title => $ext) {
    echo "\n-- served by php -S, $title --\n";
    // A fresh log and fresh flood counters for each run.
    exec('rm -rf ' . escapeshellarg(dirname($log) . '/flood') . ' ' . escapeshellarg($log));
    [$proc, $port] = serve($site, $ext);
    [$status, , $body] = request($port, 'GET', '/?s=' . rawurlencode("O'Brien's union of flavours"));
    printf("GET /?s=O'Brien's union of flavours           -> %d %s\n", $status, trim(strip_tags($body)));
    [$status, $h] = request($port, 'GET', '/?s=' . rawurlencode("1' UNION SELECT user_pass FROM wp_users-- -"));
    printf("GET /?s=1' UNION SELECT user_pass FROM wp_users-- -> %d, request id %s\n", $status, $h['x-webtotem-request-id'] ?? '-');
    [$status, $h] = request($port, 'POST', '/', 'comment=' . rawurlencode('<img src=x onerror=alert(document.cookie)>'), ['Content-Type' => 'application/x-www-form-urlencoded']);
    printf("POST comment=<img src=x onerror=alert(...)>   -> %d, request id %s\n", $status, $h['x-webtotem-request-id'] ?? '-');
    $codes = [];
    for ($i = 0; $i < 14; $i++) {
        $codes[] = request($port, 'GET', "/?page=$i")[0];
    }
    echo "14 more requests (limit: 10 a minute in all)  -> ", implode(' ', $codes), "\n";
    foreach (webtotem_firewall_parse_log((string) file_get_contents($log))['events'] as $e) {
        printf("  log: %s %-9s %-6s score %2d  %s  %s\n", $e['id'], $e['action'], $e['class'] ?? '-', $e['score'], implode(',', $e['rules']), $e['engine']);
    }
    proc_terminate($proc);
    proc_close($proc);
}

echo "\nthe WebTotem server reads the log with a signed request (anyone else gets the site):\n";
exec('rm -rf ' . escapeshellarg(dirname($log) . '/flood'));
[$proc, $port] = serve($site, $so);
$body = json_encode(['action' => 'log', 'log_id' => '', 'offset' => 0]);
$ts = time();
$nonce = bin2hex(random_bytes(16));
[$status, , $answer] = request($port, 'POST', '/', $body, [
    'Content-Type' => 'application/json',
    'X-WebTotem-Timestamp' => (string) $ts,
    'X-WebTotem-Nonce' => $nonce,
    'X-WebTotem-Signature' => webtotem_sign_agent_request($key, $ts, $nonce, $body),
]);
$answer = json_decode($answer, true);
$parsed = webtotem_firewall_parse_log($answer['data'], $answer['offset']);
printf("  signed: %d, %d bytes, %d events (%s), next offset %d\n", $status, strlen($answer['data']), count($parsed['events']),
    implode(', ', array_map(fn ($k, $v) => "$k $v", array_keys($parsed['by_action']), $parsed['by_action'])), $answer['next']['offset']);
[$status, , $page] = request($port, 'POST', '/', $body, ['Content-Type' => 'application/json', 'X-WebTotem-Signature' => str_repeat('0', 64)]);
printf("  forged: %d %s\n", $status, strtok(trim(strip_tags($page)), "\n"));
proc_terminate($proc);
proc_close($proc);

$unhooked = webtotem_firewall_unhook((string) file_get_contents("$site/index.php"));
file_put_contents("$site/index.php", $unhooked);
unlink("$site/$agent");
printf("\nunhooked: index.php is %s the original (sha256 %s)\n",
    $unhooked === $original ? 'byte for byte' : 'NOT', substr(hash('sha256', $unhooked), 0, 16));
