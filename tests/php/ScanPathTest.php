<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * webtotem_scan_path(), webtotem_quarantine(), webtotem_restore() and
 * webtotem_quarantine_list() on real files in temporary directories.
 */
final class ScanPathTest extends TestCase
{
    private string $base;

    protected function setUp(): void
    {
        $this->base = sys_get_temp_dir() . '/wt-scan-' . bin2hex(random_bytes(6));
        mkdir($this->base . '/site/wp-content/uploads', 0755, true);
        mkdir($this->base . '/state', 0700);
        file_put_contents($this->base . '/site/index.php', "<?php echo 'home';\n");
        file_put_contents($this->base . '/site/wp-content/uploads/x.php', "<?php\n@eval(\$_POST['z']);\n");
    }

    protected function tearDown(): void
    {
        exec('rm -rf ' . escapeshellarg($this->base));
    }

    public function testScanWithBaselineThenChanges(): void
    {
        $site = $this->base . '/site';
        $options = ['baseline' => $this->base . '/state/site.baseline'];
        $first = webtotem_scan_path($site, $options);
        $this->assertSame(['root', 'findings', 'changes', 'skipped', 'samples', 'summary'], array_keys($first));
        $this->assertSame($site, $first['root']);
        $this->assertCount(1, $first['findings']);
        $this->assertSame(['wp-content/uploads/x.php', 'backdoor', 2], [
            $first['findings'][0]['path'], $first['findings'][0]['category'], $first['findings'][0]['line'],
        ]);
        $this->assertFalse($first['changes']['compared']);
        $this->assertSame(2, $first['summary']['files']);
        $this->assertSame('critical', $first['summary']['worst']);

        file_put_contents("$site/new.php", "<?php echo 2;\n");
        unlink("$site/index.php");
        $second = webtotem_scan_path($site, $options + ['incremental' => true]);
        $this->assertTrue($second['changes']['compared']);
        $this->assertSame(['new.php'], $second['changes']['added']);
        $this->assertSame(['index.php'], $second['changes']['deleted']);
        $this->assertSame(1, $second['summary']['scanned']);
        $this->assertSame(1, $second['summary']['reused']);
    }

    public function testBadOptionsAndRootsAreRejected(): void
    {
        foreach ([
            fn () => webtotem_scan_path('relative'),
            fn () => webtotem_scan_path($this->base . '/missing'),
            fn () => webtotem_scan_path($this->base . '/site', ['baseline' => $this->base . '/site/b']),
        ] as $i => $call) {
            try {
                $call();
                $this->fail("case $i did not throw");
            } catch (WebTotem\Exception $e) {
                $this->assertNotSame('', $e->getMessage());
            }
        }
        $this->expectException(WebTotem\InvalidArgumentException::class);
        $this->expectExceptionMessage('options: unknown field `no_such_option`');
        webtotem_scan_path($this->base . '/site', ['no_such_option' => 1]);
    }

    public function testQuarantineAndRestoreByteForByte(): void
    {
        $file = $this->base . '/site/wp-content/uploads/x.php';
        $original = file_get_contents($file);
        chmod($file, 0640);
        touch($file, 1_600_000_000);
        clearstatcache();
        $q = $this->base . '/state/quarantine';

        $record = webtotem_quarantine($this->base . '/site', $q, $file, 'php-code-exec-request');
        $this->assertFileDoesNotExist($file);
        $this->assertMatchesRegularExpression('/^[0-9a-f]{32}$/', $record['id']);
        $this->assertSame([$file, strlen($original), hash('sha256', $original), 'php-code-exec-request'], [
            $record['original'], $record['size'], $record['sha256'], $record['reason'],
        ]);
        $this->assertSame([$record], webtotem_quarantine_list($q));

        $restored = webtotem_restore($q, $record['id']);
        $this->assertSame($record['id'], $restored['id']);
        clearstatcache();
        $this->assertSame($original, file_get_contents($file));
        $this->assertSame(0640, fileperms($file) & 0777);
        $this->assertSame(1_600_000_000, filemtime($file));
        $this->assertSame([], webtotem_quarantine_list($q));
    }

    public function testQuarantineRefusesFilesOutsideTheRootAndBadIds(): void
    {
        $q = $this->base . '/state/quarantine';
        try {
            webtotem_quarantine($this->base . '/site', $q, '/etc/hostname');
            $this->fail('a file outside the root was quarantined');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertFileExists('/etc/hostname');
        }
        try {
            webtotem_quarantine($this->base . '/site', $this->base . '/site/q', $this->base . '/site/index.php');
            $this->fail('a quarantine inside the root was accepted');
        } catch (WebTotem\InvalidArgumentException $e) {
            $this->assertFileExists($this->base . '/site/index.php');
        }
        $this->expectException(WebTotem\InvalidArgumentException::class);
        webtotem_restore($q, '../../etc/passwd');
    }
}
