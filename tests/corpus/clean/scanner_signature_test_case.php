<?php
/**
 * clean test file: a PHPUnit test whose *data provider* holds malware-looking
 * strings like "system('ls')" and "eval(base64_decode(...))" as test inputs
 * for a code-inspection library. They are string literals passed to a
 * tokenizer, never executed; a scanner may note them at info level.
 */

declare(strict_types=1);

namespace Example\Inspector\Tests;

use Example\Inspector\DangerousCallFinder;
use PHPUnit\Framework\Attributes\DataProvider;
use PHPUnit\Framework\TestCase;

final class ScannerSignatureTest extends TestCase
{
    /** @return array<string, array{string, list<string>}> */
    public static function samples(): array
    {
        return [
            'plain system call' => ["<?php system('ls');", ['system']],
            'exec with request' => ['<?php exec($_GET["c"]);', ['exec']],
            'eval of decoded data' => ['<?php eval(base64_decode("ZWNobyAxOw=="));', ['eval', 'base64_decode']],
            'backticks' => ['<?php echo `whoami`;', ['shell_exec']],
            'variable function' => ['<?php $f = "assert"; $f("1");', ['assert']],
            'harmless echo' => ['<?php echo "system is fine";', []],
            'method named exec' => ['<?php $pdo->exec("SET NAMES utf8");', []],
        ];
    }

    #[DataProvider('samples')]
    public function testFindsDangerousCalls(string $code, array $expected): void
    {
        $finder = new DangerousCallFinder();
        self::assertSame($expected, $finder->find($code));
    }

    public function testDoesNotExecuteInput(): void
    {
        $marker = sys_get_temp_dir() . '/inspector-marker';
        @unlink($marker);
        (new DangerousCallFinder())->find("<?php touch('" . $marker . "');");
        self::assertFileDoesNotExist($marker);
    }
}
