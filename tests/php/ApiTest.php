<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\Emulator;
use WebTotem\Tests\Support\Process;

/**
 * The WebTotem API functions of the extension against the emulator on
 * 127.0.0.1, the domain sync and the account rule.
 */
final class ApiTest extends TestCase
{
    public static function emails(): array
    {
        return [
            'same domain, case and spaces' => [' Admin@Example.COM ', 'ops@example.com', true],
            'IDN in either form' => ['admin@пример.рф', 'x@XN--E1AFMKFD.XN--P1AI', true],
            'trailing dot' => ['admin@example.com', 'ops@example.com.', true],
            'other domain' => ['admin@example.com', 'ops@example.org', false],
            'subdomain' => ['admin@example.com', 'ops@mail.example.com', false],
            'no local part' => ['admin@example.com', '@example.com', false],
            'not an address' => ['admin@example.com', 'example.com', false],
            'empty plesk e-mail' => ['', 'ops@example.com', false],
        ];
    }

    /** @dataProvider emails */
    public function testEmailRule(string $plesk, string $email, bool $allowed): void
    {
        $this->assertSame($allowed, webtotem_email_allowed($plesk, $email));
    }

    public function testSyncSitesMarksPleskDomainsLocalAndTheRestGlobal(): void
    {
        $out = webtotem_sync_sites(
            ['Example.com', 'пример.рф', 'www.example.com', 'new-site.org.', 'bad domain'],
            [['id' => 7, 'hostname' => 'www.example.com', 'title' => 'Main'], 'xn--e1afmkfd.xn--p1ai', ['hostname' => 'remote.net', 'id' => 9], 'REMOTE.net.']
        );
        $rows = array_map(fn ($s) => [$s['hostname'], $s['scope'], $s['in_account'], $s['host_id']], $out['sites']);
        $this->assertSame([
            ['example.com', 'local', true, 7],
            ['xn--e1afmkfd.xn--p1ai', 'local', true, null],
            ['new-site.org', 'local', false, null],
            ['remote.net', 'global', true, 9],
        ], $rows);
        $this->assertSame('пример.рф', $out['sites'][1]['hostname_unicode']);
        $this->assertSame(['new-site.org'], $out['to_add']);
        $this->assertSame(['bad domain'], $out['invalid']);
        $this->expectException(WebTotem\InvalidArgumentException::class);
        webtotem_sync_sites(['a.com'], [['title' => 'no hostname']]);
    }

