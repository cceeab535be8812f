<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\PhpServer;
use WebTotem\Tests\Support\Process;

/**
 * The antivirus agent, rendered by the core and served by `php -S` from a
 * copy of the scanner corpus, spoken to over real HTTP: only signed
 * requests get an answer, a scan in small chunks covers every file once,
 * and its PCRE rules find exactly what the core's rules find.
 */
final class AntivirusAgentTest extends TestCase
{
    private const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
    private const STATE = 'wt-state-5f2a9c1e';
    private const MAX_FILE_SIZE = 131072;

    private static string $site = '';
    private static string $agent = '';
    /** @var resource|null */
    private ?PhpServer $server = null;
    private int $port = 0;

    public static function setUpBeforeClass(): void
    {
        self::$site = sys_get_temp_dir() . '/wt-agent-site-' . bin2hex(random_bytes(6));
        mkdir(self::$site . '/tricky', 0700, true);
        mkdir(self::$site . '/big');
        mkdir(self::$site . '/links');
        foreach (['malicious', 'clean'] as $tree) {
            self::copyTree(WT_REPO . '/tests/corpus/' . $tree, self::$site . '/' . $tree);
        }
        foreach (self::trickyFiles() as $name => $contents) {
            file_put_contents(self::$site . '/tricky/' . $name, $contents);
        }
        // A name that looks like an encoded path is itself sent encoded.
        file_put_contents(self::$site . '/base64:x.php', "<?php // FilesMan\n");
        file_put_contents(self::$site . '/big/large.bin', str_repeat("0123456789abcdef", 300 * 64));
        symlink('/etc/passwd', self::$site . '/links/passwd');
        symlink('..', self::$site . '/links/up');
        self::$agent = webtotem_agent_file_name();
        file_put_contents(self::$site . '/' . self::$agent, webtotem_render_antivirus_agent([
            'site_key' => self::KEY,
            'state_dir_name' => self::STATE,
            'max_file_size' => self::MAX_FILE_SIZE,
        ]));
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$site !== '') {
            Process::run(['rm', '-rf', self::$site, self::$site . '.server.log']);
        }
    }

    protected function tearDown(): void
    {
        $this->server = null; // stops it
    }

    private static function copyTree(string $from, string $to): void
    {
        mkdir($to);
        foreach (scandir($from) as $name) {
            if ($name === '.' || $name === '..') {
                continue;
            }
            is_dir("$from/$name") ? self::copyTree("$from/$name", "$to/$name") : copy("$from/$name", "$to/$name");
        }
    }

    /** PHP that is hard to read right: the agent's views must equal the core's. */
    private static function trickyFiles(): array
    {
        return [
            'interp.php' => "<?php \$a = \"x {\$b[\"eval(\$_POST[1])\"]} y\"; eval(\$_GET['z']);\n\$q = \"{\$a /* FilesMan */}\";\n",
            'heredoc.php' => "<?php\n\$h = <<<EOT\n  eval(\$_POST['a']);\n  EOT;\n/* eval(\$_POST['c']) */ eval(\$_COOKIE['d']);\n\$n = <<<'N'\n/* FilesMan */\nN;\n\$b = b<<<B\nx\nB;\n",
            'bstrings.php' => "<?php \$s = b'eval(\$_POST[1])'; \$t = b\"eval(\\\$_POST[2]) \$x\"; \$u = B\"x\";\neval(\$_REQUEST['q']);\n",
            'short-tag.gif' => "GIF89a\x01\x00<? /* eval(\$_POST['x']) FilesMan */ ?>\n<?php echo 1;\n",
            'attribute.php' => "<?php\n#[eval(\$_POST['x'])]\nfunction f() {}\n",
            'backtick.php' => "<?php \$x = `eval(\$_POST[1])`; \$y = `ls \$z`;\n",
            'unterminated.php' => "<?php eval(\$_GET['a']);\n\$x = \"eval(\$_POST[1])\n FilesMan",
            'halt.php' => "<?php __halt_compiler(); /* FilesMan */ eval(\$_POST[1]);",
            'close-tag.php' => "<?php // x ?> FilesMan\n<?php /* FilesMan */",
            'crlf.php' => "<?PHP\r\n// FilesMan\r\n\$a = 'x';\r\n  eval(\$_POST['k']);\r\n",
            'dollar-brace.php' => "<?php \$a = \"\${x} \${eval(\$_POST[1])} \"; /* FilesMan */ system(\$_GET['c']);\n",
            'nested.php' => "<?php \$a = \"{\$x[\"y{\$z['eval(\$_POST[1])']}\"]} FilesMan\"; passthru(\$_GET['c']);\n",
            'php-tag.txt' => "hello <?phpX eval(\$_POST[1]); <?php\n/* FilesMan */ // FilesMan\n",
            'bom.txt' => "\xEF\xBB\xBF \n<?php /* x */ eval(\$_POST['a']);",
            'binary.jpg' => "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\xC3\x28<?php \$_=\"\xFF\xFE\"; eval(\$_POST['z']); // \xC0 FilesMan\n",
            'doc-block.php' => "<?php\n/**\n * FilesMan eval(\$_POST[1])\n */\n/**x FilesMan */\n",
            "n\xE9on.php" => "<?php eval(\$_POST['x']);\n",
        ];
    }

    // ---- The server and the client. ----

    /** Starts `php -S` on the site: bare PHP (`-n`), or with the extension. */
    private function serve(bool $withExtension): void
    {
        $this->server = new PhpServer(self::$site, $withExtension);
        $this->port = $this->server->port;
    }

    /** @return array{0: int, 1: string, 2: list<string>} status, body, headers */
    private function http(string $method, string $body = '', array $headers = []): array
    {
        $lines = ['Content-Type: application/json', 'Connection: close'];
        foreach ($headers as $name => $value) {
            $lines[] = "$name: $value";
        }
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => implode("\r\n", $lines),
            'content' => $body,
            'ignore_errors' => true,
            'timeout' => 20,
        ]]);
        $answer = @file_get_contents('http://127.0.0.1:' . $this->port . '/' . self::$agent, false, $context);
        $this->assertIsString($answer, 'no answer from the agent');
        $this->assertMatchesRegularExpression('~^HTTP/1\.[01] (\d{3})~', $http_response_header[0]);
        return [(int) substr($http_response_header[0], 9, 3), $answer, $http_response_header];
    }

    private static function signedHeaders(string $body, ?int $timestamp = null, ?string $nonce = null): array
    {
        $timestamp = $timestamp ?? time();
        $nonce = $nonce ?? bin2hex(random_bytes(16));
        return [
            'X-WebTotem-Timestamp' => (string) $timestamp,
            'X-WebTotem-Nonce' => $nonce,
            'X-WebTotem-Signature' => webtotem_sign_agent_request(self::KEY, $timestamp, $nonce, $body),
        ];
    }

    /** A signed call: [status, decoded answer]; the answer's signature is checked. */
    private function call(array $request): array
    {
        $body = json_encode($request);
        $headers = self::signedHeaders($body);
        [$status, $answer, $responseHeaders] = $this->http('POST', $body, $headers);
        $signature = null;
        foreach ($responseHeaders as $h) {
            if (stripos($h, 'X-WebTotem-Signature:') === 0) {
                $signature = trim(substr($h, strlen('X-WebTotem-Signature:')));
            }
        }
        $expected = hash_hmac('sha256', "response\n" . $headers['X-WebTotem-Nonce'] . "\n" . hash('sha256', $answer), hex2bin(self::KEY));
        $this->assertSame($expected, $signature, 'the answer is signed for this request');
        $decoded = json_decode($answer, true);
        $this->assertIsArray($decoded, $answer);
        return [$status, $decoded];
    }

    /** Scans the whole site in chunks; returns the files in order and the number of requests. */
    private function fullScan(int $chunk): array
    {
        $files = [];
        $cursor = '';
        for ($requests = 1; $requests < 500; $requests++) {
            [$status, $answer] = $this->call(['action' => 'scan', 'cursor' => $cursor, 'max_files' => $chunk, 'max_ms' => 20000]);
            $this->assertSame(200, $status);
            $this->assertLessThanOrEqual($chunk, count($answer['files']));
            array_push($files, ...$answer['files']);
            $cursor = $answer['next_cursor'];
            if ($answer['done']) {
                return [$files, $requests, $answer['engine']];
            }
        }
        $this->fail('the scan never finished');
    }

    private static function decodePath(string $path): string
    {
        return strncmp($path, 'base64:', 7) === 0 ? base64_decode(substr($path, 7)) : $path;
    }

    /** Every regular file and symlink of the site but the agent's own, in the agent's order. */
    private static function siteFiles(string $rel = ''): array
    {
        $dir = $rel === '' ? self::$site : self::$site . '/' . $rel;
        $names = array_diff(scandir($dir), $rel === '' ? ['.', '..', self::$agent, self::STATE] : ['.', '..']);
        sort($names, SORT_STRING);
        $out = [];
        foreach ($names as $name) {
            $path = $rel === '' ? $name : "$rel/$name";
            $full = self::$site . '/' . $path;
            if (is_link($full) || is_file($full)) {
                $out[] = $path;
            } elseif (is_dir($full)) {
                array_push($out, ...self::siteFiles($path));
            }
        }
        return $out;
    }

    private static function utf8Name(string $path): string
    {
        return preg_match('//u', $path) ? $path : preg_replace('/[\x80-\xFF]/', '_', $path);
    }

    private static function project(array $findings, array $keys): array
    {
        return array_map(fn ($f) => array_intersect_key($f, array_flip($keys)), $findings);
    }

    // ---- Rendering. ----

    public function testRenderedAgentIsPlainPhp74CodeThatLints(): void
    {
        $file = self::$site . '/' . self::$agent;
        $r = Process::run([PHP_BINARY, '-n', '-l', $file]);
        $this->assertSame(0, $r['code'], $r['stdout'] . $r['stderr']);
        $source = file_get_contents($file);
        $this->assertLessThan(64 * 1024, strlen($source));
        $this->assertStringStartsWith('<?php', $source);
        $this->assertStringContainsString("const SITE_KEY = '" . self::KEY . "';", $source);
        // Nothing newer than PHP 7.4.
        $php8Tokens = [T_MATCH, T_NULLSAFE_OBJECT_OPERATOR, T_ATTRIBUTE, T_READONLY, T_ENUM];
        $php8Functions = ['str_contains', 'str_starts_with', 'str_ends_with', 'get_debug_type', 'array_is_list', 'fdiv', 'get_resource_id'];
        foreach (token_get_all($source) as $t) {
            if (is_array($t)) {
                $this->assertNotContains($t[0], $php8Tokens, token_name($t[0]) . ' on line ' . $t[2]);
                $this->assertNotContains(strtolower($t[1]), $php8Functions, 'line ' . $t[2]);
            }
        }
        $this->assertDoesNotMatchRegularExpression('/\bmixed\b|\?->|\bstatic fn\b/', $source);
    }

    public static function badConfigs(): array
    {
        $ok = ['site_key' => self::KEY, 'state_dir_name' => self::STATE];
        return [
            'short key' => [['site_key' => str_repeat('ab', 31)] + $ok],
            'non-hex key' => [['site_key' => str_repeat('zz', 32)] + $ok],
            'key with PHP' => [['site_key' => self::KEY . "';phpinfo();//"] + $ok],
            'short dir' => [['state_dir_name' => 'abc'] + $ok],
            'dir with dotdot' => [['state_dir_name' => '../abcdefgh'] + $ok],
            'dir starting with dotdot' => [['state_dir_name' => '..abcdefgh'] + $ok],
            'dir with quote' => [['state_dir_name' => "abcd'efgh"] + $ok],
            'relative path' => [['state_dir_path' => 'private'] + $ok],
            'path with dotdot' => [['state_dir_path' => '/var/www/../etc'] + $ok],
            'zero size' => [['max_file_size' => 0] + $ok],
        ];
    }

    /** @dataProvider badConfigs */
    public function testRenderingRefusesBadConfig(array $config): void
    {
        $this->expectException(WebTotem\InvalidArgumentException::class);
        webtotem_render_antivirus_agent($config);
    }

    public function testRenderingRefusesUnknownKeys(): void
    {
        $this->expectException(WebTotem\InvalidArgumentException::class);
        $this->expectExceptionMessage('config: unknown field `eval`');
        webtotem_render_antivirus_agent(['site_key' => self::KEY, 'state_dir_name' => self::STATE, 'eval' => 'x']);
    }

    public function testAgentFileNamesAreRandom(): void
    {
        $a = webtotem_agent_file_name();
        $this->assertMatchesRegularExpression('/^wt-[0-9a-f]{32}\.php\z/', $a);
        $this->assertNotSame($a, webtotem_agent_file_name());
    }

    public function testRequestSignatureIsHmacSha256OfTimestampNonceAndBodyHash(): void
    {
        $body = "{\"action\":\"ping\"}\xFF";
        $expected = hash_hmac('sha256', "1767225600\nabcdef0123456789\n" . hash('sha256', $body), hex2bin(self::KEY));
        $this->assertSame($expected, webtotem_sign_agent_request(self::KEY, 1767225600, 'abcdef0123456789', $body));
        $this->assertSame($expected, webtotem_sign_agent_request(strtoupper(self::KEY), 1767225600, 'abcdef0123456789', $body));
        $this->expectException(WebTotem\InvalidArgumentException::class);
        webtotem_sign_agent_request('abcd', 1, 'abcdef0123456789', '');
    }

    // ---- Over HTTP. ----

    public function testAnyoneButTheServerGetsTheSamePlain404(): void
    {
        $this->serve(false);
        [$status, $page] = $this->http('GET');
        $this->assertSame(404, $status);
        $this->assertStringContainsString('<h1>Not Found</h1>', $page);
        $this->assertDoesNotMatchRegularExpression('/webtotem|agent|signature|nonce/i', $page);

        $ping = '{"action":"ping"}';
        $now = time();
        $good = self::signedHeaders($ping);
        $tries = [
            'GET signed' => ['GET', $ping, $good],
            'POST without headers' => ['POST', $ping, []],
            'bad signature' => ['POST', $ping, ['X-WebTotem-Signature' => str_repeat('0', 64)] + $good],
            'upper-case signature' => ['POST', $ping, ['X-WebTotem-Signature' => strtoupper($good['X-WebTotem-Signature'])] + $good],
            'signature of another body' => ['POST', '{"action":"scan"}', $good],
            'stale timestamp' => ['POST', $ping, self::signedHeaders($ping, $now - 301)],
            'future timestamp' => ['POST', $ping, self::signedHeaders($ping, $now + 301)],
            'short nonce' => ['POST', $ping, self::signedHeaders($ping, null, str_repeat('a', 15))],
            'non-hex nonce' => ['POST', $ping, self::signedHeaders($ping, null, str_repeat('g', 32))],
            'path in nonce' => ['POST', $ping, self::signedHeaders($ping, null, '../../' . str_repeat('a', 16))],
            'huge body' => ['POST', str_repeat(' ', 70000) . $ping, self::signedHeaders(str_repeat(' ', 70000) . $ping)],
        ];
        foreach ($tries as $what => [$method, $body, $headers]) {
            [$s, $b, $h] = $this->http($method, $body, $headers);
            $this->assertSame([404, $page], [$s, $b], $what);
            $this->assertEmpty(preg_grep('/^X-WebTotem/i', $h), $what);
        }

        // The same signed request works once; its replay gets the 404.
        [$s] = $this->http('POST', $ping, $good);
        $this->assertSame(200, $s);
        $this->assertSame([404, $page], array_slice($this->http('POST', $ping, $good), 0, 2), 'replay');
        $this->assertFileExists(self::$site . '/' . self::STATE . '/.htaccess');
        $this->assertStringContainsString('Require all denied', file_get_contents(self::$site . '/' . self::STATE . '/.htaccess'));
        $this->assertFileExists(self::$site . '/' . self::STATE . '/index.html');
        $this->assertFileExists(self::$site . '/' . self::STATE . '/n-' . $good['X-WebTotem-Nonce']);
    }

    public function testPingAndBadActions(): void
    {
        $this->serve(false);
        [$status, $ping] = $this->call(['action' => 'ping']);
        $this->assertSame(200, $status);
        $this->assertSame(['ok', 'agent', 'version', 'php', 'native', 'tokenizer', 'rules', 'rule_errors'], array_keys($ping));
        $this->assertSame([true, 'antivirus', false, true], [$ping['ok'], $ping['agent'], $ping['native'], $ping['tokenizer']]);
        $this->assertSame(explode(' ', webtotem_version())[0], $ping['version']);
        $this->assertSame(PHP_VERSION, $ping['php']);
        $this->assertGreaterThanOrEqual(20, $ping['rules']);
        $this->assertSame([], $ping['rule_errors'], 'every rule compiles under PHP\'s PCRE');

        $this->assertSame([400, ['ok' => false, 'error' => 'unknown action']], $this->call(['action' => 'rm']));
        $this->assertSame(400, $this->call(['action' => 'scan', 'cursor' => ['x']])[0]);
    }

    public function testResumableScanCoversEveryFileOnceAndItsRulesEqualTheCores(): void
    {
        $this->serve(false);
        [$files, $requests, $engine] = $this->fullScan(7);
        $this->assertSame('pcre', $engine);
        $paths = array_map(fn ($f) => self::decodePath($f['path']), $files);
        $this->assertSame(self::siteFiles(), $paths, 'every file once, in order');
        $this->assertGreaterThanOrEqual((int) ceil(count($paths) / 7), $requests);

        $matches = 0;
        foreach ($files as $i => $f) {
            $path = $paths[$i];
            $full = self::$site . '/' . $path;
            if (is_link($full)) {
                $this->assertSame('symlink', $f['skipped'], $path);
                continue;
            }
            $this->assertSame(filesize($full), $f['size'], $path);
            $this->assertSame(filemtime($full), $f['mtime'], $path);
            if ($path === 'big/large.bin') {
                $this->assertSame('too large', $f['skipped']);
                continue;
            }
            $contents = file_get_contents($full);
            $this->assertSame(hash('sha256', $contents), $f['sha256'], $path);
            $this->assertArrayNotHasKey('partial', $f, $path);
            $this->assertArrayNotHasKey('rule_errors', $f, $path);
            $this->assertSame(webtotem_match_signatures($path, $contents), self::project($f['findings'], ['rule', 'line']), $path);
            $matches += count($f['findings']);
        }
        $this->assertGreaterThan(80, $matches, 'the corpus exercises the rules');
        $this->assertNotContains(self::$agent, $paths);
        $this->assertSame([], preg_grep('~^' . self::STATE . '~', $paths));
    }

    public function testScanStopsWithinTimeButAlwaysMakesProgress(): void
    {
        $this->serve(false);
        [$status, $answer] = $this->call(['action' => 'scan', 'cursor' => '', 'max_files' => 100000, 'max_ms' => 1]);
        $this->assertSame(200, $status);
        $this->assertNotEmpty($answer['files']);
        $this->assertSame(end($answer['files'])['path'], $answer['next_cursor']);
        // Resuming after a deleted or unknown cursor goes on from where it would be.
        [, $after] = $this->call(['action' => 'scan', 'cursor' => 'clean/zzz-gone/x', 'max_files' => 1]);
        $this->assertSame('links/passwd', $after['files'][0]['path']);
    }

    public function testWithTheExtensionTheAgentUsesTheCore(): void
    {
        $this->serve(false);
        [$pcre] = $this->fullScan(50);
        $this->tearDown();

        $this->serve(true);
        [, $ping] = $this->call(['action' => 'ping']);
        $this->assertTrue($ping['native']);
        [$native, , $engine] = $this->fullScan(50);
        $this->assertSame('native', $engine);
        $this->assertSame(array_column($pcre, 'path'), array_column($native, 'path'));
        foreach ($native as $i => $f) {
            $path = self::decodePath($f['path']);
            if (isset($f['skipped'])) {
                $this->assertSame($pcre[$i]['skipped'], $f['skipped']);
                continue;
            }
            // The extension takes UTF-8 names: the agent gives it one that classifies the same.
            $core = webtotem_scan_file(self::utf8Name($path), file_get_contents(self::$site . '/' . $path));
            $this->assertSame(self::project($core['findings'], ['rule', 'category', 'severity', 'line']), $f['findings'], $path);
            // Every signature match is there, or merged into a finding of its
            // category on its line (the core keeps the worst per line and category).
            foreach ($pcre[$i]['findings'] as $m) {
                $covered = array_filter($f['findings'], fn ($n) => $n['line'] === $m['line']
                    && ($n['rule'] === $m['rule'] || $n['category'] === $m['category']));
                $this->assertNotEmpty($covered, "$path: {$m['rule']} on line {$m['line']}");
            }
        }
    }

    public function testSampleReturnsTheBytesAndRefusesPathsOutsideTheRoot(): void
    {
        $this->serve(false);
        $gif = 'malicious/backdoor/gif_eval_post.gif';
        $bytes = file_get_contents(self::$site . '/' . $gif);
        [$status, $s] = $this->call(['action' => 'sample', 'path' => $gif]);
        $this->assertSame(200, $status);
        $this->assertSame($bytes, base64_decode($s['data'], true));
        $this->assertSame([$gif, strlen($bytes), hash('sha256', $bytes), false], [$s['path'], $s['size'], $s['sha256'], $s['truncated']]);

        $big = file_get_contents(self::$site . '/big/large.bin');
        [, $s] = $this->call(['action' => 'sample', 'path' => 'big/large.bin']);
        $this->assertSame([true, strlen($big), hash('sha256', $big)], [$s['truncated'], $s['size'], $s['sha256']]);
        $this->assertSame(substr($big, 0, 262144), base64_decode($s['data'], true));

        [, $s] = $this->call(['action' => 'sample', 'path' => 'base64:' . base64_encode("tricky/n\xE9on.php")]);
        $this->assertSame("<?php eval(\$_POST['x']);\n", base64_decode($s['data'], true));

        foreach (['../' . basename(self::$site) . '/' . $gif, '../../../../etc/passwd', '/etc/passwd', 'clean/../../x',
            'clean/./readme.txt', 'clean//readme.txt', '', 'links/passwd', self::$agent,
            self::STATE . '/index.html', "clean/readme.txt\0", 'clean', 'base64:' . base64_encode('../etc/passwd'), 'nope.php'] as $bad) {
            $this->assertSame(404, $this->call(['action' => 'sample', 'path' => $bad])[0], json_encode($bad));
        }
        $this->assertSame(404, $this->call(['action' => 'sample'])[0]);
    }
}
