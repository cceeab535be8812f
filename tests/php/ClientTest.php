<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\Emulator;

/**
 * The `WebTotem\Client` class against the emulator: every method over
 * HTTPS with the same results as the functions, the token it keeps across
 * a renewal, errors as exceptions with the API's code, and secrets that
 * never show.
 */
final class ClientTest extends TestCase
{
    private const SHELL = "<?php if (isset(\$_REQUEST['c'])) { system(\$_REQUEST['c']); } eval(base64_decode(\$_POST['p']));\n";

    public function testEveryMethodOverHttpsGivesWhatTheFunctionsGive(): void
    {
        $emu = new Emulator(true);
        $new = new WebTotem\Client($emu->base . '/v1/graphql', null, ['ca_file' => $emu->caFile(), 'plesk_email' => 'admin@example.com']);
        $this->assertTrue($new->register(['email' => 'me@example.com', 'name' => 'Me', 'password' => 'long enough'])['registered']);
        $code = array_column($emu->admin('state')['users'], 'confirmation_code', 'email')['me@example.com'];
        $confirmed = $new->confirmEmail($code);
        $this->assertTrue($confirmed['confirmed']);
        $this->assertSame(['token', 'refresh_token', 'expires_in'], array_keys($new->login()), 'the confirmed key is kept');

        $c = new WebTotem\Client($emu->base . '/v1/graphql', Emulator::API_KEY, ['ca_cert_pem' => $emu->caPem, 'timeout_ms' => 5000]);
        $this->assertNull($c->token());
        $host = $c->addHost('Пример.рф', 'IDN');
        $this->assertNotNull($c->token(), 'signed in by itself');
        $conn = $emu->connection(['token' => $c->token()]);
        $this->assertSame(webtotem_api_host($conn, $host['id']), $c->host($host['id']));
        $this->assertSame(webtotem_api_hosts($conn), $c->hosts());
        $this->assertSame(1, $c->hosts(['all' => true])['total']);
        $waf = array_values(array_filter($host['services'], fn ($s) => $s['name'] === 'waf'))[0]['configs'][0]['id'];
        $this->assertFalse($c->toggle($waf, $host['id']));
        $this->assertTrue($c->setModule($host['id'], 'waf', true)['changed']);
        $this->assertSame(['wa', 'ssl', 'dec', 'av', 'cms', 'dc', 'ps', 'waf', 'vc'], array_column($c->hostChecks($host['id'], 1_800_000_000)['modules'], 'module'));
        $this->assertSame(webtotem_api_dashboard($conn)['hosts'], $c->dashboard()['hosts']);
        $agent = $c->generateAgent($host['id'], 'waf');
        $this->assertStringStartsWith('<?php', $c->downloadAgent($agent['agent_name'], 'waf'));
        $this->assertTrue($c->checkAgent($host['id'], 'waf')['ok']);

        $scan = webtotem_scan_file('wp-content/uploads/x.php', self::SHELL);
        $sample = $scan['sample'] + ['category' => $scan['findings'][0]['category'], 'rules' => array_column($scan['findings'], 'rule')];
        $receipt = $c->uploadSample($host['id'], $sample);
        $this->assertSame(['id', 'sha256', 'bytes', 'duplicate'], array_keys($receipt));
        $this->assertSame([$scan['sha256'], strlen(self::SHELL), false], [$receipt['sha256'], $receipt['bytes'], $receipt['duplicate']]);
        $this->assertTrue($c->uploadSample($host['id'], $sample)['duplicate']);
        $log = $c->uploadFirewallLog($host['id'], ['log_id' => 'waf.jsonl', 'offset' => 0, 'data' => "{\"ip\":\"192.0.2.1\"}\n"]);
        $this->assertSame(['log_id' => 'waf.jsonl', 'offset_from' => 0, 'offset_to' => 19, 'events' => 1, 'duplicate' => false], $log);
        $kept = $emu->research();
        $this->assertSame(base64_encode(self::SHELL), $kept['samples'][0]['data_base64']);
        $this->assertSame([['ip' => '192.0.2.1']], $kept['logs'][0]['events']);
    }

    public function testARenewedTokenIsKeptForTheNextCall(): void
    {
        $emu = new Emulator(false, ['--seed-hosts', '1']);
        $c = new WebTotem\Client($emu->base . '/v1/graphql', Emulator::API_KEY);
        $first = $c->login()['token'];
        $emu->fault('expired-token');
        $this->assertSame(1, $c->hosts()['total'], 'renewed inside the call');
        $renewed = $c->token();
        $this->assertNotSame($first, $renewed);
        $auths = $emu->operations('Auth');
        $c->host(1);
        $c->dashboard();
        $this->assertSame($auths, $emu->operations('Auth'), 'no sign-in: the renewed token was kept');
        $this->assertSame($renewed, $c->token());

        $again = new WebTotem\Client($emu->base . '/v1/graphql', null, ['token' => $renewed]);
        $this->assertSame(1, $again->host(1)['id'], 'a stored token works without an API key');
    }

