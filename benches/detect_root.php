<?php
/**
 * The cost of webtotem_detect_root() called from PHP, next to plain PHP:
 *   - the FFI floor: an empty extension call (webtotem_version) against an
 *     empty user-land PHP function call;
 *   - root detection on a typical 2 KB index.php through the extension,
 *     against an equivalent PHP implementation built on token_get_all().
 *
 * Run: php -d extension=$PWD/target/release/libwebtotem.so benches/detect_root.php
 * (scripts/bench.sh does the build and the run).
 */
declare(strict_types=1);

const DOCROOT = '/var/www/vhosts/example.com/httpdocs';

/** An equivalent in plain PHP: tokens, not regexes, over the same rules' main forms. */
function php_detect_root(string $docroot, ?string $index): string
{
    if ($docroot === '' || $docroot[0] !== '/' || str_contains($docroot, "\0") || preg_match('~(^|/)\.\.(/|$)~', $docroot)) {
        throw new InvalidArgumentException('bad docroot');
    }
    $docroot = rtrim(preg_replace('~/+~', '/', $docroot), '/');
    if ($index === null) {
        return $docroot;
    }
    $tokens = array_values(array_filter(
        token_get_all($index),
        fn ($t) => !is_array($t) || !in_array($t[0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT, T_INLINE_HTML, T_OPEN_TAG], true)
    ));
    $includes = [T_REQUIRE, T_REQUIRE_ONCE, T_INCLUDE, T_INCLUDE_ONCE];
    foreach ($tokens as $i => $t) {
        if (is_array($t) && in_array($t[0], $includes, true)) {
            $path = '';
            for ($j = $i + 1; $j < count($tokens) && $tokens[$j] !== ';'; $j++) {
                if (is_array($tokens[$j]) && $tokens[$j][0] === T_CONSTANT_ENCAPSED_STRING) {
                    $path .= stripslashes(substr($tokens[$j][1], 1, -1));
                }
            }
            $path = strtolower(str_replace('\\', '/', $path));
            foreach (['autoload.php', 'autoload_runtime.php', 'bootstrap/app.php', 'config/bootstrap.php'] as $suffix) {
                if (str_ends_with($path, '/' . $suffix) || $path === $suffix) {
                    return $docroot . '/public';
                }
            }
        }
        if (is_array($t) && $t[0] === T_STRING && strtolower(ltrim($t[1], '\\')) === 'spl_autoload_register'
            && ($tokens[$i + 1] ?? null) === '(') {
            return $docroot . '/public';
        }
    }
    return $docroot;
}

function empty_php_function(): string
{
    return '';
}

/** Median ns per call over 7 samples of $n calls. */
function measure(callable $f, int $n): float
{
    $samples = [];
    for ($s = 0; $s < 7; $s++) {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $f();
        }
        $samples[] = (hrtime(true) - $t) / $n;
    }
    sort($samples);
    return $samples[3];
}

$index = file_get_contents(__DIR__ . '/../tests/fixtures/docroot/public-laravel-8.php');
while (strlen($index) < 2048) {
    $index = str_replace("<?php\n", "<?php\n/* Front controller of the application: every request enters here. */\n", $index);
}
if (webtotem_detect_root(DOCROOT, $index) !== php_detect_root(DOCROOT, $index)) {
    fwrite(STDERR, "the two implementations disagree on the benchmark input\n");
    exit(1);
}

$rows = [
    ['empty call: extension (webtotem_version)', fn () => webtotem_version(), 200000],
    ['empty call: PHP user function', fn () => empty_php_function(), 200000],
    [sprintf('detect_root %d B: extension', strlen($index)), fn () => webtotem_detect_root(DOCROOT, $index), 20000],
    [sprintf('detect_root %d B: plain PHP (token_get_all)', strlen($index)), fn () => php_detect_root(DOCROOT, $index), 20000],
];
printf("PHP %s, opcache %s\n", PHP_VERSION, function_exists('opcache_get_status') && ini_get('opcache.enable_cli') ? 'on' : 'off');
foreach ($rows as [$name, $f, $n]) {
    printf("%-48s %9.2f µs/call\n", $name, measure($f, $n) / 1000);
}
