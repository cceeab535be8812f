<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\Process;

final class ModuleTest extends TestCase
{
    public function testVersionLineNamesTheCrateVersionAndBuild(): void
    {
        $this->assertMatchesRegularExpression(
            '/^\d+\.\d+\.\d+ \([0-9a-f]{12}(-dirty)?|unknown [0-9-]+|unknown, release\)/',
            webtotem_version()
        );
        $this->assertStringStartsWith((new ReflectionExtension('webtotem'))->getVersion() . ' (', webtotem_version());
    }

    public function testModuleInfoShowsVersionBuildAndFeatures(): void
    {
        $ext = (new ReflectionExtension('webtotem'));
        ob_start();
        $ext->info();
        $info = ob_get_clean();
        $this->assertStringContainsString('WebTotem Security core => enabled', $info);
        $this->assertStringContainsString('version => ' . $ext->getVersion(), $info);
        $this->assertStringContainsString('build => ' . webtotem_version(), $info);
        $this->assertStringContainsString('enabled features => document-root detection, antivirus', $info);
        $this->assertMatchesRegularExpression('/antivirus rules => [1-9]\d*/', $info);
        $this->assertMatchesRegularExpression('/firewall rules => ' . count(webtotem_waf_rules()['rules']) . '$/m', $info);
        $this->assertStringContainsString('firewall (rule engine', $info);
        $this->assertMatchesRegularExpression('/rustc => rustc 1\.\d+/', $info);
    }

    public function testExceptionHierarchy(): void
    {
        foreach (['InvalidArgumentException', 'IoException', 'InternalException', 'ApiException'] as $name) {
            $class = new ReflectionClass('WebTotem\\' . $name);
            $this->assertSame('WebTotem\\Exception', $class->getParentClass()->getName());
        }
        $this->assertSame('Exception', (new ReflectionClass('WebTotem\\Exception'))->getParentClass()->getName());
    }

    public function testCoreExceptionsCarryTheCallersFileLineAndTrace(): void
    {
        $line = __LINE__ + 2;
        try {
            webtotem_detect_root('relative');
            $this->fail('no exception');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertSame(__FILE__, $e->getFile());
            $this->assertSame($line, $e->getLine());
            $this->assertSame('webtotem_detect_root', $e->getTrace()[0]['function'] ?? null);
            $this->assertSame(__FUNCTION__, $e->getTrace()[1]['function'] ?? null);
        }
    }

    public function testPhpCodeMayConstructTheExceptionClasses(): void
    {
        $previous = new RuntimeException('cause');
        $e = new WebTotem\IoException('cannot read index.php', 5, $previous);
        $this->assertInstanceOf(WebTotem\Exception::class, $e);
        $this->assertSame(['cannot read index.php', 5, $previous], [$e->getMessage(), $e->getCode(), $e->getPrevious()]);
    }

    public function testOnlyTheDocumentedFunctionsAreExported(): void
    {
        $names = array_keys((new ReflectionExtension('webtotem'))->getFunctions());
        sort($names);
        $this->assertSame([
            'webtotem_agent_file_name', 'webtotem_api_add_host', 'webtotem_api_check_agent', 'webtotem_api_confirm_email',
            'webtotem_api_dashboard', 'webtotem_api_download_agent', 'webtotem_api_errors', 'webtotem_api_generate_agent',
            'webtotem_api_host', 'webtotem_api_host_checks', 'webtotem_api_hosts', 'webtotem_api_login',
            'webtotem_api_register', 'webtotem_api_set_module', 'webtotem_api_toggle',
            'webtotem_api_upload_firewall_log', 'webtotem_api_upload_sample', 'webtotem_detect_root',
            'webtotem_email_allowed', 'webtotem_firewall_hook', 'webtotem_firewall_hook_status',
            'webtotem_firewall_parse_log', 'webtotem_firewall_unhook', 'webtotem_firewall_user_ini_hook',
            'webtotem_firewall_user_ini_status', 'webtotem_firewall_user_ini_unhook', 'webtotem_flood_hit', 'webtotem_match_signatures',
            'webtotem_quarantine', 'webtotem_quarantine_list', 'webtotem_render_antivirus_agent',
            'webtotem_render_firewall_agent', 'webtotem_restore', 'webtotem_scan_file', 'webtotem_scan_path',
            'webtotem_sign_agent_request', 'webtotem_sync_sites', 'webtotem_version',
            'webtotem_waf_inspect', 'webtotem_waf_rules', 'webtotem_waf_transform',
        ], $names);
        $classes = (new ReflectionExtension('webtotem'))->getClassNames();
        sort($classes);
        $this->assertSame([
            'WebTotem\\ApiException', 'WebTotem\\Client', 'WebTotem\\Exception', 'WebTotem\\InternalException',
            'WebTotem\\InvalidArgumentException', 'WebTotem\\IoException',
        ], $classes);
    }

    public function testARustPanicBecomesAnInternalExceptionAndPhpGoesOn(): void
    {
        $this->assertFileExists(WT_PROBES_SO, 'scripts/test.sh builds the probe extension first');
        $code = <<<'PHP'
            try {
                webtotem_test_panic("index out of bounds: the len is 3");
            } catch (WebTotem\Exception $e) {
                echo get_class($e), "|", $e->getMessage(), "\n";
            }
            echo "still running\n";
            PHP;
        $r = Process::php($code, WT_PROBES_SO);
        $this->assertSame(0, $r['code'], $r['stderr']);
        $this->assertSame(
            "WebTotem\\InternalException|internal error in the WebTotem core: index out of bounds: the len is 3\nstill running\n",
            $r['stdout']
        );
        $this->assertStringNotContainsString('panicked', $r['stderr'], 'the panic hook must stay quiet');
    }

    public function testWrongTypesAreTypeErrorsNotCrashes(): void
    {
        $this->expectException(TypeError::class);
        /** @phpstan-ignore-next-line */
        webtotem_detect_root(['not', 'a', 'string']);
    }
}
