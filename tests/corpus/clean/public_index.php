<?php
/**
 * clean test file: front controller of a PSR-4 framework (public/index.php).
 * require of the autoloader, $_SERVER reads and a dynamic dispatch of a
 * controller resolved from a route table — all code-defined.
 */

declare(strict_types=1);

use App\Http\Kernel;
use App\Http\Request;

define('APP_START', microtime(true));

if (file_exists($maintenance = __DIR__ . '/../storage/framework/maintenance.php')) {
    require $maintenance;
}

require __DIR__ . '/../vendor/autoload.php';

$app = require_once __DIR__ . '/../bootstrap/app.php';

/** @var Kernel $kernel */
$kernel = $app->make(Kernel::class);

$response = $kernel->handle(
    $request = Request::capture()
)->send();

$kernel->terminate($request, $response);
