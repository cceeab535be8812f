<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\Emulator;
use WebTotem\Tests\Support\Process;

require_once __DIR__ . '/Support/PleskAutoload.php';

/**
 * The Plesk module's API client against the emulator, through both
 * transports: the extension in-process and the CLI (`webtotem call`, as
 * the panel runs it through sbin), with the same results and exceptions.
 */
final class ApiClientTest extends TestCase
{
    public static function transports(): array
    {
        return [
            'extension' => [fn () => new Modules_WebtotemSecurity_Transport_Extension()],
            'cli' => [fn () => new Modules_WebtotemSecurity_Transport_Cli(
                fn (string $function, string $stdin): array => Process::run([WT_CLI, 'call', $function], $stdin)
            )],
        ];
    }

    /** @dataProvider transports */
    public function testSyncAgentsAndErrorsThroughEitherTransport(callable $transport): void
    {
        $emu = new Emulator(true, ['--seed-hosts', '1']);
        $gateway = new Modules_WebtotemSecurity_Gateway($transport());
        $api = new Modules_WebtotemSecurity_ApiClient($emu->connection(), $gateway);
        $this->assertNull($api->token());
        $api->login();
        $this->assertNotNull($api->token());

        $sync = $api->syncSites(['www.site-1.example', 'Пример.рф'], true);
        $this->assertSame(['local', 'local'], array_column($sync['sites'], 'scope'));
        $this->assertSame([true, true], array_column($sync['sites'], 'in_account'));
        $this->assertSame([], $sync['to_add']);
        $this->assertCount(2, $api->hosts());

        $agent = $api->fetchAgent(1, 'waf');
        $this->assertStringStartsWith('<?php', $agent['code']);
        $this->assertTrue($api->checkAgent(1, 'waf')['ok']);
        $this->assertSame(9, count($api->hostChecks(1)['modules']));
        $this->assertFalse($api->setModule(1, 'ps', false)['is_active']);
        $this->assertCount(2, $api->dashboard()['hosts']);

        try {
            $api->addHost('site-1.example');
            $this->fail('no exception');
        } catch (WebTotem\ApiException $e) {
            $this->assertSame('[DUPLICATE_HOST] This site is already in the account.', $e->getMessage());
            $this->assertSame(1102, $e->getCode());
        }
        $this->expectException(WebTotem\ApiException::class);
        $this->expectExceptionCode(1001);
        (new Modules_WebtotemSecurity_ApiClient($emu->connection(['api_key' => 'bad']), $gateway))->login();
    }

    /** @dataProvider transports */
    public function testARenewedTokenIsKeptThroughEitherTransport(callable $transport): void
    {
        $emu = new Emulator(false, ['--seed-hosts', '1']);
        $api = new Modules_WebtotemSecurity_ApiClient($emu->connection(), new Modules_WebtotemSecurity_Gateway($transport()));
        $this->assertSame('site-1.example', $api->host(1)['hostname']);
        $first = $api->token();
        $this->assertNotNull($first, 'the sign-in inside the call is kept');
        $emu->fault('expired-token');
        $this->assertCount(1, $api->hosts());
        $this->assertNotSame($first, $api->token(), 'renewed inside the call and kept');
        $auths = $emu->operations('Auth');
        $this->assertArrayNotHasKey('token', $api->host(1));
        $api->dashboard();
        $this->assertSame($auths, $emu->operations('Auth'), 'no sign-in with the kept token');
    }

    /** @dataProvider transports */
    public function testResearchUploadsThroughEitherTransport(callable $transport): void
    {
        $emu = new Emulator(true, ['--seed-hosts', '1']);
        $gateway = new Modules_WebtotemSecurity_Gateway($transport());
        $api = new Modules_WebtotemSecurity_ApiClient($emu->connection(), $gateway);
        $code = "<?php /* \xff\xfe */ @eval(\$_POST['x']); system(\$_GET['c']);\n";
        $scan = webtotem_scan_file('shell.php', $code);
        $sample = $scan['sample'] + ['category' => 'backdoor', 'rules' => array_column($scan['findings'], 'rule')];
        $receipt = $api->uploadSample(1, $sample);
        $this->assertSame(['id', 'sha256', 'bytes', 'duplicate'], array_keys($receipt));
        $this->assertFalse($receipt['duplicate']);
        $this->assertTrue($api->uploadSample(1, $sample)['duplicate']);
        $this->assertSame(base64_encode($code), $emu->research()['samples'][0]['data_base64'], 'binary bytes arrive intact');

        $chunk = ['log_id' => 'waf.jsonl', 'offset' => 0, 'data' => "{\"ip\":\"198.51.100.4\",\"rule\":\"942100\"}\n"];
        $this->assertSame(['log_id' => 'waf.jsonl', 'offset_from' => 0, 'offset_to' => strlen($chunk['data']), 'events' => 1, 'duplicate' => false], $api->uploadFirewallLog(1, $chunk));
        $this->assertTrue($api->uploadFirewallLog(1, $chunk)['duplicate']);

        try {
            $api->uploadSample(1, ['data' => str_repeat("\xff", 256 * 1024 + 1), 'truncated' => true, 'size' => 1 << 20] + $sample);
            $this->fail('no exception');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertStringContainsString('at most 262144', $e->getMessage());
        }
        $emu->fault('http-500', 3);
        $this->expectException(WebTotem\ApiException::class);
        $this->expectExceptionCode(3004);
        $api->uploadFirewallLog(1, ['offset' => strlen($chunk['data'])] + $chunk);
    }
}
