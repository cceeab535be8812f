<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WebTotem\Tests\Support\PhpServer;

/**
 * webtotem_waf_inspect() from PHP: requests as PHP builds them, bytes kept
 * as they are, clear errors for bad shapes, never a crash.
 */
final class WafInspectTest extends TestCase
{
    public function testInspectsRequestsAsPhpParsedThem(): void
    {
        $v = webtotem_waf_inspect([
            'method' => 'POST',
            'uri' => '/search?q=x',
            'headers' => ['Content-Type' => 'application/x-www-form-urlencoded', 'User-Agent' => 'Mozilla/5.0'],
            'query' => ['q' => 'x'],
            'post' => ['user' => ['name' => "O'Brien", 'bio' => '<script>alert(1)</script>']],
            'cookies' => ['sid' => 'abc'],
            'files' => ['up' => ['name' => ['a.jpg', 'b.jpg']]],
            'ip' => '203.0.113.9',
        ]);
        $this->assertSame([true, 'xss'], [$v['blocked'], $v['class']]);
        $this->assertSame(['rule' => 'xss-script-tag', 'class' => 'xss', 'score' => 5, 'target' => 'args', 'name' => 'user[bio]'], $v['matches'][0]);
        $clean = webtotem_waf_inspect(['method' => 'GET', 'uri' => '/', 'query' => ['name' => "O'Brien"]]);
        $this->assertSame([false, 0, null, [], [], false], array_values($clean));
        $this->assertFalse(webtotem_waf_inspect([])['blocked'], 'every key is optional');
    }

    public function testKeysAndValuesThatAreNotUtf8KeepTheirBytes(): void
    {
        // A query such as ?%FF%FE[x]=… gives PHP a key that is not UTF-8.
        $v = webtotem_waf_inspect(['query' => ["\xFF\xFE" => ['x' => "\xC0<script>"]]]);
        $this->assertTrue($v['blocked']);
        $this->assertSame("\xFF\xFE[x]", $v['matches'][0]['name']);
        // An array shaped like the CLI's base64 wrapper stays an array.
        $v = webtotem_waf_inspect(['query' => ['q' => ['base64' => '<script>']]]);
        $this->assertSame('q[base64]', $v['matches'][0]['name'] ?? null, json_encode($v));
        // Other array arguments with such keys are read too (they panicked before):
        // here a clear complaint about the shape, not a Rust panic.
        try {
            webtotem_sync_sites(["\xFF" => 'a.example'], []);
            $this->fail('a map accepted as a list');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertStringContainsString('expected a sequence', $e->getMessage());
        }
        $sites = webtotem_sync_sites(['a.example'], [["\xFF" => 1, 'hostname' => 'b.example']])['sites'];
        $this->assertSame(['a.example', 'b.example'], array_column($sites, 'hostname'));
    }

    public function testBadShapesAreClearErrors(): void
    {
        $cases = [
            [['method' => ['GET']], 'request[method] must be a string'],
            [['query' => 'a=1'], 'request[query] must be an array'],
            [['headers' => ['a' => ['b' => ['c']]]], 'request[headers] values must be strings'],
            [['uri' => '/', 'url' => '/'], 'unknown request key "url"'],
        ];
        foreach ($cases as [$request, $message]) {
            try {
                webtotem_waf_inspect($request);
                $this->fail('no exception for ' . json_encode($request));
            } catch (WebTotem\InvalidArgumentException $e) {
                $this->assertStringContainsString($message, $e->getMessage());
            }
        }
        try {
            webtotem_waf_inspect([], ['paranoia' => 7]);
            $this->fail('paranoia 7 accepted');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertStringContainsString('paranoia must be 1 to 4', $e->getMessage());
        }
        $deep = 'x';
        for ($i = 0; $i < 200; $i++) {
            $deep = [$deep];
        }
        foreach ([['query' => $deep], ['query' => new stdClass()]] as $bad) {
            try {
                webtotem_waf_inspect($bad);
                $this->fail('accepted');
            } catch (TypeError $e) {
                $this->assertStringContainsString('argument `request`', $e->getMessage());
            }
        }
    }

    public function testServersCompileTheRulesAtStartUpAndTheCommandLineWhenFirstNeeded(): void
    {
        $site = sys_get_temp_dir() . '/wt-waf-sapi-' . bin2hex(random_bytes(6));
        mkdir($site);
        try {
            // What phpinfo() says before this request inspected anything.
            file_put_contents("$site/index.php", '<?php ob_start(); phpinfo(INFO_MODULES); $info = strip_tags(ob_get_clean());'
                . ' echo preg_match("~firewall rules compiled\\s*(?:=>)?\\s*(yes|no)~", $info, $m) ? $m[1] : "missing";');
            $server = new PhpServer($site, true);
            $this->assertSame('yes', $server->raw("GET / HTTP/1.1\r\nHost: localhost")['body']);
        } finally {
            exec('rm -rf ' . escapeshellarg($site) . ' ' . escapeshellarg("$site.server.log"));
        }
        $cli = \WebTotem\Tests\Support\Process::run([PHP_BINARY, '-n', '-d', 'extension=' . WT_REPO . '/target/release/libwebtotem.so',
            '-r', 'ob_start(); phpinfo(INFO_MODULES); $a = ob_get_clean(); webtotem_waf_inspect(["uri" => "/"]);'
            . ' ob_start(); phpinfo(INFO_MODULES); $b = ob_get_clean();'
            . ' foreach ([$a, $b] as $i) { preg_match("~firewall rules compiled => (\\w+)~", $i, $m); echo $m[1], " "; }']);
        $this->assertSame('no yes ', $cli['stdout'], $cli['stderr']);
    }

    public function testTransformationsAndTheRuleList(): void
    {
        $this->assertSame("<script>", webtotem_waf_transform('url_decode', '%253Cscript%253E'));
        $this->assertSame('cat/etc/passwd', webtotem_waf_transform('cmd_line', "c\\a't /e\"tc/pa^sswd"));
        $rules = webtotem_waf_rules();
        $this->assertContains('sqli', $rules['classes']);
        $this->assertContains('cmd_line', $rules['transforms']);
        $ids = array_column($rules['rules'], 'id');
        $this->assertSame(count($ids), count(array_unique($ids)));
        foreach ($rules['rules'] as $r) {
            $this->assertContains($r['class'], $rules['classes']);
            $this->assertGreaterThanOrEqual(1, $r['paranoia']);
        }
    }
}
