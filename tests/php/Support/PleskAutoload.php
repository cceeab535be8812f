<?php
/**
 * Autoloads the Plesk module's library classes as Plesk does:
 * `Modules_WebtotemSecurity_Transport_Cli` from
 * plesk-module/plib/library/Transport/Cli.php. Used by GatewayTest and by
 * gateway-cli-child.php (which runs without the test bootstrap). Include it
 * with require_once.
 */
declare(strict_types=1);

(static function (): void {
    $library = dirname(__DIR__, 3) . '/plesk-module/plib/library';
    spl_autoload_register(static function (string $class) use ($library): void {
        $prefix = 'Modules_WebtotemSecurity_';
        if (!str_starts_with($class, $prefix)) {
            return;
        }
        $file = $library . '/' . str_replace('_', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require_once $file;
        }
    });
})();
