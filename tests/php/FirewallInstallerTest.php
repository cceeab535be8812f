<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\PhpServer;
use WebTotem\Tests\Support\Process;

require_once __DIR__ . '/Support/PleskAutoload.php';

/**
 * The Plesk module's one-click firewall install on real sites on disk,
 * through both transports: the agent written into the site's root, hooked
 * into index.php or .user.ini with a backup, idempotent, working under
 * php -S, and taken out again byte for byte.
 */
final class FirewallInstallerTest extends TestCase
{
    private const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
    private string $vhost = '';

    protected function setUp(): void
    {
        $this->vhost = sys_get_temp_dir() . '/wt-vhost-' . bin2hex(random_bytes(5));
        mkdir($this->vhost . '/httpdocs', 0755, true);
    }

    protected function tearDown(): void
    {
        Process::run(['rm', '-rf', $this->vhost, $this->vhost . '/httpdocs.server.log']);
    }

    public static function transports(): array
    {
        return [
            'extension' => [fn () => new Modules_WebtotemSecurity_Transport_Extension()],
            'cli' => [fn () => new Modules_WebtotemSecurity_Transport_Cli(
                fn (string $function, string $stdin): array => Process::run([WT_CLI, 'call', $function], $stdin)
            )],
        ];
    }

    private function installer(callable $transport, ?Modules_WebtotemSecurity_SiteFiles $files = null): Modules_WebtotemSecurity_FirewallInstaller
    {
        return new Modules_WebtotemSecurity_FirewallInstaller(
            new Modules_WebtotemSecurity_Gateway($transport()),
            $files ?? new Modules_WebtotemSecurity_SiteFiles_Local(),
            $this->vhost . '/httpdocs',
            $this->vhost . '/private/webtotem',
        );
    }

    /** @dataProvider transports */
    public function testInstallIsIdempotentWorksAndUninstallRestoresTheBytes(callable $transport): void
    {
        $index = "<?php\r\n/* Front to the blog. */\r\ndefine('WP_USE_THEMES', true);\r\necho 'blog';\r\n";
        file_put_contents($this->vhost . '/httpdocs/index.php', $index);
        chmod($this->vhost . '/httpdocs/index.php', 0640);
        $installer = $this->installer($transport);
        $this->assertFalse($installer->status()['installed']);

        $r = $installer->install(['flood_requests' => 0], self::KEY);
        $this->assertSame($this->vhost . '/httpdocs', $r['root']);
        $this->assertTrue($r['changed']);
        $this->assertSame($index, file_get_contents($r['backup']), 'the backup holds the original');
        $hooked = file_get_contents($this->vhost . '/httpdocs/index.php');
        $this->assertStringContainsString($r['agent'], $hooked);
        $this->assertSame(0640, fileperms($this->vhost . '/httpdocs/index.php') & 0777, 'the mode is kept');
        $this->assertFileExists($this->vhost . '/httpdocs/' . $r['agent']);
        $this->assertSame(['installed' => true, 'agent_present' => true, 'hooked' => true, 'problem' => null],
            array_intersect_key($installer->status(), ['installed' => 1, 'hooked' => 1, 'agent_present' => 1, 'problem' => 1]));

        $again = $installer->install(['flood_requests' => 0, 'mode' => 'monitor'], self::KEY);
        $this->assertSame([$r['agent'], false, null], [$again['agent'], $again['changed'], $again['backup']]);
        $this->assertSame($hooked, file_get_contents($this->vhost . '/httpdocs/index.php'));
        $this->assertStringContainsString("const MODE = 'monitor';", file_get_contents($this->vhost . '/httpdocs/' . $r['agent']));
        $this->assertCount(1, glob($this->vhost . '/private/webtotem/backups/*'));

        $installer->install(['flood_requests' => 0], self::KEY);
        $s = new PhpServer($this->vhost . '/httpdocs', false);
        $this->assertSame([200, 'blog'], array_values(array_intersect_key($s->raw('GET /?q=fine HTTP/1.1'), ['status' => 1, 'body' => 1])));
        $this->assertSame(403, $s->raw('GET /?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1')['status']);
        $this->assertFileExists($this->vhost . '/private/webtotem/' . json_decode(file_get_contents($this->vhost . '/private/webtotem/firewall.json'), true)['state_dir_name'] . '/firewall.log', 'the log is outside the document root');
        unset($s);

        $out = $installer->uninstall();
        $this->assertTrue($out['removed']);
        $this->assertSame($index, file_get_contents($this->vhost . '/httpdocs/index.php'));
        $this->assertFileDoesNotExist($this->vhost . '/httpdocs/' . $r['agent']);
        $this->assertFalse($installer->status()['installed']);
        $this->assertSame(['removed' => false, 'backup' => null], $installer->uninstall());
    }