    public function testSyncAndEmailRuleGiveTheSameResultThroughTheCli(): void
    {
        $args = ['pleskDomains' => ['Пример.рф', 'a.example'], 'accountHosts' => ['b.example', 'XN--E1AFMKFD.XN--P1AI']];
        $r = Process::run([WT_CLI, 'call', 'webtotem_sync_sites'], json_encode($args, JSON_THROW_ON_ERROR));
        $this->assertSame(0, $r['code'], $r['stderr']);
        $this->assertEquals(webtotem_sync_sites(...array_values($args)), json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR));
        $r = Process::run([WT_CLI, 'call', 'webtotem_email_allowed'], '{"pleskEmail":"a@b.example","email":"c@B.example"}');
        $this->assertSame("true\n", $r['stdout']);
    }

    public function testErrorTableHasEveryCodeInEnglishAndRussian(): void
    {
        $table = webtotem_api_errors();
        $codes = array_column($table, 'code');
        foreach (['INVALID_API_KEY', 'INVALID_TOKEN', 'HOSTS_LIMIT_EXCEEDED', 'DUPLICATE_HOST', 'USER_ALREADY_REGISTERED',
                  'INVALID_DOMAIN_NAME', 'EMAIL_NOT_ALLOWED', 'TIMEOUT', 'TLS_ERROR', 'RESPONSE_TOO_LARGE'] as $code) {
            $this->assertContains($code, $codes);
        }
        foreach ($table as $row) {
            $this->assertMatchesRegularExpression('/[а-яё]/u', $row['ru'], $row['code']);
            $this->assertNotSame('', $row['en']);
        }
        $this->assertSame(count($table), count(array_unique(array_column($table, 'number'))));
    }

    public function testEveryOperationOverHttps(): void
    {
        $emu = new Emulator(true);
        $conn = $emu->connection(['plesk_email' => 'admin@example.com']);
        unset($conn['api_key']);
        $reg = webtotem_api_register($conn, ['email' => 'Owner2@Example.com', 'name' => 'Owner', 'password' => 'long enough']);
        $this->assertTrue($reg['registered']);
        $code = null;
        foreach ($emu->admin('state')['users'] as $u) {
            if ($u['email'] === 'Owner2@Example.com') {
                $code = $u['confirmation_code'];
            }
        }
        $confirmed = webtotem_api_confirm_email($conn, $code);
        $this->assertTrue($confirmed['confirmed']);
        $conn['api_key'] = $confirmed['api_key'];

        $login = webtotem_api_login($conn);
        $this->assertSame(['token', 'refresh_token', 'expires_in'], array_keys($login));
        $conn['token'] = $login['token'];

        $host = webtotem_api_add_host($conn, 'Пример.рф');
        $this->assertSame('xn--e1afmkfd.xn--p1ai', $host['hostname']);
        $this->assertSame('пример.рф', $host['hostname_unicode']);
        $this->assertSame(['id', 'title', 'hostname', 'hostname_unicode', 'stack', 'created_at', 'services'], array_keys($host));
        $other = webtotem_api_add_host($conn, 'shop.example.com', 'Shop');
        $page = webtotem_api_hosts($conn);
        $this->assertSame(2, $page['total']);
        $this->assertSame(['shop.example.com'], array_column(webtotem_api_hosts($conn, ['filter' => 'shop'])['hosts'], 'hostname'));
        $this->assertCount(2, webtotem_api_hosts($conn, ['all' => true])['hosts']);
        $this->assertSame('Shop', webtotem_api_host($conn, $other['id'])['title']);

        $waf = null;
        foreach ($other['services'] as $s) {
            if ($s['name'] === 'waf') {
                $waf = $s['configs'][0];
            }
        }
        $this->assertFalse(webtotem_api_toggle($conn, $waf['id'], $other['id']));
        $set = webtotem_api_set_module($conn, $other['id'], 'waf', true);
        $this->assertSame(['host_id' => $other['id'], 'module' => 'waf', 'config_id' => $waf['id'], 'is_active' => true, 'changed' => true], $set);
        $this->assertFalse(webtotem_api_set_module($conn, $other['id'], 'waf', true)['changed']);

        $checks = webtotem_api_host_checks($conn, $other['id']);
        $this->assertSame(['wa', 'ssl', 'dec', 'av', 'cms', 'dc', 'ps', 'waf', 'vc'], array_column($checks['modules'], 'module'));
        $this->assertSame(['module', 'title', 'status', 'state', 'config_id', 'is_active', 'details'], array_keys($checks['modules'][0]));

        $agent = webtotem_api_generate_agent($conn, $other['id'], 'vc');
        $this->assertSame($agent['agent_name'] . '.vc.php', $agent['file_name']);
        $this->assertStringStartsWith('<?php', webtotem_api_download_agent($conn, $agent['agent_name'], 'vc'));
        $this->assertTrue(webtotem_api_check_agent($conn, $other['id'], 'vc')['ok']);

        $dash = webtotem_api_dashboard($conn);
        $this->assertCount(2, $dash['hosts']);
        $this->assertSame(2, $dash['requests'], 'a page of hosts and a page of checks');
        $sync = webtotem_sync_sites(['www.пример.рф', 'new.example'], $dash['hosts']);
        $this->assertSame(['local', 'local', 'global'], array_column($sync['sites'], 'scope'));
        $this->assertSame(['new.example'], $sync['to_add']);
    }

    public function testApiErrorsAreApiExceptionsWithTheCode(): void
    {
        $emu = new Emulator();
        try {
            webtotem_api_login($emu->connection(['api_key' => 'wrong']));
            $this->fail('no exception');
        } catch (WebTotem\ApiException $e) {
            $this->assertSame(1001, $e->getCode());
            $this->assertSame('[INVALID_API_KEY] The API key is invalid.', $e->getMessage());
            $this->assertInstanceOf(WebTotem\Exception::class, $e);
        }
        $conn = $emu->connection();
        webtotem_api_add_host($conn, 'a.example');
        $this->assertApiError('DUPLICATE_HOST', fn () => webtotem_api_add_host($conn, 'WWW.A.example.'));
        $emu->fault('hosts-limit');
        $this->assertApiError('HOSTS_LIMIT_EXCEEDED', fn () => webtotem_api_add_host($conn, 'b.example'));
        $this->assertApiError('RESOURCE_NOT_FOUND', fn () => webtotem_api_host($conn, 424242));
        $this->assertApiError('EMAIL_NOT_ALLOWED', fn () => webtotem_api_login($emu->connection(['plesk_email' => 'a@example.com', 'email' => 'b@example.net'])));
        $this->assertApiError('BAD_CONNECTION', fn () => webtotem_api_login(['endpoint' => 'http://api.wtotem.com/v1/graphql', 'api_key' => 'k']));
        $this->expectException(WebTotem\InvalidArgumentException::class);
        webtotem_api_login(['endpoint' => $emu->base, 'apikey' => 'typo']);
    }

    public function testTokenRenewalFaultsAndTimeouts(): void
    {
        $emu = new Emulator(false, ['--seed-hosts', '2']);
        $conn = $emu->connection(['token' => 'stale-token']);
        $this->assertSame(2, webtotem_api_hosts($conn)['total'], 'renewed with the API key');
        $conn = $emu->connection();
        $emu->fault('expired-token', 2);
        $this->assertApiError('INVALID_TOKEN', fn () => webtotem_api_hosts($conn));
        $conn['token'] = webtotem_api_login($conn)['token'];
        $emu->fault('http-500', 1);
        $this->assertSame(2, webtotem_api_hosts($conn)['total'], 'a read is retried');
        $emu->fault('http-500', 1);
        $this->assertApiError('HTTP_ERROR', fn () => webtotem_api_add_host($conn, 'c.example'));
        $emu->fault('truncated', 3);
        $this->assertApiError('BAD_RESPONSE', fn () => webtotem_api_hosts($conn));
        $emu->fault('huge', 1);
        $this->assertApiError('RESPONSE_TOO_LARGE', fn () => webtotem_api_hosts($conn));
        $emu->fault('slow', 1);
        $started = microtime(true);
        $this->assertApiError('TIMEOUT', fn () => webtotem_api_login($emu->connection(['timeout_ms' => 300])));
        $this->assertLessThan(1.5, microtime(true) - $started);
    }

    public function testTheFunctionsReturnARenewedToken(): void
    {
        $emu = new Emulator(false, ['--seed-hosts', '1']);
        $signedIn = webtotem_api_hosts($emu->connection());
        $this->assertSame(['hosts', 'total', 'token'], array_keys($signedIn), 'no token given: the new one');
        $conn = $emu->connection(['token' => $signedIn['token']]);
        $this->assertSame(['id', 'title', 'hostname', 'hostname_unicode', 'stack', 'created_at', 'services'], array_keys(webtotem_api_host($conn, 1)), 'token unchanged: no key');
        $emu->fault('expired-token');
        $renewed = webtotem_api_host($conn, 1);
        $this->assertArrayHasKey('token', $renewed);
        $this->assertNotSame($conn['token'], $renewed['token']);
        $conn['token'] = $renewed['token'];
        $auths = $emu->operations('Auth');
        $this->assertArrayNotHasKey('token', webtotem_api_dashboard($conn));
        $this->assertSame($auths, $emu->operations('Auth'), 'the renewed token works');
    }

    public function testResearchUploadsFromTheScannersSample(): void
    {
        $emu = new Emulator(false, ['--seed-hosts', '1']);
        $conn = $emu->connection();
        $code = "<?php\x00\xff" . str_repeat("@eval(\$_POST['x']); system(\$_GET['c']);\n", 20000);
        $scan = webtotem_scan_file('wp-content/uploads/big.php', $code);
        $this->assertTrue($scan['sample']['truncated']);
        $sample = $scan['sample'] + ['category' => 'backdoor', 'rules' => array_values(array_unique(array_column($scan['findings'], 'rule')))];
        $first = webtotem_api_upload_sample($conn, 1, $sample);
        $this->assertSame([256 * 1024, false], [$first['bytes'], $first['duplicate']]);
        $conn['token'] = $first['token'];
        $this->assertTrue(webtotem_api_upload_sample($conn, 1, $sample)['duplicate']);
        $kept = $emu->research()['samples'];
        $this->assertCount(1, $kept);
        $this->assertSame(substr($code, 0, 256 * 1024), base64_decode($kept[0]['data_base64']));
        $this->assertSame([hash('sha256', $code), strlen($code)], [$kept[0]['sha256'], $kept[0]['size']]);

        $over = ['data' => substr($code, 0, 256 * 1024 + 1), 'truncated' => true, 'size' => strlen($code)] + $sample;
        $this->assertThrows(WebTotem\InvalidArgumentException::class, fn () => webtotem_api_upload_sample($conn, 1, $over));
        $this->assertThrows(WebTotem\InvalidArgumentException::class, fn () => webtotem_api_upload_sample($conn, 1, ['sha256' => 'x'] + $sample));
        $this->assertThrows(WebTotem\InvalidArgumentException::class, fn () => webtotem_api_upload_sample($conn, 1, ['category' => 'nonsense'] + $sample));
        $emu->fault('http-500', 3);
        $this->assertApiError('HTTP_ERROR', fn () => webtotem_api_upload_sample($conn, 1, ['sha256' => hash('sha256', 'other')] + $sample));

        $lines = "{\"ts\":1700000000,\"ip\":\"203.0.113.9\",\"uri\":\"/?id=1' OR '1'='1\"}\n{\"ts\":1700000001,\"ip\":\"203.0.113.9\"}\n";
        $chunk = ['log_id' => 'waf-2026-11-24.jsonl', 'offset' => 1024, 'data' => $lines];
        $got = webtotem_api_upload_firewall_log($conn, 1, $chunk);
        $this->assertSame(['log_id' => 'waf-2026-11-24.jsonl', 'offset_from' => 1024, 'offset_to' => 1024 + strlen($lines), 'events' => 2, 'duplicate' => false], $got);
        $this->assertTrue(webtotem_api_upload_firewall_log($conn, 1, $chunk)['duplicate'], 're-sending is a no-op');
        $this->assertCount(1, $emu->research()['logs']);
        $this->assertApiError('LOG_RANGE_CONFLICT', fn () => webtotem_api_upload_firewall_log($conn, 1, ['offset' => 1030] + $chunk));
        $this->assertThrows(WebTotem\InvalidArgumentException::class, fn () => webtotem_api_upload_firewall_log($conn, 1, ['data' => rtrim($lines)] + $chunk));
        $this->assertThrows(WebTotem\InvalidArgumentException::class, fn () => webtotem_api_upload_firewall_log($conn, 1, ['log_id' => '../x'] + $chunk));
    }

    public function testTlsIsVerified(): void
    {
        $emu = new Emulator(true);
        $conn = $emu->connection();
        unset($conn['ca_cert_pem']);
        $this->assertApiError('TLS_ERROR', fn () => webtotem_api_login($conn));
    }

    public function testTheDashboardCostsABoundedNumberOfRequests(): void
    {
        $emu = new Emulator(false, ['--seed-hosts', '150', '--hosts-limit', '500']);
        $dash = webtotem_api_dashboard($emu->connection());
        $this->assertCount(150, $dash['hosts']);
        $this->assertSame(5, $dash['requests'], 'sign-in, 2 pages of hosts, 2 pages of checks');
        $this->assertSame(5, $emu->requests());
        $this->assertSame(['av', 'cms', 'dc', 'dec', 'ps', 'ssl', 'vc', 'wa', 'waf'], array_keys($dash['hosts'][0]['modules']));
    }

    private function assertThrows(string $class, callable $call): void
    {
        try {
            $call();
            $this->fail("no exception, expected $class");
        } catch (WebTotem\Exception $e) {
            $this->assertInstanceOf($class, $e, $e->getMessage());
        }
    }

    private function assertApiError(string $code, callable $call): void
    {
        try {
            $call();
            $this->fail("no exception, expected $code");
        } catch (WebTotem\ApiException $e) {
            $this->assertStringStartsWith("[$code] ", $e->getMessage());
            $number = array_column(webtotem_api_errors(), 'number', 'code')[$code];
            $this->assertSame($number, $e->getCode());
        }
    }
}
