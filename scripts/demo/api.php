<?php
/**
 * Demo: the WebTotem API through the extension, against the API emulator
 * (a test double of the real API) on 127.0.0.1 over HTTPS with its own CA.
 * Registers an account under the Plesk e-mail's domain, signs in, merges
 * this server's domains with the account's sites, adds the missing ones,
 * shows the dashboard, installs an agent, uses the WebTotem\Client class
 * (which keeps a renewed token), uploads research data, and shows how
 * errors look.
 */
declare(strict_types=1);

$dir = $argv[1] ?? sys_get_temp_dir();
$ca = "$dir/emulator-ca.pem";
$proc = proc_open(
    [dirname(__DIR__, 2) . '/target/release/webtotem-api-emulator', '--listen', '127.0.0.1:0', '--tls', '--cert-out', $ca,
     '--api-key', 'demo-key', '--seed-hosts', '2', '--max-lifetime-secs', '120'],
    [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']],
    $pipes
);
$line = trim((string) fgets($pipes[1]));
echo "emulator: $line\n";
$base = substr($line, strlen('listening on '));
$conn = ['endpoint' => "$base/v1/graphql", 'ca_cert_pem' => file_get_contents($ca), 'plesk_email' => 'admin@пример.рф'];

echo "\n-- the account rule\n";
foreach (['owner@XN--E1AFMKFD.XN--P1AI', 'owner@gmail.example'] as $email) {
    printf("%-28s allowed for admin@пример.рф: %s\n", $email, var_export(webtotem_email_allowed('admin@пример.рф', $email), true));
}
try {
    webtotem_api_register($conn, ['email' => 'owner@gmail.example', 'name' => 'Owner', 'password' => 'secret-pass']);
} catch (WebTotem\ApiException $e) {
    printf("register owner@gmail.example -> %s: %s (code %d)\n", get_class($e), $e->getMessage(), $e->getCode());
}

echo "\n-- register under the Plesk e-mail's domain and confirm the e-mail\n";
$reg = webtotem_api_register($conn, ['email' => 'owner@пример.рф', 'name' => 'Owner', 'password' => 'a long passphrase']);
printf("  registered: %s\n", var_export($reg['registered'], true));
// The emulator's state stands in for the mailbox that receives the code.
$state = json_decode((string) file_get_contents("$base/__emulator/state", false, stream_context_create([
    'ssl' => ['cafile' => $ca, 'verify_peer' => true, 'peer_name' => '127.0.0.1'],
])), true);
$code = '';
foreach ($state['users'] ?? [] as $u) {
    if (mb_strtolower($u['email']) === 'owner@пример.рф' || $u['email'] === 'owner@xn--e1afmkfd.xn--p1ai') {
        $code = (string) $u['confirmation_code'];
    }
}
printf("  confirmation code from the e-mail: %s\n", $code);
$confirmed = webtotem_api_confirm_email($conn, $code);
printf("  confirmed: %s, the account's API key: %s…\n", var_export($confirmed['confirmed'], true), substr($confirmed['api_key'], 0, 8));

echo "\n-- sign in with an API key, then sync this server's domains\n";
$conn['api_key'] = 'demo-key';
$conn['token'] = webtotem_api_login($conn)['token'];
$pleskDomains = ['Пример.рф', 'www.site-1.example', 'blog.example.'];
$sync = webtotem_sync_sites($pleskDomains, webtotem_api_hosts($conn, ['all' => true])['hosts']);
foreach ($sync['sites'] as $s) {
    printf("  %-6s %-24s in account: %s\n", $s['scope'], $s['hostname_unicode'], $s['in_account'] ? 'yes' : 'no');
}
foreach ($sync['to_add'] as $domain) {
    $host = webtotem_api_add_host($conn, $domain);
    printf("  added %s (%s) as host %d\n", $host['hostname_unicode'], $host['hostname'], $host['id']);
}

echo "\n-- dashboard\n";
$dash = webtotem_api_dashboard($conn);
foreach ($dash['hosts'] as $h) {
    $states = array_map(fn ($m) => $m['state'], $h['modules']);
    printf("  %-20s %-8s %s\n", $h['hostname_unicode'], $h['summary'], implode(' ', array_map(fn ($k, $v) => "$k=$v", array_keys($states), $states)));
}
printf("  (%d HTTP requests for %d hosts)\n", $dash['requests'], count($dash['hosts']));

echo "\n-- install the firewall agent on host 1\n";
$agent = webtotem_api_generate_agent($conn, 1, 'waf');
$php = webtotem_api_download_agent($conn, $agent['agent_name'], 'waf');
printf("  %s: %d bytes, starts %s\n", $agent['file_name'], strlen($php), json_encode(substr($php, 0, 5)));
$check = webtotem_api_check_agent($conn, 1, 'waf');
printf("  cloud check: installed=%s\n", var_export($check['installed'], true));
$waf = webtotem_api_host_checks($conn, 1)['modules'][7];
printf("  waf status now: %d (%s)\n", $waf['status'], $waf['state']);

echo "\n-- the WebTotem\\Client class keeps a token renewed inside a call\n";
$client = new WebTotem\Client("$base/v1/graphql", 'demo-key', ['ca_file' => $ca]);
$client->login();
$before = $client->token();
// The emulator expires the token on the next call; the client signs in again by itself.
file_get_contents("$base/__emulator/fault", false, stream_context_create([
    'http' => ['method' => 'POST', 'header' => "Content-Type: application/json\r\n", 'content' => '{"fault":"expired-token"}'],
    'ssl' => ['cafile' => $ca, 'verify_peer' => true, 'peer_name' => '127.0.0.1'],
]));
printf("  hosts: %d; token renewed and kept: %s\n", $client->hosts()['total'], var_export($client->token() !== $before, true));
ob_start();
var_dump($client);
printf("  var_dump shows no secret: %s\n", str_replace("\n", ' ', preg_replace('/\s+/', ' ', ob_get_clean())));

echo "\n-- research uploads (assumed contract; see README)\n";
$shell = "<?php @eval(\$_POST['x']); system(\$_GET['c']);\n";
$scan = webtotem_scan_file('wp-content/uploads/cache.php', $shell);
$sample = $scan['sample'] + ['category' => $scan['findings'][0]['category'], 'rules' => array_column($scan['findings'], 'rule')];
foreach (['first', 'again'] as $try) {
    $r = $client->uploadSample(1, $sample);
    printf("  sample %s: id %s, %d bytes, duplicate=%s\n", $try, $r['id'], $r['bytes'], var_export($r['duplicate'], true));
}
$log = "{\"ts\":1764000000,\"ip\":\"203.0.113.9\",\"rule\":\"942100\",\"uri\":\"/?id=1 OR 1=1\"}\n";
$r = $client->uploadFirewallLog(1, ['log_id' => 'waf-2026-11-24.jsonl', 'offset' => 0, 'data' => $log]);
printf("  firewall log bytes %d..%d: %d event(s) stored\n", $r['offset_from'], $r['offset_to'], $r['events']);
try {
    $client->uploadSample(1, ['data' => str_repeat('x', 256 * 1024 + 1)] + $sample);
} catch (WebTotem\InvalidArgumentException $e) {
    printf("  oversize sample -> %s\n", $e->getMessage());
}

echo "\n-- errors\n";
foreach ([
    'wrong key' => fn () => webtotem_api_login(['api_key' => 'nope'] + $conn),
    'duplicate' => fn () => webtotem_api_add_host($conn, 'WWW.ПРИМЕР.РФ'),
    'no CA' => fn () => webtotem_api_login(array_diff_key($conn, ['ca_cert_pem' => 1])),
] as $what => $call) {
    try {
        $call();
    } catch (WebTotem\ApiException $e) {
        $ru = array_column(webtotem_api_errors(), 'ru', 'number')[$e->getCode()];
        printf("  %-10s %s\n  %-10s ru: %s\n", $what, $e->getMessage(), '', $ru);
    }
}
proc_terminate($proc);
proc_close($proc);