    /** @dataProvider transports */
    public function testAFrameworkIsHookedInPublicAndUserIniChainsAnotherFirewall(callable $transport): void
    {
        mkdir($this->vhost . '/httpdocs/public');
        $front = "<?php\nrequire __DIR__.'/../vendor/autoload.php';\necho 'app';\n";
        file_put_contents($this->vhost . '/httpdocs/public/index.php', $front);
        $installer = $this->installer($transport);
        $r = $installer->install([], self::KEY);
        $this->assertSame($this->vhost . '/httpdocs/public', $r['root']);
        $this->assertStringContainsString($r['agent'], file_get_contents($this->vhost . '/httpdocs/public/index.php'));

        // Switching to the .user.ini mode takes the index.php hook out first.
        $ini = "; site settings\nmemory_limit = 256M\nauto_prepend_file = \"/opt/other-waf/waf.php\"\n";
        file_put_contents($this->vhost . '/httpdocs/public/.user.ini', $ini);
        $u = $installer->install(['hook' => 'user_ini'], self::KEY);
        $this->assertSame($front, file_get_contents($this->vhost . '/httpdocs/public/index.php'));
        $this->assertSame('/opt/other-waf/waf.php', $u['previous']);
        $this->assertStringContainsString("const CHAIN_FILE = '/opt/other-waf/waf.php';", file_get_contents($this->vhost . '/httpdocs/public/' . $u['agent']));
        $parsed = parse_ini_string(file_get_contents($this->vhost . '/httpdocs/public/.user.ini'));
        $this->assertSame($this->vhost . '/httpdocs/public/' . $u['agent'], $parsed['auto_prepend_file']);
        $this->assertTrue($installer->status()['hooked']);
        $installer->uninstall();
        $this->assertSame($ini, file_get_contents($this->vhost . '/httpdocs/public/.user.ini'));
    }

    /** @dataProvider transports */
    public function testNothingIsGuessedOrLost(callable $transport): void
    {
        $installer = $this->installer($transport);
        try {
            $installer->install([], self::KEY);
            $this->fail('installed without an index.php');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertStringContainsString('use the user_ini mode', $e->getMessage());
        }
        file_put_contents($this->vhost . '/httpdocs/index.php', "<?php echo 1;\n");
        try {
            $installer->install(['paranoia' => 9], self::KEY);
            $this->fail('paranoia 9 accepted');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertStringContainsString('paranoia', $e->getMessage());
        }
        $this->assertSame("<?php echo 1;\n", file_get_contents($this->vhost . '/httpdocs/index.php'), 'nothing written on a refused install');
        $r = $installer->install([], self::KEY);
        // Someone edits the hook line: status says so, uninstall refuses rather than guess.
        $hooked = file_get_contents($this->vhost . '/httpdocs/index.php');
        file_put_contents($this->vhost . '/httpdocs/index.php', str_replace('include_once', 'require', $hooked));
        $this->assertFalse($installer->status()['hooked']);
        $this->assertNotNull($installer->status()['problem']);
        try {
            $installer->uninstall();
            $this->fail('a damaged hook was removed');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertFileExists($this->vhost . '/httpdocs/' . $r['agent'], 'nothing removed');
        }
        foreach ([['/srv/a', '/srv/a/private'], ['relative', '/srv/p'], ['/srv/a/../b', '/srv/p']] as [$doc, $private]) {
            try {
                new Modules_WebtotemSecurity_FirewallInstaller(new Modules_WebtotemSecurity_Gateway($transport()), new Modules_WebtotemSecurity_SiteFiles_Local(), $doc, $private);
                $this->fail("accepted $doc, $private");
            } catch (WebTotem\InvalidArgumentException $e) {
                $this->assertNotSame('', $e->getMessage());
            }
        }
        file_put_contents($this->vhost . '/private/webtotem/firewall.json', json_encode(['agent' => '../../etc/passwd', 'root' => '/', 'hook' => 'index', 'hooked_file' => '/etc/passwd', 'state_dir_name' => 'x']));
        $this->expectException(WebTotem\InvalidArgumentException::class);
        $installer->uninstall();
    }

    public function testWritesThroughPleskFileManagerAreAtomic(): void
    {
        // A stand-in for pm_FileManager with its SDK signatures, on real files.
        $manager = new class () {
            public array $calls = [];
            public function fileExists($f) { return file_exists($f); }
            public function isDir($p) { return is_dir($p); }
            public function fileGetContents($f) { $this->calls[] = "get $f"; return file_get_contents($f); }
            public function filePutContents($f, $d) { $this->calls[] = 'put ' . basename($f); file_put_contents($f, $d); }
            public function moveFile($s, $d) { $this->calls[] = 'move ' . basename($s) . ' ' . basename($d); rename($s, $d); }
            public function removeFile($f) { unlink($f); }
            public function mkdir($d, $perms = '0755', $recursively = false) { mkdir($d, octdec($perms), $recursively); }
        };
        file_put_contents($this->vhost . '/httpdocs/index.php', "<?php echo 'x';\n");
        $files = new Modules_WebtotemSecurity_SiteFiles_FileManager($manager);
        $r = $this->installer(fn () => new Modules_WebtotemSecurity_Transport_Extension(), $files)->install([], self::KEY);
        $puts = array_values(array_filter($manager->calls, fn ($c) => str_starts_with($c, 'put ') || str_starts_with($c, 'move ')));
        foreach ($puts as $k => $call) {
            if (str_starts_with($call, 'put ')) {
                $this->assertMatchesRegularExpression('/^put \.wt-tmp-[0-9a-f]{16}$/', $call, 'never written in place');
                $this->assertStringStartsWith('move ' . substr($call, 4) . ' ', $puts[$k + 1]);
            }
        }
        $this->assertContains('move ' . substr($puts[0], 4) . ' ' . $r['agent'], $puts, 'the agent is written before the hook');
        $this->assertSame([], glob($this->vhost . '/httpdocs/.wt-tmp-*'));
    }
}
