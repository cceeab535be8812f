<?php
declare(strict_types=1);

/**
 * A site's files, as the module reads and writes them. In Plesk this is
 * pm_FileManager (the site owner's rights, {@see Modules_WebtotemSecurity_SiteFiles_FileManager});
 * paths are absolute and inside the site's webspace. Writes are atomic: a
 * reader sees the old bytes or the new ones, never a half-written file.
 */
interface Modules_WebtotemSecurity_SiteFiles
{
    /** The file's bytes, or null when there is no such file. */
    public function read(string $path): ?string;

    /** Replaces (or creates) the file with `$data`, atomically. */
    public function write(string $path, string $data): void;

    /** Whether a file or directory exists at `$path`. */
    public function exists(string $path): bool;

    /** Removes a file; nothing when there is none. */
    public function remove(string $path): void;

    /** Creates a directory and its parents (no-op when it exists). */
    public function mkdir(string $path): void;
}
