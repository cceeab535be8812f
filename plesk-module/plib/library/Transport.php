<?php
declare(strict_types=1);

/**
 * A way to reach the WebTotem core: in-process through the `webtotem` PHP
 * extension, or out of process through the `webtotem call` CLI. Every
 * transport gives the same results and throws the same `WebTotem\…`
 * exceptions; module code never uses one directly, only through
 * {@see Modules_WebtotemSecurity_Gateway}.
 */
interface Modules_WebtotemSecurity_Transport
{
    /**
     * Calls core function `$function` (a `webtotem_*` name, already checked by
     * the gateway) with `$args`, its arguments by parameter name, and returns
     * its result.
     *
     * @param array<string, mixed> $args
     * @throws \WebTotem\Exception
     */
    public function call(string $function, array $args): mixed;

    /** A short name for logs and tests: `extension` or `cli`. */
    public function name(): string;
}
