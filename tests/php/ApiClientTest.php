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
}
