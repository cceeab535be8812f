<?php
/**
 * IDE and static-analysis stubs for the `webtotem` PHP extension (the native
 * core of WebTotem Security for Plesk). Kept equal to what the built
 * extension exports: `scripts/check-stubs.sh` fails CI when they differ.
 *
 * Never include this file at run time.
 */

namespace WebTotem {
    /**
     * The base of every exception the WebTotem core throws. Thrown with the
     * file, line and trace of the PHP code that called the core.
     */
    class Exception extends \Exception {}

    /** A caller passed a value the function cannot accept. */
    class InvalidArgumentException extends Exception {}

    /** A file or directory could not be read or written. */
    class IoException extends Exception {}

    /** A bug in the core, a Rust panic included; never the caller's fault. */
    class InternalException extends Exception {}
}

namespace {
    /**
     * Returns the version line of the WebTotem core: version, commit, commit
     * date and build profile, e.g. `0.1.0 (1a2b3c4d5e6f 2026-11-24, release)`.
     */
    function webtotem_version(): string {}

    /**
     * Returns the directory a site's agents are installed in: `$docroot`
     * (normally `.../httpdocs`), or `$docroot/public` when `$publicIndexPhp`,
     * the contents of `public/index.php` read through pm_FileManager (null
     * when it does not exist), loads an autoloader as PSR-4 frameworks do.
     * Comments, strings, heredocs and inline HTML never count.
     *
     * @throws \WebTotem\InvalidArgumentException when `$docroot` is not an
     *   absolute path, contains `..` segments or NUL/control bytes, or is `/`.
     */
    function webtotem_detect_root(string $docroot, ?string $publicIndexPhp = null): string {}

    /**
     * Scans one file's contents, read through pm_FileManager, for shells,
     * backdoors, injected JavaScript, obfuscation, uploaders, mailers, miners,
     * .htaccess hijacks, SEO spam and droppers. `$path` (relative to the site
     * root) names the file in findings and chooses the rules by its
     * extension. Never executes the code.
     *
     * @return array{path: string, kind: string, sha256: string,
     *   findings: list<array{path: string, rule: string, category: string,
     *   severity: string, description: string, line: int, snippet: string,
     *   sha256: string}>, sample: ?array{path: string, sha256: string,
     *   size: int, truncated: bool, data: string}}
     * @throws \WebTotem\InvalidArgumentException when `$path` is empty or has a NUL byte
     */
    function webtotem_scan_file(string $path, string $contents): array {}
}
