<?php
declare(strict_types=1);

/**
 * Site files through plain PHP, for tools that already run as the site's
 * owner (and for tests). A write goes to a temporary file in the same
 * directory, keeps the old file's mode, and is renamed over the target.
 */
final class Modules_WebtotemSecurity_SiteFiles_Local implements Modules_WebtotemSecurity_SiteFiles
{
    public function read(string $path): ?string
    {
        if (!is_file($path)) {
            return null;
        }
        $data = @file_get_contents($path);
        if ($data === false) {
            throw new \WebTotem\IoException("cannot read $path");
        }
        return $data;
    }

    public function write(string $path, string $data): void
    {
        $temp = dirname($path) . '/.wt-tmp-' . bin2hex(random_bytes(8));
        $mode = is_file($path) ? fileperms($path) & 0777 : 0644;
        if (@file_put_contents($temp, $data) !== strlen($data) || !@chmod($temp, $mode) || !@rename($temp, $path)) {
            @unlink($temp);
            throw new \WebTotem\IoException("cannot write $path");
        }
    }

    public function exists(string $path): bool
    {
        return file_exists($path);
    }

    public function remove(string $path): void
    {
        if (is_file($path) && !@unlink($path)) {
            throw new \WebTotem\IoException("cannot remove $path");
        }
    }

    public function mkdir(string $path): void
    {
        if (!is_dir($path) && !@mkdir($path, 0700, true) && !is_dir($path)) {
            throw new \WebTotem\IoException("cannot create $path");
        }
    }
}
