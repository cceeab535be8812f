<?php
declare(strict_types=1);

require_once __DIR__ . '/Exceptions.php';

/**
 * The one way module code reaches the WebTotem core.
 *
 * It calls the core's `webtotem_*` functions by name with named arguments,
 * in-process when the `webtotem` extension is loaded and otherwise through
 * the `sbin/webtotem` root helper (the Plesk panel), with the same results
 * and the same `WebTotem\…` exceptions either way. Typed methods wrap the
 * functions the module uses; {@see self::call()} reaches any other.
 */
final class Modules_WebtotemSecurity_Gateway
{
    /** The names the core's functions have; nothing else is ever passed on. */
    public const FUNCTION_PATTERN = '/^webtotem_[a-z0-9_]+$/D';

    private Modules_WebtotemSecurity_Transport $transport;

    /** Uses `$transport`, or the default one ({@see self::defaultTransport()}). */
    public function __construct(?Modules_WebtotemSecurity_Transport $transport = null)
    {
        $this->transport = $transport ?? self::defaultTransport();
    }

    /** The extension transport when `webtotem` is loaded, else the CLI through `pm_ApiCli::callSbin`. */
    public static function defaultTransport(): Modules_WebtotemSecurity_Transport
    {
        if (extension_loaded('webtotem')) {
            return new Modules_WebtotemSecurity_Transport_Extension();
        }
        return new Modules_WebtotemSecurity_Transport_Cli(Modules_WebtotemSecurity_Transport_Cli::sbinRunner());
    }

    /**
     * Calls core function `$function` with `$args`, its arguments by
     * parameter name (e.g. `['docroot' => '/var/www/vhosts/a/httpdocs']`).
     *
     * @param array<string, mixed> $args
     * @throws \WebTotem\InvalidArgumentException when `$function` is not a
     *   `webtotem_*` name or `$args` are not all named, before anything runs
     * @throws \WebTotem\Exception whatever the core throws
     */
    public function call(string $function, array $args = []): mixed
    {
        if (preg_match(self::FUNCTION_PATTERN, $function) !== 1) {
            throw new \WebTotem\InvalidArgumentException(sprintf('not a WebTotem core function: "%s"', addcslashes($function, "\0..\37\"\\\177..\377")));
        }
        foreach (array_keys($args) as $name) {
            if (!is_string($name)) {
                throw new \WebTotem\InvalidArgumentException(sprintf('%s(): arguments must be passed by parameter name', $function));
            }
        }
        return $this->transport->call($function, $args);
    }

    /** The version line of the core, e.g. `0.1.0 (1a2b3c4d5e6f 2026-11-24, release)`. */
    public function version(): string
    {
        return $this->string('webtotem_version', $this->call('webtotem_version'));
    }

    /**
     * The directory a site's agents go to: `$docroot`, or `$docroot/public`
     * when `$publicIndexPhp` (the contents of `public/index.php`, null when
     * it does not exist) loads an autoloader as PSR-4 frameworks do.
     *
     * @throws \WebTotem\InvalidArgumentException when `$docroot` is not an
     *   absolute path, contains `..` segments or control bytes, or is `/`
     */
    public function detectRoot(string $docroot, ?string $publicIndexPhp = null): string
    {
        $result = $this->call('webtotem_detect_root', ['docroot' => $docroot, 'publicIndexPhp' => $publicIndexPhp]);
        return $this->string('webtotem_detect_root', $result);
    }

    /** The name of the transport in use: `extension` or `cli`. */
    public function transportName(): string
    {
        return $this->transport->name();
    }

    private function string(string $function, mixed $result): string
    {
        if (!is_string($result)) {
            throw new \WebTotem\InternalException(sprintf('%s() returned %s instead of a string', $function, get_debug_type($result)));
        }
        return $result;
    }
}
