<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * webtotem_flood_hit(): a sliding-window flood counter in memory that the
 * PHP workers of one server share: a forked worker's requests count
 * together with its parent's, as PHP-FPM's and Apache's workers do; bad
 * arguments are refused with a clear exception.
 */
final class FloodHitTest extends TestCase
{
    public function testTheLimitIsCrossedOnceAndReportedOnce(): void
    {
        $key = 'site-a|203.0.113.' . random_int(1, 254) . '|' . bin2hex(random_bytes(4));
        $hits = [];
        for ($i = 0; $i < 8; $i++) {
            $hits[] = webtotem_flood_hit($key, 5, 60);
        }
        // A window boundary may fall inside the loop (its previous window
        // then still weighs), so only the shape is certain: some requests
        // within the limit, then one first-over, then over again.
        $this->assertSame(0, $hits[0]);
        $first = array_search(1, $hits, true);
        $this->assertIsInt($first, json_encode($hits));
        $this->assertGreaterThanOrEqual(5, $first);
        $this->assertSame(array_fill(0, $first, 0), array_slice($hits, 0, $first));
        $this->assertSame(array_fill(0, 7 - $first, 2), array_slice($hits, $first + 1));
        $this->assertSame(0, webtotem_flood_hit('site-b|' . $key, 5, 60), 'another site counts alone');
    }

    public function testForkedWorkersCountTogether(): void
    {
        if (!function_exists('pcntl_fork')) {
            $this->markTestSkipped('pcntl is not available');
        }
        $key = 'site-fork|' . bin2hex(random_bytes(8));
        $pid = pcntl_fork();
        $this->assertNotSame(-1, $pid);
        if ($pid === 0) {
            for ($i = 0; $i < 10; $i++) {
                webtotem_flood_hit($key, 10, 3600);
            }
            posix_kill(getmypid(), SIGKILL); // no PHPUnit shutdown in the child
        }
        pcntl_waitpid($pid, $status);
        $this->assertSame(1, webtotem_flood_hit($key, 10, 3600), "the child's ten requests were counted here");
    }

    /** @return array<string, array{string, int, int, string}> */
    public static function badArguments(): array
    {
        return [
            'empty key' => ['', 10, 60, 'key must be 1 to 512 bytes'],
            'long key' => [str_repeat('k', 513), 10, 60, 'key must be 1 to 512 bytes'],
            'zero limit' => ['k', 0, 60, 'limit must be'],
            'negative limit' => ['k', -5, 60, 'limit must be'],
            'zero window' => ['k', 10, 0, 'windowSeconds must be 1 to 3600'],
            'long window' => ['k', 10, 3601, 'windowSeconds must be 1 to 3600'],
        ];
    }

    /** @dataProvider badArguments */
    public function testBadArgumentsAreRefused(string $key, int $limit, int $window, string $message): void
    {
        $this->expectException(WebTotem\InvalidArgumentException::class);
        $this->expectExceptionMessage($message);
        webtotem_flood_hit($key, $limit, $window);
    }
}
