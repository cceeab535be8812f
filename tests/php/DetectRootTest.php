<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * webtotem_detect_root() on the real shapes of frameworks' public/index.php
 * (tests/fixtures/docroot/public-*.php must give `public`) and on adversarial
 * files (docroot-*.php must not).
 */
final class DetectRootTest extends TestCase
{
    private const DOCROOT = '/var/www/vhosts/example.com/httpdocs';

    public static function fixtures(): array
    {
        $cases = [];
        foreach (glob(WT_FIXTURES . '/docroot/*.php') as $file) {
            $name = basename($file, '.php');
            $expectPublic = str_starts_with($name, 'public-');
            if (!$expectPublic && !str_starts_with($name, 'docroot-')) {
                throw new LogicException("fixture $name must start with public- or docroot-");
            }
            $cases[$name] = [$file, $expectPublic];
        }
        return $cases;
    }

    /** @dataProvider fixtures */
    public function testFixture(string $file, bool $expectPublic): void
    {
        $expected = $expectPublic ? self::DOCROOT . '/public' : self::DOCROOT;
        $this->assertSame($expected, webtotem_detect_root(self::DOCROOT, file_get_contents($file)));
    }

    public function testThereAreEnoughRealWorldAndAdversarialCases(): void
    {
        $public = count(glob(WT_FIXTURES . '/docroot/public-*.php'));
        $docroot = count(glob(WT_FIXTURES . '/docroot/docroot-*.php'));
        $this->assertGreaterThanOrEqual(30, $public);
        $this->assertGreaterThanOrEqual(15, $docroot);
    }

    public function testNoPublicIndexMeansTheDocroot(): void
    {
        $this->assertSame(self::DOCROOT, webtotem_detect_root(self::DOCROOT));
        $this->assertSame(self::DOCROOT, webtotem_detect_root(self::DOCROOT, null));
        $this->assertSame(self::DOCROOT, webtotem_detect_root(docroot: self::DOCROOT, publicIndexPhp: ''));
    }

    public function testDocrootIsNormalised(): void
    {
        $laravel = "<?php\nrequire __DIR__.'/../vendor/autoload.php';\n";
        $this->assertSame(self::DOCROOT . '/public', webtotem_detect_root(self::DOCROOT . '//', $laravel));
        $this->assertSame('/srv/a/public', webtotem_detect_root('/srv/./a', $laravel));
    }

    public static function invalidDocroots(): array
    {
        return [
            'empty' => ['', 'must not be empty'],
            'relative' => ['var/www/httpdocs', 'must be an absolute path'],
            'dot-relative' => ['./httpdocs', 'must be an absolute path'],
            'parent segment' => ['/var/www/../../etc', 'must not contain ".." segments'],
            'trailing parent' => ['/var/www/httpdocs/..', 'must not contain ".." segments'],
            'nul byte' => ["/var/www/a\0/httpdocs", 'contains a NUL byte'],
            'newline' => ["/var/www/a\n/httpdocs", 'contains a control character'],
            'root' => ['/', 'must not be the file-system root'],
            'too long' => ['/' . str_repeat('a', 5000), 'longer than 4096 bytes'],
        ];
    }

    /** @dataProvider invalidDocroots */
    public function testInvalidDocrootsAreRejected(string $docroot, string $message): void
    {
        $this->expectException(WebTotem\InvalidArgumentException::class);
        $this->expectExceptionMessage($message);
        webtotem_detect_root($docroot, "<?php require 'vendor/autoload.php';");
    }

    public function testInvalidArgumentIsAWebTotemException(): void
    {
        try {
            webtotem_detect_root('relative');
            $this->fail('no exception');
        } catch (WebTotem\Exception $e) {
            $this->assertInstanceOf(Exception::class, $e);
        }
    }

    public function testBinaryAndHugeInputIsHandled(): void
    {
        $latin1 = "<?php /* caf\xE9 */ require __DIR__ . '/../vendor/autoload.php';";
        $this->assertSame(self::DOCROOT . '/public', webtotem_detect_root(self::DOCROOT, $latin1));
        $huge = "<?php\n" . str_repeat("echo 'x'; // filler\n", 200000) . "require 'vendor/autoload.php';";
        $this->assertSame(self::DOCROOT . '/public', webtotem_detect_root(self::DOCROOT, $huge));
        $garbage = random_bytes(65536);
        $this->assertContains(
            webtotem_detect_root(self::DOCROOT, $garbage),
            [self::DOCROOT, self::DOCROOT . '/public']
        );
        $unterminated = '<?php $x = "' . str_repeat('{$', 10000);
        $this->assertSame(self::DOCROOT, webtotem_detect_root(self::DOCROOT, $unterminated));
    }
}
