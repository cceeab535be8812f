<?php
declare(strict_types=1);

namespace WebTotem\Tests\Support;

/** Runs a real process with stdin and returns its exit code, stdout and stderr. */
final class Process
{
    /** @param list<string> $command */
    public static function run(array $command, string $stdin = '', ?array $env = null): array
    {
        $pipes = [];
        $proc = proc_open($command, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
        if (!is_resource($proc)) {
            throw new \RuntimeException('cannot start ' . implode(' ', $command));
        }
        fwrite($pipes[0], $stdin);
        fclose($pipes[0]);
        $stdout = stream_get_contents($pipes[1]);
        $stderr = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $code = proc_close($proc);
        return ['code' => $code, 'stdout' => $stdout, 'stderr' => $stderr];
    }

    /** Runs PHP code in a fresh `php` process with the given extension (or none). */
    public static function php(string $code, ?string $extension = null): array
    {
        $cmd = [PHP_BINARY];
        if ($extension !== null) {
            $cmd[] = '-d';
            $cmd[] = 'extension=' . $extension;
        }
        $cmd[] = '-r';
        $cmd[] = $code;
        return self::run($cmd);
    }
}
