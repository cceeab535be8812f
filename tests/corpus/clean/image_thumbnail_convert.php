<?php
/**
 * clean test file: admin-only thumbnail generator that shells out to
 * ImageMagick. Honest because the binary and sizes are constants, every
 * variable argument goes through escapeshellarg(), and the source path is
 * resolved and confined to the uploads directory first.
 */

declare(strict_types=1);

namespace Example\Media;

final class ThumbnailGenerator
{
    private const CONVERT_BIN = '/usr/bin/convert';
    private const SIZES = ['small' => '150x150', 'medium' => '300x300', 'large' => '1024x1024'];

    public function __construct(private string $uploadsDir)
    {
        $this->uploadsDir = rtrim((string) realpath($uploadsDir), '/');
    }

    public function generate(string $relativePath, string $size): string
    {
        if (!isset(self::SIZES[$size])) {
            throw new \InvalidArgumentException('Unknown thumbnail size');
        }
        $source = realpath($this->uploadsDir . '/' . $relativePath);
        if ($source === false || strpos($source, $this->uploadsDir . '/') !== 0) {
            throw new \RuntimeException('Source outside uploads directory');
        }
        $info = pathinfo($source);
        $target = $info['dirname'] . '/' . $info['filename'] . '-' . $size . '.jpg';

        $cmd = self::CONVERT_BIN
            . ' ' . escapeshellarg($source)
            . ' -auto-orient -strip -thumbnail ' . escapeshellarg(self::SIZES[$size] . '^')
            . ' -gravity center -extent ' . escapeshellarg(self::SIZES[$size])
            . ' -quality 82 ' . escapeshellarg($target);

        exec($cmd . ' 2>&1', $output, $status);
        if ($status !== 0) {
            throw new \RuntimeException('convert failed: ' . implode("\n", $output));
        }
        return $target;
    }
}
