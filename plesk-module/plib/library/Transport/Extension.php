<?php
declare(strict_types=1);

require_once dirname(__DIR__) . '/Exceptions.php';

/**
 * Reaches the core in-process, through the functions of the `webtotem` PHP
 * extension (usable only where PHP loads it, e.g. scripts started with
 * `php -d extension=…`; the Plesk panel's PHP cannot).
 *
 * Mistakes in the call itself, which PHP reports as `\TypeError` or
 * `\ArgumentCountError` (a missing, unknown or mistyped argument) and the
 * CLI reports as `WebTotem\InvalidArgumentException`, are turned into
 * `WebTotem\InvalidArgumentException` here too, so callers see the same
 * exception class through both transports.
 */
final class Modules_WebtotemSecurity_Transport_Extension implements Modules_WebtotemSecurity_Transport
{
    /** Calls the extension function `$function` with `$args` as named arguments. */
    public function call(string $function, array $args): mixed
    {
        $exported = extension_loaded('webtotem') ? (get_extension_funcs('webtotem') ?: []) : [];
        if (!in_array($function, $exported, true)) {
            // The same message as `webtotem call`, so both transports agree.
            throw new \WebTotem\InvalidArgumentException(sprintf('unknown function "%s"; `webtotem functions` lists them', $function));
        }
        try {
            return $function(...$args);
        } catch (\TypeError $e) {
            throw self::invalidCall($function, $e);
        } catch (\Error $e) {
            if (!str_starts_with($e->getMessage(), 'Unknown named parameter')) {
                throw $e;
            }
            throw self::invalidCall($function, $e);
        }
    }

    /** Returns `extension`. */
    public function name(): string
    {
        return 'extension';
    }

    /** `$e`, PHP's report of a bad call, as a `WebTotem\InvalidArgumentException` naming `$function` once. */
    private static function invalidCall(string $function, \Error $e): \Exception
    {
        $message = $e->getMessage();
        if (!str_starts_with($message, $function . '(')) {
            $message = $function . '(): ' . $message;
        }
        return new \WebTotem\InvalidArgumentException($message, 0, $e);
    }
}
