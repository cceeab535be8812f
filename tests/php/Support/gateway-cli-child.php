<?php
/**
 * Child process of GatewayTest: runs one Gateway call in PHP WITHOUT the
 * webtotem extension (`php -n`), so the Gateway goes through its CLI
 * transport, and prints the outcome as JSON:
 *   {"transport": "cli", "result": …}   or
 *   {"transport": "cli", "exception": {"class": …, "message": …}}
 * plus "runnerCalls" / "sbinCalls" recording what the runner was given.
 *
 * The request comes on stdin as a PHP serialize()d array (binary-safe, so a
 * non-UTF-8 argument reaches the Gateway byte for byte, and only the
 * transport under test does any base64 encoding):
 *   method  'call' | 'version' | 'detectRoot' | 'transportName'
 *   params  the method's arguments, e.g. ['webtotem_version', []]
 *   runner  'command': exec `[...command, 'call', $function]` (e.g. [WT_CLI])
 *           'canned':  return `canned` (code/stdout/stderr) without running anything
 *           'default': the Gateway's own default transport, with a stand-in
 *                      pm_ApiCli whose callSbin runs `sh {sbin}/webtotem …`
 */
declare(strict_types=1);

require __DIR__ . '/Process.php';
require_once __DIR__ . '/PleskAutoload.php';

use WebTotem\Tests\Support\Process;

if (extension_loaded('webtotem')) {
    fwrite(STDERR, "gateway-cli-child.php must run without the webtotem extension (php -n)\n");
    exit(3);
}

$request = unserialize((string) stream_get_contents(STDIN), ['allowed_classes' => false]);
if (!is_array($request) || !in_array($request['method'] ?? null, ['call', 'version', 'detectRoot', 'transportName'], true)) {
    fwrite(STDERR, "bad request\n");
    exit(3);
}

$runnerCalls = [];
$output = [];
switch ($request['runner']) {
    case 'command':
        $command = $request['command'];
        $runner = static function (string $function, string $stdinJson) use ($command, &$runnerCalls): array {
            $runnerCalls[] = [$function, $stdinJson];
            return Process::run([...$command, 'call', $function], $stdinJson);
        };
        $gateway = new Modules_WebtotemSecurity_Gateway(new Modules_WebtotemSecurity_Transport_Cli($runner));
        break;
    case 'canned':
        $canned = $request['canned'];
        $runner = static function (string $function, string $stdinJson) use ($canned, &$runnerCalls): array {
            $runnerCalls[] = [$function, $stdinJson];
            return $canned;
        };
        $gateway = new Modules_WebtotemSecurity_Gateway(new Modules_WebtotemSecurity_Transport_Cli($runner));
        break;
    case 'default':
        /** Stand-in for Plesk's pm_ApiCli: records callSbin and runs the module's sbin script with sh. */
        final class pm_ApiCli
        {
            public const RESULT_FULL = 1;
            public static string $sbinDir = '';
            public static array $calls = [];

            public static function callSbin($command, $args = [], $result = 5, $env = [], $stdin = '')
            {
                self::$calls[] = ['command' => $command, 'args' => $args, 'result' => $result, 'env' => $env, 'stdin' => $stdin];
                return Process::run(['sh', self::$sbinDir . '/' . $command, ...$args], $stdin);
            }
        }
        pm_ApiCli::$sbinDir = $request['sbin'];
        $gateway = new Modules_WebtotemSecurity_Gateway();
        break;
    default:
        fwrite(STDERR, "unknown runner\n");
        exit(3);
}

$output['transport'] = $gateway->transportName();
try {
    $output['result'] = $gateway->{$request['method']}(...$request['params']);
} catch (Throwable $e) {
    $output['exception'] = ['class' => get_class($e), 'message' => $e->getMessage()];
}
$output['runnerCalls'] = $runnerCalls;
if (class_exists('pm_ApiCli', false)) {
    $output['sbinCalls'] = pm_ApiCli::$calls;
}
echo json_encode($output, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
