<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\Process;

/**
 * The firewall hook through the extension and the CLI: every shape of
 * tests/fixtures/index/ hooked, linted, served by php-cgi (a web SAPI: the
 * headers and body must not change, the agent must run before the page,
 * and a missing or broken agent must let the page through), unhooked to
 * the original bytes; the Debian code bases' index.php files; bad input;
 * and the .user.ini mode, including a real php-cgi run that reads it.
 */
final class FirewallHookTest extends TestCase
{
    private const AGENT = 'wt-0123456789abcdef0123456789abcdef.php';
    private const OTHER = 'wt-fedcba9876543210fedcba9876543210.php';

    /** Records what happened before it ran, once, leaving no variable behind. */
    private const RECORDING_AGENT = <<<'PHP'
        <?php
        (static function () {
            $builtin = ['GLOBALS', '_GET', '_POST', '_COOKIE', '_FILES', '_SERVER', '_ENV', '_REQUEST', 'argv', 'argc'];
            file_put_contents(__DIR__ . '/agent.log', json_encode([
                'output_started' => headers_sent(),
                'user_constants' => array_keys(get_defined_constants(true)['user'] ?? []),
                'globals' => array_values(array_diff(array_keys($GLOBALS), $builtin)),
                'script' => basename($_SERVER['SCRIPT_FILENAME']),
            ]) . "\n", FILE_APPEND);
        })();
        PHP;

    private static function tempDir(): string
    {
        $dir = sys_get_temp_dir() . '/wt-hook-' . bin2hex(random_bytes(6));
        mkdir($dir);
        return $dir;
    }

