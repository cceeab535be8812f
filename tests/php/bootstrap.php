<?php
/**
 * PHPUnit bootstrap: the tests run inside `php -d extension=…/libwebtotem.so`
 * (see scripts/test.sh) and find the CLI twin, the probe build and the
 * fixtures relative to the repository.
 */
declare(strict_types=1);

if (!extension_loaded('webtotem')) {
    fwrite(STDERR, "Run PHPUnit with -d extension=/abs/path/target/release/libwebtotem.so\n");
    exit(2);
}

define('WT_REPO', dirname(__DIR__, 2));
define('WT_FIXTURES', WT_REPO . '/tests/fixtures');
define('WT_CLI', WT_REPO . '/target/release/webtotem');
define('WT_PROBES_SO', WT_REPO . '/target/probes/libwebtotem.so');
define('WT_PLESK_MODULE', WT_REPO . '/plesk-module');

require __DIR__ . '/Support/Process.php';
require __DIR__ . '/Support/Emulator.php';
require __DIR__ . '/Support/PhpServer.php';
