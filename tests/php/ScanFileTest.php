<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/** webtotem_scan_file(): one file's contents, as the Plesk module reads them. */
final class ScanFileTest extends TestCase
{
    public function testFindsABackdoorWithAllFields(): void
    {
        $src = "<?php\n// harmless comment: eval(\$_POST['x'])\n\n@eval(\$_POST['x']);\n";
        $r = webtotem_scan_file('wp-content/uploads/x.php', $src);
        $this->assertSame(['path', 'kind', 'sha256', 'findings', 'sample'], array_keys($r));
        $this->assertSame('php', $r['kind']);
        $this->assertSame(hash('sha256', $src), $r['sha256']);
        $this->assertCount(1, $r['findings']);
        $f = $r['findings'][0];
        $this->assertSame(['path', 'rule', 'category', 'severity', 'description', 'line', 'snippet', 'sha256'], array_keys($f));
        $this->assertSame(['wp-content/uploads/x.php', 'backdoor', 'critical', 4], [$f['path'], $f['category'], $f['severity'], $f['line']]);
        $this->assertStringContainsString("eval(\$_POST['x'])", $f['snippet']);
        $this->assertSame($src, $r['sample']['data'], 'a backdoor is kept as a sample for the server');
        $this->assertFalse($r['sample']['truncated']);
    }

    public function testDecodesLayersAndKeepsBinarySamplesIntact(): void
    {
        $inner = "system(\$_GET['c']);";
        $src = "GIF89a\x01\x00\xFF\x00<?php eval(gzinflate(base64_decode('" . base64_encode(gzdeflate($inner)) . "'))); ?>";
        $r = webtotem_scan_file('images/logo.gif', $src);
        $this->assertSame('image', $r['kind']);
        $categories = array_column($r['findings'], 'category');
        $this->assertContains('shell', $categories);
        $this->assertContains('obfuscation', $categories);
        $this->assertSame($src, $r['sample']['data'], 'binary bytes survive the trip to PHP');
    }

    public function testCleanFilesHaveNoFindingsAndNoSample(): void
    {
        $r = webtotem_scan_file('index.php', "<?php\nrequire __DIR__ . '/wp-blog-header.php';\n");
        $this->assertSame([], $r['findings']);
        $this->assertNull($r['sample']);
    }

    public function testBadPathIsRejected(): void
    {
        $this->expectException(WebTotem\InvalidArgumentException::class);
        webtotem_scan_file("a\0b.php", '<?php');
    }
}