    private static function removeTree(string $dir): void
    {
        foreach (new RecursiveIteratorIterator(
            new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS),
            RecursiveIteratorIterator::CHILD_FIRST
        ) as $f) {
            $f->isDir() && !$f->isLink() ? rmdir($f->getPathname()) : unlink($f->getPathname());
        }
        rmdir($dir);
    }

    /** `php -l` on `$src`; null when it compiles, else PHP's message. */
    private static function lintError(string $src, array $settings = []): ?string
    {
        $file = tempnam(sys_get_temp_dir(), 'wt-lint');
        file_put_contents($file, $src);
        $cmd = [PHP_BINARY];
        foreach ($settings as $s) {
            array_push($cmd, '-d', $s);
        }
        $r = Process::run([...$cmd, '-l', $file]);
        unlink($file);
        return $r['code'] === 0 ? null : $r['stdout'] . $r['stderr'];
    }

    private static function phpCgi(): string
    {
        return PHP_BINDIR . '/php-cgi';
    }

    /** Serves `$dir/$script` through php-cgi as a GET request; returns [exit code, headers and body]. */
    private static function serve(string $dir, string $script = 'index.php', array $settings = []): array
    {
        $cmd = [self::phpCgi(), '-d', 'output_buffering=0', '-d', 'display_errors=1', '-d', 'log_errors=0',
            '-d', 'html_errors=0', '-d', 'error_reporting=-1'];
        foreach ($settings as $s) {
            array_push($cmd, '-d', $s);
        }
        $r = Process::run($cmd, '', [
            'REDIRECT_STATUS' => '200',
            'REQUEST_METHOD' => 'GET',
            'SCRIPT_FILENAME' => "$dir/$script",
            'SCRIPT_NAME' => "/$script",
            'REQUEST_URI' => "/$script",
            'DOCUMENT_ROOT' => $dir,
            'PATH' => '/usr/bin:/bin',
        ]);
        return [$r['code'], $r['stdout'] . $r['stderr']];
    }

    private static function cli(string $function, array $args): array
    {
        $wire = [];
        foreach ($args as $k => $v) {
            $wire[$k] = is_string($v) && !mb_check_encoding($v, 'UTF-8') ? ['base64' => base64_encode($v)] : $v;
        }
        $r = Process::run([WT_CLI, 'call', $function], json_encode($wire, JSON_THROW_ON_ERROR));
        return [$r['code'], json_decode($r['stdout'], true, 512, JSON_THROW_ON_ERROR)];
    }

    /** A string result of the CLI: plain or `{"base64": …}`. */
    private static function cliBytes(mixed $value): string
    {
        return is_array($value) ? base64_decode($value['base64'], true) : $value;
    }

    public static function fixtures(): array
    {
        $cases = [];
        foreach (glob(WT_FIXTURES . '/index/*.php') as $file) {
            $cases[basename($file)] = [$file];
        }
        return $cases;
    }

    public function testThereAreEnoughShapes(): void
    {
        $this->assertGreaterThanOrEqual(45, count(self::fixtures()));
    }

    /** @dataProvider fixtures */
    public function testFixtureHooksLintsAndUnhooks(string $file): void
    {
        $src = file_get_contents($file);
        $settings = str_contains($file, 'short-open-tag') ? [['short_open_tag=0'], ['short_open_tag=1']] : [['short_open_tag=0']];
        foreach ($settings as $s) {
            $this->assertNull(self::lintError($src, $s), 'the fixture itself must compile');
        }
        $hooked = webtotem_firewall_hook($src, self::AGENT);
        foreach ($settings as $s) {
            $this->assertNull(self::lintError($hooked, $s));
        }
        $this->assertSame($src, webtotem_firewall_unhook($hooked));
        $this->assertSame($hooked, webtotem_firewall_hook($hooked, self::AGENT));
        $this->assertSame($src, webtotem_firewall_unhook($src), 'a file without the hook is unchanged');
        $status = webtotem_firewall_hook_status($hooked);
        $this->assertSame(true, $status['hooked']);
        $this->assertSame(self::AGENT, $status['agent_file']);
        $this->assertContains($status['placement'], ['code', 'block']);
        $this->assertNull($status['problem']);
        $this->assertSame(
            ['hooked' => false, 'agent_file' => null, 'placement' => null, 'line' => null, 'problem' => null],
            webtotem_firewall_hook_status($src)
        );
        $other = webtotem_firewall_hook($hooked, self::OTHER);
        $this->assertSame(self::OTHER, webtotem_firewall_hook_status($other)['agent_file']);
        $this->assertSame($src, webtotem_firewall_unhook($other));
        $this->assertStringContainsString("__DIR__ . '/" . self::AGENT . "'", $hooked);
    }

    /** @dataProvider fixtures */
    public function testTheCliGivesTheSameBytes(string $file): void
    {
        $src = file_get_contents($file);
        $hooked = webtotem_firewall_hook($src, self::AGENT);
        [$code, $out] = self::cli('webtotem_firewall_hook', ['indexPhp' => $src, 'agentFile' => self::AGENT]);
        $this->assertSame(0, $code);
        $this->assertSame($hooked, self::cliBytes($out));
        [$code, $out] = self::cli('webtotem_firewall_unhook', ['indexPhp' => $hooked]);
        $this->assertSame([0, $src], [$code, self::cliBytes($out)]);
        [$code, $out] = self::cli('webtotem_firewall_hook_status', ['indexPhp' => $hooked]);
        $this->assertSame([0, webtotem_firewall_hook_status($hooked)], [$code, $out]);
    }

    /** @dataProvider fixtures */
    public function testTheHookedPageServesTheSameWithTheAgentFirstAndFailsOpen(string $file): void
    {
        $this->assertFileExists(self::phpCgi(), 'scripts/setup.sh installs php8.2-cgi');
        $src = file_get_contents($file);
        $hooked = webtotem_firewall_hook($src, self::AGENT);
        $settings = str_contains($file, 'short-open-tag') ? [['short_open_tag=0'], ['short_open_tag=1']] : [[]];
        $dir = self::tempDir();
        try {
            foreach ($settings as $s) {
                file_put_contents("$dir/index.php", $src);
                $original = self::serve($dir, 'index.php', $s);

                file_put_contents("$dir/index.php", $hooked);
                file_put_contents("$dir/" . self::AGENT, self::RECORDING_AGENT);
                $this->assertSame($original, self::serve($dir, 'index.php', $s), 'headers, body and exit code');
                $records = file("$dir/agent.log", FILE_IGNORE_NEW_LINES);
                $this->assertCount(1, $records, 'the agent runs once');
                $this->assertSame([
                    'output_started' => str_starts_with($src, "\xEF\xBB\xBF"),
                    'user_constants' => [],
                    'globals' => [],
                    'script' => 'index.php',
                ], json_decode($records[0], true), 'the agent runs before the page');
                unlink("$dir/agent.log");

                unlink("$dir/" . self::AGENT);
                $this->assertSame($original, self::serve($dir, 'index.php', $s), 'without the agent');
                $this->assertFileDoesNotExist("$dir/agent.log");
            }
        } finally {
            self::removeTree($dir);
        }
    }

    public static function brokenAgents(): array
    {
        return [
            'a parse error' => ["<?php\nthis is not PHP;\n"],
            'an exception' => ["<?php\nthrow new RuntimeException('agent failed');\n"],
            'a type error' => ["<?php\nstrlen([]);\n"],
            'an empty file' => [''],
            'a directory' => [null],
        ];
    }

    /** @dataProvider brokenAgents */
    public function testABrokenAgentLetsThePageThrough(?string $agent): void
    {
        $dir = self::tempDir();
        try {
            foreach (['wordpress.php', 'html-first.php', 'braced-namespaces.php', 'strict-types-namespace.php', 'bom.php'] as $name) {
                $src = file_get_contents(WT_FIXTURES . "/index/$name");
                file_put_contents("$dir/index.php", $src);
                $original = self::serve($dir);
                file_put_contents("$dir/index.php", webtotem_firewall_hook($src, self::AGENT));
                $agent === null ? mkdir("$dir/" . self::AGENT) : file_put_contents("$dir/" . self::AGENT, $agent);
                $this->assertSame($original, self::serve($dir), $name);
                $agent === null ? rmdir("$dir/" . self::AGENT) : unlink("$dir/" . self::AGENT);
            }
        } finally {
            self::removeTree($dir);
        }
    }

    public function testEveryIndexPhpOfTheDebianCodeBases(): void
    {
        $found = 0;
        foreach (['wordpress', 'phpmyadmin', 'roundcube', 'dokuwiki', 'mediawiki', 'php'] as $base) {
            $root = "/usr/share/$base";
            $this->assertDirectoryExists($root, 'scripts/setup.sh installs it');
            $files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator(
                $root,
                FilesystemIterator::SKIP_DOTS | FilesystemIterator::FOLLOW_SYMLINKS
            ));
            foreach ($files as $f) {
                if ($f->getFilename() !== 'index.php' || !$f->isFile()) {
                    continue;
                }
                $src = file_get_contents($f->getPathname());
                if (self::lintError($src) !== null) {
                    continue;
                }
                $found++;
                $hooked = webtotem_firewall_hook($src, self::AGENT);
                $this->assertNull(self::lintError($hooked), $f->getPathname());
                $this->assertSame($src, webtotem_firewall_unhook($hooked), $f->getPathname());
                $this->assertSame($hooked, webtotem_firewall_hook($hooked, self::AGENT));
            }
        }
        $this->assertGreaterThanOrEqual(15, $found);
    }

    public static function badAgentNames(): array
    {
        return [
            'empty' => [''],
            'parent directory' => ['../wt-0123456789abcdef.php'],
            'dot dot' => ['..'],
            'subdirectory' => ['sub/wt-0123456789abcdef.php'],
            'absolute' => ['/var/www/wt-0123456789abcdef.php'],
            'backslash' => ['..\\wt-0123456789abcdef.php'],
            'NUL' => ["wt-0123456789abcdef.php\0.jpg"],
            'wrong extension' => ['wt-0123456789abcdef.phtml'],
            'double extension' => ['wt-0123456789abcdef.php.txt'],
            'upper-case extension' => ['wt-0123456789abcdef.PHP'],
            'quote' => ["wt-0123456789abc'def.php"],
            'space' => ['wt-0123456789 abcdef.php'],
            'too short' => ['wt-1.php'],
            'too long' => [str_repeat('a', 81) . '.php'],
            'not ASCII' => ['wt-0123456789abcdéf.php'],
        ];
    }

    /** @dataProvider badAgentNames */
    public function testBadAgentNamesAreRefused(string $name): void
    {
        try {
            webtotem_firewall_hook("<?php\necho 1;\n", $name);
            $this->fail('no exception');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertStringContainsString('agent file name', $e->getMessage());
        }
        [$code, $out] = self::cli('webtotem_firewall_hook', ['indexPhp' => "<?php\necho 1;\n", 'agentFile' => $name]);
        $this->assertSame(2, $code);
        $this->assertSame(['class' => 'WebTotem\\InvalidArgumentException', 'message' => $e->getMessage(), 'code' => 0], $out['error']);
    }

    public static function damagedFiles(): array
    {
        $src = file_get_contents(WT_FIXTURES . '/index/laravel-11.php');
        $hooked = webtotem_firewall_hook($src, self::AGENT);
        $block = webtotem_firewall_hook(file_get_contents(WT_FIXTURES . '/index/leading-newline.php'), self::AGENT);
        return [
            'include edited' => [str_replace('include_once', 'include', $hooked)],
            'agent renamed to a path' => [str_replace(self::AGENT, '../../etc/passwd', $hooked)],
            'end marker removed' => [str_replace('/* END WebTotem firewall hook */', '', $hooked)],
            'begin marker edited' => [str_replace('/* BEGIN WebTotem firewall hook (', '/* BEGIN WebTotem firewall hook [', $hooked)],
            'hook doubled' => [$hooked . $hooked],
            'marker words in a comment' => [$hooked . "\n// the WebTotem firewall hook is above\n"],
            'only an end marker' => [$src . "\n/* END WebTotem firewall hook */\n"],
            'hook turned into a string' => [str_replace('<?php', "<?php \$x = '", $hooked) . "';"],
            'line break after the block removed' => [preg_replace('/\?>\n/', '?>', $block, 1)],
        ];
    }

    /** @dataProvider damagedFiles */
    public function testDamagedHooksAreRefusedNotGuessed(string $damaged): void
    {
        foreach ([fn () => webtotem_firewall_unhook($damaged), fn () => webtotem_firewall_hook($damaged, self::AGENT)] as $call) {
            try {
                $call();
                $this->fail('no exception');
            } catch (WebTotem\InvalidArgumentException $e) {
                $this->assertStringContainsString('damaged WebTotem firewall hook', $e->getMessage());
            }
        }
        $status = webtotem_firewall_hook_status($damaged);
        $this->assertFalse($status['hooked']);
        $this->assertIsString($status['problem']);
        [$code, $out] = self::cli('webtotem_firewall_unhook', ['indexPhp' => $damaged]);
        $this->assertSame(2, $code);
        $this->assertSame('WebTotem\\InvalidArgumentException', $out['error']['class']);
    }

    public static function unhookableFiles(): array
    {
        mt_srand(7);
        $garbage = '';
        for ($i = 0; $i < 4096; $i++) {
            $garbage .= chr(mt_rand(0, 255));
        }
        return [
            'binary garbage' => [$garbage . "\0"],
            'a NUL byte in code' => ["<?php\necho 1;\0\n"],
            'a gzip file' => [gzencode(str_repeat('<?php echo 1; ', 100))],
            'unterminated comment' => ["<?php\n/* never closed\necho 1;\n"],
            'unterminated string' => ["<?php\necho 'never closed;\n"],
            'unterminated heredoc' => ["<?php\necho <<<EOT\nnever closed\n"],
            'unterminated declare' => ["<?php\ndeclare(strict_types=1\n"],
            'declare closed by ?>' => ["<?php declare(strict_types=1) ?>\n<p>x</p>"],
            'namespace without ; or {' => ["<?php\nnamespace App\n"],
            'short tag then namespace' => ["<? namespace App; echo 1;"],
            'ionCube-encoded' => ["<?php //0046a\nif(!extension_loaded('ionCube Loader')){die('The file needs the ionCube Loader');}\n?>\nHR+cPyzsomeencodedpayload"],
        ];
    }

    /** @dataProvider unhookableFiles */
    public function testFilesThatCannotBeHookedSafelyAreRefused(string $src): void
    {
        try {
            webtotem_firewall_hook($src, self::AGENT);
            $this->fail('no exception');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertMatchesRegularExpression('/index\.php (has a NUL byte|ends inside|is encoded)|statement on line|declaration on line|short open tag/', $e->getMessage());
        }
        $this->assertSame($src, webtotem_firewall_unhook($src), 'nothing to remove');
        [$code, $out] = self::cli('webtotem_firewall_hook', ['indexPhp' => $src, 'agentFile' => self::AGENT]);
        $this->assertSame([2, 'WebTotem\\InvalidArgumentException', $e->getMessage()], [$code, $out['error']['class'], $out['error']['message']]);
    }

    // ---- .user.ini ----

    private const AGENT_PATH = '/var/www/vhosts/example.com/httpdocs/wt-0123456789abcdef0123456789abcdef.php';

    public static function userInis(): array
    {
        return [
            'none' => [''],
            'settings' => ["memory_limit = 256M\nupload_max_filesize = 64M\n"],
            'no trailing newline' => ["max_execution_time = 60"],
            'CRLF' => ["; from a Windows editor\r\nmemory_limit = 512M\r\n"],
            'BOM' => ["\xEF\xBB\xBFdisplay_errors = Off\n"],
            'another firewall (single quotes)' => ["; Wordfence WAF\nauto_prepend_file = '/var/www/vhosts/example.com/httpdocs/wordfence-waf.php'\n; END Wordfence WAF\n"],
            'another firewall (double quotes, comment)' => ["memory_limit=128M\n  auto_prepend_file = \"/srv/guard/prepend.php\" ; added by a plugin\nx = 1\n"],
            'another firewall (unquoted, CRLF, last line)' => ["a = 1\r\nauto_prepend_file = /srv/guard/prepend.php"],
            'two lines, the last wins' => ["auto_prepend_file = /srv/old.php\nauto_prepend_file = /srv/new.php\n"],
            'switched off' => ["auto_prepend_file = none\n"],
            'commented out' => [";auto_prepend_file = /srv/old.php\n"],
            'inside a multi-line value' => ["motd = \"one\nauto_prepend_file = /not/a/directive.php\"\n"],
        ];
    }

    /** @dataProvider userInis */
    public function testUserIniHookAndUnhook(string $ini): void
    {
        $r = webtotem_firewall_user_ini_hook($ini, self::AGENT_PATH);
        $this->assertSame(['contents', 'previous', 'changed'], array_keys($r));
        $this->assertTrue($r['changed']);
        $parsed = parse_ini_string($r['contents'], false, INI_SCANNER_NORMAL);
        $this->assertSame(self::AGENT_PATH, $parsed['auto_prepend_file'], 'PHP reads our path');
        $before = parse_ini_string($ini, false, INI_SCANNER_NORMAL);
        $this->assertIsArray($before);
        $this->assertSame(($before['auto_prepend_file'] ?? '') === '' ? null : $before['auto_prepend_file'], $r['previous']);
        foreach ($before as $key => $value) {
            if ($key !== 'auto_prepend_file') {
                $this->assertSame($value, $parsed[$key], "setting $key kept");
            }
        }
        $this->assertSame($ini, webtotem_firewall_user_ini_unhook($r['contents']));
        $again = webtotem_firewall_user_ini_hook($r['contents'], self::AGENT_PATH);
        $this->assertSame([$r['contents'], $r['previous'], false], [$again['contents'], $again['previous'], $again['changed']]);
        $this->assertSame(
            ['hooked' => true, 'agent_path' => self::AGENT_PATH, 'previous' => $r['previous'], 'problem' => null],
            webtotem_firewall_user_ini_status($r['contents'])
        );
        $this->assertSame($ini, webtotem_firewall_user_ini_unhook($ini));
        if (str_contains($ini, "\r\n")) {
            $this->assertSame(substr_count($r['contents'], "\n"), substr_count($r['contents'], "\r\n"), 'CRLF kept');
        }
        $moved = webtotem_firewall_user_ini_hook($r['contents'], '/srv/other/' . self::OTHER);
        $this->assertSame('/srv/other/' . self::OTHER, parse_ini_string($moved['contents'])['auto_prepend_file']);
        $this->assertSame($ini, webtotem_firewall_user_ini_unhook($moved['contents']));

        foreach ([
            'webtotem_firewall_user_ini_hook' => ['userIni' => $ini, 'agentPath' => self::AGENT_PATH],
            'webtotem_firewall_user_ini_unhook' => ['userIni' => $r['contents']],
            'webtotem_firewall_user_ini_status' => ['userIni' => $r['contents']],
        ] as $function => $args) {
            [$code, $out] = self::cli($function, $args);
            $ext = $function(...$args);
            $this->assertSame(0, $code);
            if (is_string($ext)) {
                $this->assertSame($ext, self::cliBytes($out), $function);
            } else {
                $this->assertSame(array_keys($ext), array_keys($out), $function);
                foreach ($ext as $k => $v) {
                    $this->assertSame($v, is_array($out[$k]) ? self::cliBytes($out[$k]) : $out[$k], "$function $k");
                }
            }
        }
    }

    public static function badUserIniCalls(): array
    {
        $hooked = webtotem_firewall_user_ini_hook("a = 1\n", self::AGENT_PATH)['contents'];
        return [
            'relative path' => ['', 'httpdocs/' . self::AGENT],
            'dot dot' => ['', '/var/www/../' . self::AGENT],
            'NUL' => ['', "/var/www/\0/" . self::AGENT],
            'quote' => ['', '/var/www/"x/' . self::AGENT],
            'dollar' => ['', '/var/www/${HOME}/' . self::AGENT],
            'not an agent name' => ['', '/var/www/vhosts/example.com/httpdocs/index.php'],
            'a directory' => ['', '/var/www/vhosts/example.com/httpdocs/'],
            'damaged block' => [str_replace('auto_prepend_file = "', 'auto_prepend_file="', $hooked), self::AGENT_PATH],
            'marker words elsewhere' => [$hooked . "; WebTotem firewall was here\n", self::AGENT_PATH],
            'unterminated quote' => ["a = \"open\n", self::AGENT_PATH],
            'binary garbage' => ["\x00\xff\xfe garbage", self::AGENT_PATH],
        ];
    }

    /** @dataProvider badUserIniCalls */
    public function testBadUserIniCallsAreRefused(string $ini, string $path): void
    {
        $this->expectException(WebTotem\InvalidArgumentException::class);
        webtotem_firewall_user_ini_hook($ini, $path);
    }

    public function testPhpCgiRunsTheAgentFromUserIniBeforeEveryScriptAndChainsThePreviousPrepend(): void
    {
        $this->assertFileExists(self::phpCgi(), 'scripts/setup.sh installs php8.2-cgi');
        $dir = self::tempDir();
        try {
            mkdir("$dir/sub");
            $log = "$dir/order.log";
            file_put_contents("$dir/index.php", "<?php echo 'front page';\n");
            file_put_contents("$dir/sub/other.php", "<?php echo 'another entry point';\n");
            file_put_contents("$dir/other-waf.php", '<?php file_put_contents(' . var_export($log, true) . ', "other-waf " . basename($_SERVER["SCRIPT_FILENAME"]) . "\n", FILE_APPEND);');
            $ini = "; Another plugin's firewall\nauto_prepend_file = '$dir/other-waf.php'\nmemory_limit = 128M\n";
            file_put_contents("$dir/.user.ini", $ini);
            $before = [self::serve($dir, 'index.php'), self::serve($dir, 'sub/other.php')];
            $this->assertSame("other-waf index.php\nother-waf other.php\n", file_get_contents($log));
            unlink($log);

            $agentPath = "$dir/" . self::AGENT;
            $r = webtotem_firewall_user_ini_hook($ini, $agentPath);
            $this->assertSame("$dir/other-waf.php", $r['previous']);
            // The agent logs, then includes the previous prepend file so the other firewall keeps working.
            file_put_contents($agentPath, '<?php (static function () { file_put_contents(' . var_export($log, true)
                . ', "agent " . basename($_SERVER["SCRIPT_FILENAME"]) . "\n", FILE_APPEND); })(); include_once '
                . var_export($r['previous'], true) . ';');
            file_put_contents("$dir/.user.ini", $r['contents']);
            $this->assertSame($before, [self::serve($dir, 'index.php'), self::serve($dir, 'sub/other.php')]);
            $this->assertSame("agent index.php\nother-waf index.php\nagent other.php\nother-waf other.php\n", file_get_contents($log));
            unlink($log);

            // The index.php hook and the .user.ini line together still run the agent once.
            file_put_contents("$dir/index.php", webtotem_firewall_hook(file_get_contents("$dir/index.php"), self::AGENT));
            self::serve($dir, 'index.php');
            $this->assertSame("agent index.php\nother-waf index.php\n", file_get_contents($log));
            unlink($log);

            file_put_contents("$dir/.user.ini", webtotem_firewall_user_ini_unhook($r['contents']));
            $this->assertSame($ini, file_get_contents("$dir/.user.ini"));
            self::serve($dir, 'sub/other.php');
            $this->assertSame("other-waf other.php\n", file_get_contents($log));
        } finally {
            self::removeTree($dir);
        }
    }
}
