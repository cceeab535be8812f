<?php
/**
 * clean test file: a deploy webhook that runs git via proc_open(). Looks
 * like a shell, but the command is a fixed argv array (no shell involved),
 * the working directory is a constant, and the request must carry a valid
 * HMAC signature of its body (GitHub-style X-Hub-Signature-256).
 */

declare(strict_types=1);

const REPO_DIR = '/var/www/example/current';
const BRANCH = 'main';

$secret = getenv('DEPLOY_WEBHOOK_SECRET') ?: '';
$body = (string) file_get_contents('php://input');
$sig = $_SERVER['HTTP_X_HUB_SIGNATURE_256'] ?? '';
if ($secret === '' || !hash_equals('sha256=' . hash_hmac('sha256', $body, $secret), $sig)) {
    http_response_code(403);
    exit('forbidden');
}
$event = json_decode($body, true);
if (($event['ref'] ?? '') !== 'refs/heads/' . BRANCH) {
    exit('ignored');
}

function run(array $argv): array
{
    $proc = proc_open($argv, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, REPO_DIR);
    if (!is_resource($proc)) {
        return [127, 'cannot start'];
    }
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    return [proc_close($proc), $out];
}

header('Content-Type: text/plain');
foreach ([['git', 'fetch', '--prune', 'origin'], ['git', 'reset', '--hard', 'origin/' . BRANCH]] as $argv) {
    [$code, $out] = run($argv);
    echo implode(' ', $argv), " => $code\n", $out, "\n";
    if ($code !== 0) {
        http_response_code(500);
        break;
    }
}
