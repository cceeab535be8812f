<?php
declare(strict_types=1);

require_once dirname(__DIR__) . '/Exceptions.php';

/**
 * Reaches the core out of process, through `webtotem call FUNCTION` with the
 * arguments as a JSON object on stdin (in Plesk: the extension's
 * `sbin/webtotem` root helper, run by `pm_ApiCli::callSbin`).
 *
 * - Arguments: every string that is not valid UTF-8, nested ones included,
 *   is sent as `{"base64": "…"}`, which the CLI accepts for binary-string
 *   parameters.
 * - Exit 0: stdout is the JSON result (JSON objects become PHP arrays).
 * - Exit 2 with `{"error": {"class", "message"}}`: that exception is thrown,
 *   but only for the classes of {@see Modules_WebtotemSecurity_Exceptions::CLASSES};
 *   any other name becomes `WebTotem\Exception`. A class name read from
 *   the output is never instantiated otherwise.
 * - Anything else (another exit code, output that is not JSON, a runner
 *   that fails): `WebTotem\InternalException` naming the exit code and at
 *   most 500 bytes of stderr.
 *
 * This transport is meant for PHP without the extension, where the
 * `WebTotem\…` classes come from Exceptions.php; with the extension loaded
 * it throws the extension's classes of the same names.
 */
final class Modules_WebtotemSecurity_Transport_Cli implements Modules_WebtotemSecurity_Transport
{
    /** The most stderr, in bytes, quoted in an exception message. */
    public const MAX_STDERR_BYTES = 500;

    /** The exit code of `webtotem call` when it prints a JSON error. */
    public const EXIT_ERROR = 2;

    /** @var \Closure(string, string): array{code:int, stdout:string, stderr:string} */
    private \Closure $runner;

    /**
     * @param callable(string $function, string $stdinJson): array{code:int, stdout:string, stderr:string} $runner
     *   runs `webtotem call $function` with `$stdinJson` on stdin
     */
    public function __construct(callable $runner)
    {
        $this->runner = \Closure::fromCallable($runner);
    }

    /** The runner used in Plesk: the extension's `sbin/webtotem` as root, through `pm_ApiCli::callSbin`. */
    public static function sbinRunner(): callable
    {
        return static function (string $function, string $stdinJson): array {
            $result = pm_ApiCli::callSbin('webtotem', ['call', $function], pm_ApiCli::RESULT_FULL, [], $stdinJson);
            return [
                'code' => (int) ($result['code'] ?? -1),
                'stdout' => (string) ($result['stdout'] ?? ''),
                'stderr' => (string) ($result['stderr'] ?? ''),
            ];
        };
    }

    /** Runs `webtotem call $function` with `$args` and returns its decoded result. */
    public function call(string $function, array $args): mixed
    {
        try {
            $stdin = json_encode($args === [] ? new \stdClass() : self::encodeArgs($args), JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
        } catch (\JsonException $e) {
            throw new \WebTotem\InvalidArgumentException(sprintf('%s(): the arguments cannot be encoded as JSON: %s', $function, $e->getMessage()), 0, $e);
        }

        try {
            $out = ($this->runner)($function, $stdin);
        } catch (\Throwable $e) {
            throw new \WebTotem\InternalException(sprintf('cannot run the WebTotem core for %s(): %s: %s', $function, get_class($e), $e->getMessage()), 0, $e);
        }
        if (!is_array($out) || !is_int($out['code'] ?? null) || !is_string($out['stdout'] ?? null)) {
            throw new \WebTotem\InternalException(sprintf('the runner of the WebTotem core returned no exit code and stdout for %s()', $function));
        }
        $code = $out['code'];
        $stderr = is_string($out['stderr'] ?? null) ? $out['stderr'] : '';

        if ($code === 0 || $code === self::EXIT_ERROR) {
            try {
                $decoded = json_decode($out['stdout'], true, 512, JSON_THROW_ON_ERROR);
            } catch (\JsonException $e) {
                throw self::failure($function, $code, $stderr, 'printed output that is not JSON', $e);
            }
            if ($code === 0) {
                return $decoded;
            }
            $error = is_array($decoded) ? ($decoded['error'] ?? null) : null;
            if (is_array($error) && is_string($error['class'] ?? null) && is_string($error['message'] ?? null)) {
                $errorCode = is_int($error['code'] ?? null) ? $error['code'] : 0;
                throw Modules_WebtotemSecurity_Exceptions::create($error['class'], $error['message'], null, $errorCode);
            }
            throw self::failure($function, $code, $stderr, 'printed no error object');
        }
        throw self::failure($function, $code, $stderr, 'failed');
    }

    /** Returns `cli`. */
    public function name(): string
    {
        return 'cli';
    }

    /**
     * Returns `$value` with every string that is not valid UTF-8, at any
     * depth, replaced by `['base64' => base64_encode($string)]`.
     */
    public static function encodeArgs(mixed $value): mixed
    {
        if (is_string($value)) {
            return preg_match('//u', $value) === 1 ? $value : ['base64' => base64_encode($value)];
        }
        if (is_array($value)) {
            return array_map([self::class, 'encodeArgs'], $value);
        }
        return $value;
    }

    private static function failure(string $function, int $code, string $stderr, string $what, ?\Throwable $previous = null): \Exception
    {
        $message = sprintf('the WebTotem core %s for %s() (exit code %d)', $what, $function, $code);
        $stderr = trim(self::cut($stderr, self::MAX_STDERR_BYTES));
        if ($stderr !== '') {
            $message .= ': ' . $stderr;
        }
        return new \WebTotem\InternalException($message, 0, $previous);
    }

    /** The first `$max` bytes of `$s`, without a UTF-8 sequence cut in half at the end. */
    private static function cut(string $s, int $max): string
    {
        if (strlen($s) <= $max) {
            return $s;
        }
        $cut = substr($s, 0, $max);
        for ($i = 0; $i < 3 && preg_match('//u', $cut) !== 1; $i++) {
            $cut = substr($cut, 0, -1);
        }
        return preg_match('//u', $cut) === 1 ? $cut : substr($s, 0, $max);
    }
}
