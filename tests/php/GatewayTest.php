<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\Process;

require_once __DIR__ . '/Support/PleskAutoload.php';

/**
 * The Plesk module's Gateway (plesk-module/plib/library) reaches the core
 * the same way through both transports: in-process through the extension
 * (this PHPUnit process) and through the CLI, in a child `php -n` without
 * the extension (Support/gateway-cli-child.php). Also covers the CLI
 * transport's handling of bad runner output and the sbin/webtotem wrapper.
 */
final class GatewayTest extends TestCase
{
    private const CHILD = __DIR__ . '/Support/gateway-cli-child.php';

    /** @var list<string> */
    private array $tempDirs = [];

    protected function tearDown(): void
    {
        foreach ($this->tempDirs as $dir) {
            foreach (array_diff(scandir($dir) ?: [], ['.', '..']) as $name) {
                unlink($dir . '/' . $name);
            }
            rmdir($dir);
        }
        $this->tempDirs = [];
    }

    /** Runs one Gateway method in the child without the extension and returns its decoded JSON report. */
    private static function child(array $request): array
    {
        $r = Process::run([PHP_BINARY, '-n', self::CHILD], serialize($request));
        self::assertSame(0, $r['code'], "child failed:\n" . $r['stdout'] . $r['stderr']);
        return json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR);
    }

    /** The outcome of `$f` in the child's shape: ['result' => …] or ['exception' => [class, message]]. */
    private static function outcome(callable $f): array
    {
        try {
            $out = ['result' => $f()];
        } catch (Throwable $e) {
            $out = ['exception' => ['class' => get_class($e), 'message' => $e->getMessage()]];
        }
        // The same JSON round trip the child's report goes through.
        return json_decode(json_encode($out, JSON_THROW_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE), true, 512, JSON_THROW_ON_ERROR);
    }

    /** A temporary directory holding a copy of sbin/webtotem and `webtotem-core` linked to the CLI. */
    private function sbinDir(bool $withCore = true): string
    {
        $dir = sys_get_temp_dir() . '/wt-sbin-' . bin2hex(random_bytes(6));
        mkdir($dir, 0700);
        $this->tempDirs[] = $dir;
        copy(WT_PLESK_MODULE . '/sbin/webtotem', $dir . '/webtotem');
        if ($withCore) {
            symlink(WT_CLI, $dir . '/webtotem-core');
        }
        return $dir;
    }

    // ---- (a) transport choice ----

    public function testDefaultGatewayUsesTheExtensionWhenItIsLoaded(): void
    {
        $gateway = new Modules_WebtotemSecurity_Gateway();
        $this->assertSame('extension', $gateway->transportName());
        $this->assertSame(webtotem_version(), $gateway->version());
    }

    public function testDefaultGatewayWithoutTheExtensionRunsTheSbinHelperThroughCallSbin(): void
    {
        $out = self::child([
            'method' => 'detectRoot',
            'params' => ['/srv/s/httpdocs', "<?php require __DIR__ . '/../vendor/autoload.php';"],
            'runner' => 'default',
            'sbin' => $this->sbinDir(),
        ]);
        $this->assertSame('cli', $out['transport']);
        $this->assertSame(['result' => '/srv/s/httpdocs/public'], array_intersect_key($out, ['result' => 1, 'exception' => 1]));
        $this->assertCount(1, $out['sbinCalls']);
        $call = $out['sbinCalls'][0];
        $this->assertSame('webtotem', $call['command']);
        $this->assertSame(['call', 'webtotem_detect_root'], $call['args']);
        $this->assertSame(1, $call['result'], 'pm_ApiCli::RESULT_FULL');
        $this->assertSame(
            ['docroot' => '/srv/s/httpdocs', 'publicIndexPhp' => "<?php require __DIR__ . '/../vendor/autoload.php';"],
            json_decode($call['stdin'], true, 512, JSON_THROW_ON_ERROR)
        );
    }

    // ---- (b) both transports agree ----

    /** @return array<string, array{0: string, 1: list<mixed>, 2: bool}> [method, params, compare messages too] */
    public static function calls(): array
    {
        $psr4 = "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\n\$app = 1;\n";
        $cases = [
            'version()' => ['version', [], true],
            'call(webtotem_version)' => ['call', ['webtotem_version', []], true],
            'no index' => ['detectRoot', ['/var/www/vhosts/a/httpdocs', null], true],
            'psr-4 index' => ['detectRoot', ['/var/www/vhosts/a/httpdocs', $psr4], true],
            'plain index' => ['detectRoot', ['/var/www/vhosts/a/httpdocs', "<?php echo 'hi';"], true],
            'non-UTF-8 psr-4 index' => ['detectRoot', ['/srv/s', "<?php /* caf\xE9 */ require __DIR__ . '/../vendor/autoload.php';"], true],
            'non-UTF-8 plain index' => ['detectRoot', ['/srv/s', "<?php echo '\xE9\xFF';"], true],
            'call with named args' => ['call', ['webtotem_detect_root', ['docroot' => '/srv/s', 'publicIndexPhp' => $psr4]], true],
            'relative docroot' => ['detectRoot', ['httpdocs', null], true],
            'dotdot docroot' => ['detectRoot', ['/var/www/../etc', '<?php'], true],
            'root docroot' => ['detectRoot', ['/', null], true],
            'control byte docroot' => ['detectRoot', ["/srv/a\x01b", null], true],
            'unknown core function' => ['call', ['webtotem_nope', []], true],
            'rejected function name' => ['call', ['system', ['command' => 'id']], true],
            'positional args' => ['call', ['webtotem_detect_root', ['/srv/s']], true],
            // The engine's and the CLI's wording of these differ; the class must not.
            'missing argument' => ['call', ['webtotem_detect_root', []], false],
            'unknown argument' => ['call', ['webtotem_detect_root', ['docroot' => '/srv/s', 'evil' => 1]], false],
            'wrong argument type' => ['call', ['webtotem_detect_root', ['docroot' => 42]], false],
            'non-UTF-8 docroot' => ['detectRoot', ["/srv/caf\xE9", null], false],
        ];
        foreach (glob(WT_FIXTURES . '/docroot/*.php') ?: [] as $file) {
            $cases['fixture ' . basename($file)] = ['detectRoot', ['/var/www/vhosts/s/httpdocs', file_get_contents($file)], true];
        }
        return $cases;
    }

    /** @dataProvider calls */
    public function testBothTransportsGiveTheSameOutcome(string $method, array $params, bool $sameMessage): void
    {
        $gateway = new Modules_WebtotemSecurity_Gateway(new Modules_WebtotemSecurity_Transport_Extension());
        $ext = self::outcome(fn () => $gateway->{$method}(...$params));
        $report = self::child(['method' => $method, 'params' => $params, 'runner' => 'command', 'command' => [WT_CLI]]);
        $this->assertSame('cli', $report['transport']);
        $cli = array_intersect_key($report, ['result' => 1, 'exception' => 1]);
        if (!$sameMessage) {
            $this->assertArrayHasKey('exception', $ext);
            unset($ext['exception']['message'], $cli['exception']['message']);
        }
        $this->assertSame($ext, $cli);
    }

    public function testTheExtensionsOwnExceptionClassesAreThrownInProcess(): void
    {
        $gateway = new Modules_WebtotemSecurity_Gateway();
        try {
            $gateway->detectRoot('relative');
            $this->fail('no exception');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertSame('webtotem', (new ReflectionClass($e))->getExtensionName());
        }
        try {
            $gateway->call('webtotem_detect_root', ['docroot' => 42]);
            $this->fail('no exception');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertInstanceOf(TypeError::class, $e->getPrevious());
            $this->assertStringEndsWith('/Transport/Extension.php', $e->getFile(), 'located where it was raised');
            $this->assertGreaterThan(0, $e->getLine());
        }
    }

    public function testNonUtf8StringsTravelAsBase64AtAnyDepth(): void
    {
        $src = "<?php /* \xE9 */ require __DIR__ . '/../vendor/autoload.php';";
        $report = self::child([
            'method' => 'detectRoot',
            'params' => ['/srv/s', $src],
            'runner' => 'canned',
            'canned' => ['code' => 0, 'stdout' => '"/srv/s/public"', 'stderr' => ''],
        ]);
        $this->assertSame('/srv/s/public', $report['result']);
        $this->assertSame(
            [['webtotem_detect_root', '{"docroot":"/srv/s","publicIndexPhp":{"base64":"' . base64_encode($src) . '"}}']],
            $report['runnerCalls']
        );
        $this->assertSame(
            ['a' => 'ok', 'b' => ['x', ['base64' => base64_encode("\xE9")], ['c' => ['base64' => base64_encode("\xFF\xFE")]]], 'n' => 1, 'z' => null],
            Modules_WebtotemSecurity_Transport_Cli::encodeArgs(['a' => 'ok', 'b' => ['x', "\xE9", ['c' => "\xFF\xFE"]], 'n' => 1, 'z' => null])
        );
        $report = self::child([
            'method' => 'version',
            'params' => [],
            'runner' => 'canned',
            'canned' => ['code' => 0, 'stdout' => '"1"', 'stderr' => ''],
        ]);
        $this->assertSame('{}', $report['runnerCalls'][0][1], 'no arguments are an empty JSON object');
    }

    // ---- (c) bad output from the runner ----

    /** @return array<string, array{0: array, 1: string, 2: string}> [runner output, class, message] */
    public static function badRunnerOutputs(): array
    {
        $internal = 'WebTotem\\InternalException';
        $prefix = 'the WebTotem core ';
        return [
            'exit 1' => [
                ['code' => 1, 'stdout' => '', 'stderr' => "boom: cannot map rules\n"],
                $internal, $prefix . 'failed for webtotem_version() (exit code 1): boom: cannot map rules',
            ],
            'exit 127, nothing on stderr' => [
                ['code' => 127, 'stdout' => '', 'stderr' => ''],
                $internal, $prefix . 'failed for webtotem_version() (exit code 127)',
            ],
            'garbage on exit 0' => [
                ['code' => 0, 'stdout' => '<html>Plesk error page', 'stderr' => 'warn'],
                $internal, $prefix . 'printed output that is not JSON for webtotem_version() (exit code 0): warn',
            ],
            'empty output on exit 0' => [
                ['code' => 0, 'stdout' => '', 'stderr' => ''],
                $internal, $prefix . 'printed output that is not JSON for webtotem_version() (exit code 0)',
            ],
            'garbage on exit 2' => [
                ['code' => 2, 'stdout' => 'error: unexpected argument', 'stderr' => ''],
                $internal, $prefix . 'printed output that is not JSON for webtotem_version() (exit code 2)',
            ],
            'exit 2 without an error object' => [
                ['code' => 2, 'stdout' => '{"error":"x"}', 'stderr' => ''],
                $internal, $prefix . 'printed no error object for webtotem_version() (exit code 2)',
            ],
            'a class outside the allow-list' => [
                ['code' => 2, 'stdout' => '{"error":{"class":"Evil\\\\Class","message":"pwned"}}', 'stderr' => ''],
                'WebTotem\\Exception', 'pwned',
            ],
            'a PHP class outside the allow-list' => [
                ['code' => 2, 'stdout' => '{"error":{"class":"SplFileObject","message":"/etc/passwd"}}', 'stderr' => ''],
                'WebTotem\\Exception', '/etc/passwd',
            ],
            'an allowed class' => [
                ['code' => 2, 'stdout' => '{"error":{"class":"WebTotem\\\\IoException","message":"cannot read"}}', 'stderr' => ''],
                'WebTotem\\IoException', 'cannot read',
            ],
            'an allowed class in the wrong case' => [
                ['code' => 2, 'stdout' => '{"error":{"class":"webtotem\\\\ioexception","message":"m"}}', 'stderr' => ''],
                'WebTotem\\Exception', 'm',
            ],
            'long stderr cut to 500 bytes on a character boundary' => [
                ['code' => 3, 'stdout' => '', 'stderr' => 'x' . str_repeat("\u{e9}", 600)],
                $internal, $prefix . 'failed for webtotem_version() (exit code 3): x' . str_repeat("\u{e9}", 249),
            ],
        ];
    }

    /** @dataProvider badRunnerOutputs */
    public function testBadRunnerOutputBecomesAWebTotemException(array $canned, string $class, string $message): void
    {
        $expected = ['exception' => ['class' => $class, 'message' => $message]];
        $report = self::child(['method' => 'version', 'params' => [], 'runner' => 'canned', 'canned' => $canned]);
        $this->assertSame($expected, array_intersect_key($report, ['result' => 1, 'exception' => 1]), 'without the extension');

        $transport = new Modules_WebtotemSecurity_Transport_Cli(fn (string $f, string $in): array => $canned);
        $gateway = new Modules_WebtotemSecurity_Gateway($transport);
        $this->assertSame($expected, self::outcome(fn () => $gateway->version()), 'with the extension loaded');
    }

    public function testARunnerThatThrowsOrReturnsNonsenseGivesAnInternalException(): void
    {
        $throws = new Modules_WebtotemSecurity_Gateway(new Modules_WebtotemSecurity_Transport_Cli(
            function (): array {
                throw new RuntimeException('sbin script not found');
            }
        ));
        $this->assertSame(
            ['exception' => ['class' => 'WebTotem\\InternalException', 'message' => 'cannot run the WebTotem core for webtotem_version(): RuntimeException: sbin script not found']],
            self::outcome(fn () => $throws->version())
        );
        $nonsense = new Modules_WebtotemSecurity_Gateway(new Modules_WebtotemSecurity_Transport_Cli(fn (): array => ['code' => '0']));
        $this->assertSame('WebTotem\\InternalException', self::outcome(fn () => $nonsense->version())['exception']['class']);
        $wrongType = new Modules_WebtotemSecurity_Gateway(new Modules_WebtotemSecurity_Transport_Cli(
            fn (): array => ['code' => 0, 'stdout' => '{"a":1}', 'stderr' => '']
        ));
        $this->assertSame(
            ['exception' => ['class' => 'WebTotem\\InternalException', 'message' => 'webtotem_version() returned array instead of a string']],
            self::outcome(fn () => $wrongType->version())
        );
    }

    // ---- (d) function names ----

    /** @return array<string, array{0: string}> */
    public static function badFunctionNames(): array
    {
        $names = ['system', 'webtotem_x; rm', '../x', "webtotem_x\n", "webtotem_version\0", 'WEBTOTEM_VERSION',
            'webtotem_', '', ' webtotem_version', 'webtotem_version ', 'webtotem-version', 'webtotem_x/../y', 'exec'];
        return array_combine(array_map('json_encode', $names), array_map(fn ($n) => [$n], $names));
    }

    /** @dataProvider badFunctionNames */
    public function testGatewayRejectsFunctionNamesBeforeAnyTransportRuns(string $name): void
    {
        $spy = new class implements Modules_WebtotemSecurity_Transport {
            public int $calls = 0;

            public function call(string $function, array $args): mixed
            {
                $this->calls++;
                return null;
            }

            public function name(): string
            {
                return 'spy';
            }
        };
        try {
            (new Modules_WebtotemSecurity_Gateway($spy))->call($name, []);
            $this->fail('no exception');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertStringStartsWith('not a WebTotem core function: ', $e->getMessage());
            $this->assertStringEndsWith('/plib/library/Gateway.php', $e->getFile());
            $this->assertTrue(preg_match('//u', $e->getMessage()) === 1 && !preg_match('/[\x00-\x1f]/', $e->getMessage()));
        }
        $this->assertSame(0, $spy->calls);
    }

    // ---- (e) the sbin wrapper ----

    public function testSbinWrapperIsAnExecutablePosixShellScript(): void
    {
        $script = WT_PLESK_MODULE . '/sbin/webtotem';
        $this->assertTrue(is_executable($script));
        $this->assertStringStartsWith("#!/bin/sh\n", file_get_contents($script));
        $this->assertSame(0, Process::run(['sh', '-n', $script])['code']);
    }

    /** @return array<string, array{0: list<string>}> */
    public static function rejectedSbinCommands(): array
    {
        return [
            'call system' => [['call', 'system']],
            'rm -rf' => [['rm', '-rf', '/']],
            'nothing' => [[]],
            'call without a function' => [['call']],
            'call with a shell injection' => [['call', 'webtotem_x; rm -rf /']],
            'call with a newline' => [['call', "webtotem_version\nrm"]],
            'call with upper case' => [['call', 'WEBTOTEM_VERSION']],
            'call with the bare prefix' => [['call', 'webtotem_']],
            'call with an extra argument' => [['call', 'webtotem_version', '--help']],
            'call with a path' => [['call', '../webtotem_version']],
            'version with an extra argument' => [['version', 'x']],
            'an option' => [['--help']],
        ];
    }

    /** @dataProvider rejectedSbinCommands */
    public function testSbinWrapperRejectsEverythingElse(array $args): void
    {
        $dir = $this->sbinDir();
        // No stdin: the wrapper exits without reading it, and writing it could hit a closed pipe.
        $r = Process::run(['sh', $dir . '/webtotem', ...$args]);
        $this->assertSame(2, $r['code'], $r['stdout'] . $r['stderr']);
        $this->assertSame('', $r['stderr']);
        $error = json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR)['error'];
        $this->assertSame('WebTotem\\InvalidArgumentException', $error['class']);
        $this->assertStringContainsString('accepts only', $error['message']);
    }

    public function testSbinWrapperPassesTheAllowedCommandsToTheCore(): void
    {
        $dir = $this->sbinDir();
        $r = Process::run(['sh', $dir . '/webtotem', 'call', 'webtotem_detect_root'], '{"docroot":"/srv/x","publicIndexPhp":null}');
        $this->assertSame([0, '"/srv/x"'], [$r['code'], trim($r['stdout'])]);
        $r = Process::run(['sh', $dir . '/webtotem', 'call', 'webtotem_detect_root'], '{"docroot":"x"}');
        $this->assertSame(2, $r['code']);
        $this->assertSame('WebTotem\\InvalidArgumentException', json_decode($r['stdout'], true)['error']['class']);
        $r = Process::run(['sh', $dir . '/webtotem', 'version']);
        $this->assertSame([0, json_encode(webtotem_version(), JSON_UNESCAPED_SLASHES)], [$r['code'], trim($r['stdout'])]);
        $r = Process::run(['sh', $dir . '/webtotem', 'functions']);
        $this->assertSame(0, $r['code']);
        $this->assertContains('webtotem_detect_root', array_column(json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR), 'name'));
    }

    public function testSbinWrapperReportsAMissingCoreAsJson(): void
    {
        $r = Process::run(['sh', $this->sbinDir(false) . '/webtotem', 'call', 'webtotem_version']);
        $this->assertSame(2, $r['code']);
        $this->assertSame('WebTotem\\InternalException', json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR)['error']['class']);
    }

    // ---- Exceptions.php ----

    public function testExceptionsFileDeclaresTheHierarchyOnlyWithoutTheExtension(): void
    {
        $this->assertSame('webtotem', (new ReflectionClass('WebTotem\\Exception'))->getExtensionName(), 'no clash in-process');
        $code = 'require ' . var_export(WT_PLESK_MODULE . '/plib/library/Exceptions.php', true) . ';'
            . 'foreach (Modules_WebtotemSecurity_Exceptions::CLASSES as $c) { $r = new ReflectionClass($c);'
            . ' echo $c, " < ", $r->getParentClass()->getName(), $r->isInternal() ? " internal" : "", "\n"; }'
            . '$e = Modules_WebtotemSecurity_Exceptions::create("WebTotem\\\\IoException", "m"); echo get_class($e), ":", $e->getMessage(), "\n";';
        $r = Process::run([PHP_BINARY, '-n', '-r', $code]);
        $this->assertSame(0, $r['code'], $r['stderr']);
        $this->assertSame(
            "WebTotem\\Exception < Exception\nWebTotem\\InvalidArgumentException < WebTotem\\Exception\n"
            . "WebTotem\\IoException < WebTotem\\Exception\nWebTotem\\InternalException < WebTotem\\Exception\n"
            . "WebTotem\\ApiException < WebTotem\\Exception\n"
            . "WebTotem\\IoException:m\n",
            $r['stdout']
        );
    }
}
