<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\Process;

/**
 * The CLI twin (`webtotem call FUNCTION`, JSON on stdin) reaches every PHP
 * function of the extension and gives the same results and errors.
 */
final class CliParityTest extends TestCase
{
    private static function cli(string $function, array $args): array
    {
        $r = Process::run([WT_CLI, 'call', $function], json_encode($args, JSON_THROW_ON_ERROR | JSON_INVALID_UTF8_IGNORE));
        $decoded = json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR);
        return [$r['code'], $decoded];
    }

    /** The extension's result in the CLI's shape: [exit code, result or error]. */
    private static function ext(string $function, array $args): array
    {
        try {
            return [0, $function(...$args)];
        } catch (WebTotem\Exception $e) {
            return [2, ['error' => ['class' => get_class($e), 'message' => $e->getMessage(), 'code' => $e->getCode()]]];
        }
    }

    public function testEveryExtensionFunctionIsListedByTheCli(): void
    {
        $r = Process::run([WT_CLI, 'functions']);
        $this->assertSame(0, $r['code']);
        $cli = json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR);
        $ext = [];
        foreach ((new ReflectionExtension('webtotem'))->getFunctions() as $name => $fn) {
            $ext[$name] = array_map(fn ($p) => $p->getName(), $fn->getParameters());
        }
        $listed = array_column($cli, 'params', 'name');
        ksort($ext);
        ksort($listed);
        $this->assertSame($ext, $listed);
    }

    public static function calls(): array
    {
        $cases = [
            'version' => ['webtotem_version', []],
            'no index' => ['webtotem_detect_root', ['docroot' => '/var/www/a/httpdocs']],
            'null index' => ['webtotem_detect_root', ['docroot' => '/var/www/a/httpdocs', 'publicIndexPhp' => null]],
            'relative docroot' => ['webtotem_detect_root', ['docroot' => 'httpdocs']],
            'dotdot docroot' => ['webtotem_detect_root', ['docroot' => '/a/../b', 'publicIndexPhp' => '<?php']],
            'root docroot' => ['webtotem_detect_root', ['docroot' => '/']],
            'sign agent request' => ['webtotem_sign_agent_request', ['siteKey' => str_repeat('ab', 32), 'timestamp' => 1767225600, 'nonce' => '0123456789abcdef', 'body' => '{"action":"ping"}']],
            'sign with a short key' => ['webtotem_sign_agent_request', ['siteKey' => 'abcd', 'timestamp' => 1, 'nonce' => '', 'body' => '']],
            'match signatures' => ['webtotem_match_signatures', ['path' => 'up/x.php', 'contents' => "<?php\n@eval(\$_POST['a']); // FilesMan"]],
            'match signatures, no path' => ['webtotem_match_signatures', ['path' => '', 'contents' => '']],
            'render agent' => ['webtotem_render_antivirus_agent', ['config' => ['site_key' => str_repeat('ab', 32), 'state_dir_name' => 'wt-state-1234', 'state_dir_path' => '/var/www/vhosts/a.example/private']]],
            'render agent, bad dir' => ['webtotem_render_antivirus_agent', ['config' => ['site_key' => str_repeat('ab', 32), 'state_dir_name' => '../x']]],
            'waf inspect' => ['webtotem_waf_inspect', ['request' => ['method' => 'GET', 'uri' => '/?q=%3Cscript%3E', 'query' => ['q' => '<script>alert(1)</script>'], 'headers' => ['User-Agent' => ['a', 'b']]]]],
            'waf inspect, options' => ['webtotem_waf_inspect', ['request' => ['uri' => '/?id=1%20or%201=1'], 'options' => ['paranoia' => 4, 'threshold' => 50, 'disabled_rules' => ['sqli-union-select']]]],
            'waf inspect, unknown key' => ['webtotem_waf_inspect', ['request' => ['url' => '/']]],
            'waf inspect, bad paranoia' => ['webtotem_waf_inspect', ['request' => [], 'options' => ['paranoia' => 9]]],
            'waf transform' => ['webtotem_waf_transform', ['transform' => 'cmd_line', 'value' => "c\\a't /e\"tc/pa^sswd"]],
            'waf transform, unknown' => ['webtotem_waf_transform', ['transform' => 'rot13', 'value' => 'x']],
            'waf rules' => ['webtotem_waf_rules', []],
            'render firewall agent' => ['webtotem_render_firewall_agent', ['config' => ['site_key' => str_repeat('ab', 32), 'state_dir_name' => 'wt-state-1234', 'allow_ips' => ['10.0.0.0/8'], 'mode' => 'monitor']]],
            'render firewall agent, bad ip' => ['webtotem_render_firewall_agent', ['config' => ['site_key' => str_repeat('ab', 32), 'state_dir_name' => 'wt-state-1234', 'allow_ips' => ['10.0.0.0/99']]]],
            'parse firewall log' => ['webtotem_firewall_parse_log', ['log' => "{\"type\":\"start\",\"log_id\":\"ab12\"}\n{\"type\":\"request\",\"id\":\"x1\",\"ts\":1796284136,\"ip\":\"203.0.113.9\",\"action\":\"blocked\",\"class\":\"xss\",\"score\":5,\"rules\":[\"xss-script-tag\"]}\nnot json\npartial", 'offset' => 100]],
            'parse firewall log, negative offset' => ['webtotem_firewall_parse_log', ['log' => '', 'offset' => -1]],
        ];
        foreach (glob(WT_FIXTURES . '/docroot/*.php') as $file) {
            $contents = file_get_contents($file);
            if (mb_check_encoding($contents, 'UTF-8')) {
                $cases[basename($file)] = ['webtotem_detect_root', ['docroot' => '/srv/s/httpdocs', 'publicIndexPhp' => $contents]];
            }
        }
        return $cases;
    }

    /** @dataProvider calls */
    public function testSameResultThroughBothTransports(string $function, array $args): void
    {
        $this->assertSame(self::ext($function, $args), self::cli($function, $args));
    }

    public function testBinaryArgumentsTravelAsBase64(): void
    {
        $src = "<?php /* \xE9\xFF */ require __DIR__ . '/../vendor/autoload.php';";
        $r = Process::run(
            [WT_CLI, 'call', 'webtotem_detect_root'],
            json_encode(['docroot' => '/srv/s', 'publicIndexPhp' => ['base64' => base64_encode($src)]])
        );
        $this->assertSame(0, $r['code'], $r['stdout']);
        $this->assertSame(json_encode(webtotem_detect_root('/srv/s', $src), JSON_UNESCAPED_SLASHES), trim($r['stdout']));
    }

    public static function badRequests(): array
    {
        return [
            'not json' => ['webtotem_detect_root', '{', 'not valid JSON'],
            'list args' => ['webtotem_detect_root', '["/a"]', 'must be a JSON object'],
            'missing arg' => ['webtotem_detect_root', '{}', 'argument $docroot is required'],
            'wrong type' => ['webtotem_detect_root', '{"docroot": 42}', 'argument $docroot has the wrong type'],
            'unknown arg' => ['webtotem_detect_root', '{"docroot": "/a", "x": 1}', 'unknown argument $x'],
            'unknown function' => ['system', '{}', 'unknown function "system"'],
        ];
    }

    /** @dataProvider badRequests */
    public function testBadRequestsGiveAJsonErrorAndExitCode2(string $function, string $stdin, string $message): void
    {
        $r = Process::run([WT_CLI, 'call', $function], $stdin);
        $this->assertSame(2, $r['code']);
        $error = json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR)['error'];
        $this->assertSame('WebTotem\\InvalidArgumentException', $error['class']);
        $this->assertStringContainsString($message, $error['message']);
    }
}