    public function testAClientMadeBeforeAForkWorksInTheChild(): void
    {
        if (!function_exists('pcntl_fork') || !function_exists('posix_kill')) {
            $this->markTestSkipped('needs pcntl and posix');
        }
        $emu = new Emulator(false, ['--seed-hosts', '1']);
        $c = new WebTotem\Client($emu->base . '/v1/graphql', Emulator::API_KEY);
        $this->assertSame(1, $c->hosts()['total'], 'the parent has used the client');
        $out = tempnam(sys_get_temp_dir(), 'wt-fork');
        $pid = pcntl_fork();
        if ($pid === 0) {
            // The child, as a PHP-FPM worker after the master's start-up.
            file_put_contents($out, $c->host(1)['hostname']);
            posix_kill(posix_getpid(), SIGKILL); // no destructors: the emulator belongs to the parent
        }
        $deadline = microtime(true) + 20;
        while (pcntl_waitpid($pid, $status, WNOHANG) === 0) {
            if (microtime(true) > $deadline) {
                posix_kill($pid, SIGKILL);
                pcntl_waitpid($pid, $status);
                $this->fail('the child hung');
            }
            usleep(20_000);
        }
        $this->assertSame('site-1.example', file_get_contents($out));
        unlink($out);
    }

    public function testFailuresAreExceptionsWithTheApiCode(): void
    {
        $emu = new Emulator(false, ['--seed-hosts', '1']);
        try {
            (new WebTotem\Client($emu->base . '/v1/graphql', 'wrong-key'))->hosts();
            $this->fail('no exception');
        } catch (WebTotem\ApiException $e) {
            $this->assertSame(1001, $e->getCode());
            $this->assertSame('[INVALID_API_KEY] The API key is invalid.', $e->getMessage());
        }
        $c = new WebTotem\Client($emu->base . '/v1/graphql', Emulator::API_KEY);
        $this->assertThrowsCode(1102, fn () => $c->addHost('site-1.example'));
        $this->assertThrowsCode(1104, fn () => $c->host(4242));
        $emu->fault('http-500', 3);
        $this->assertThrowsCode(3004, fn () => $c->uploadSample(1, ['path' => 'a.php', 'sha256' => hash('sha256', 'x'), 'category' => 'virus', 'data' => 'x']));
        $this->assertThrowsCode(3008, fn () => new WebTotem\Client('http://api.wtotem.com/v1/graphql'));

        $requests = $emu->requests();
        $big = str_repeat('A', 256 * 1024 + 1);
        try {
            $c->uploadSample(1, ['path' => 'a.php', 'sha256' => hash('sha256', $big), 'category' => 'shell', 'data' => $big]);
            $this->fail('no exception');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertStringContainsString('at most 262144', $e->getMessage());
        }
        $this->assertSame($requests, $emu->requests(), 'refused before sending');
        $this->expectException(WebTotem\IoException::class);
        new WebTotem\Client(null, 'k', ['ca_file' => '/nonexistent/ca.pem']);
    }

    public function testSecretsNeverShow(): void
    {
        $emu = new Emulator(false, ['--seed-hosts', '1']);
        $key = Emulator::API_KEY;
        $c = new WebTotem\Client($emu->base . '/v1/graphql', $key);
        $c->login();
        $token = $c->token();
        ob_start();
        var_dump($c);
        print_r($c);
        var_export($c);
        debug_zval_dump($c);
        $shown = ob_get_clean() . json_encode($c) . print_r((array) $c, true) . print_r(get_object_vars($c), true);
        $this->assertStringContainsString('["api_key"]=>', $shown);
        $this->assertStringNotContainsString($key, $shown);
        $this->assertStringNotContainsString($token, $shown);
        try {
            serialize($c);
            $this->fail('serialized');
        } catch (Exception $e) {
            $this->assertStringNotContainsString($key, (string) $e);
        }

        $ignoreArgs = ini_set('zend.exception_ignore_args', '0');
        try {
            foreach ([
                fn () => new WebTotem\Client('http://api.wtotem.com/v1/graphql', $key),
                fn () => new WebTotem\Client(42, $key),
                fn () => (new WebTotem\Client($emu->base . '/v1/graphql', $key, ['token' => $token, 'timeout_ms' => 300]))->login(),
            ] as $i => $call) {
                if ($i === 2) {
                    $emu->fault('slow');
                }
                try {
                    $call();
                    $this->fail("call $i did not throw");
                } catch (Throwable $e) {
                    $text = (string) $e . print_r($e->getTrace(), true) . $e->getMessage();
                    $this->assertStringNotContainsString($key, $text, "call $i");
                    $this->assertStringNotContainsString($token, $text, "call $i");
                }
            }
        } finally {
            ini_set('zend.exception_ignore_args', (string) $ignoreArgs);
        }
    }

    public function testTheObjectIsNeverCopiedOrMadeWithoutItsConstructor(): void
    {
        $c = new WebTotem\Client(null, 'k');
        foreach ([
            fn () => clone $c,
            fn () => (new ReflectionClass(WebTotem\Client::class))->newInstanceWithoutConstructor(),
            fn () => serialize($c),
            fn () => unserialize('O:15:"WebTotem\\Client":0:{}'),
        ] as $i => $call) {
            try {
                $call();
                $this->fail("case $i did not throw");
            } catch (Error | Exception $e) {
                $this->assertStringContainsString('WebTotem\\Client', $e->getMessage(), "case $i");
            }
        }
        $this->assertTrue((new ReflectionClass(WebTotem\Client::class))->isFinal());
    }

    private function assertThrowsCode(int $code, callable $call): void
    {
        try {
            $call();
            $this->fail("no exception, expected code $code");
        } catch (WebTotem\ApiException $e) {
            $this->assertSame($code, $e->getCode(), $e->getMessage());
        }
    }
}

