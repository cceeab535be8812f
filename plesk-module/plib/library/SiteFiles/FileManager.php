<?php
declare(strict_types=1);

/**
 * Site files through Plesk's pm_FileManager, with the site owner's rights.
 * A write goes to a temporary file next to the target and is then moved
 * over it, so the target changes in one rename.
 */
final class Modules_WebtotemSecurity_SiteFiles_FileManager implements Modules_WebtotemSecurity_SiteFiles
{
    /** @param pm_FileManager $manager the domain's file manager (`new pm_FileManager($domainId)`) */
    public function __construct(private object $manager)
    {
    }

    public function read(string $path): ?string
    {
        if (!$this->manager->fileExists($path) || $this->manager->isDir($path)) {
            return null;
        }
        return (string) $this->manager->fileGetContents($path);
    }

    public function write(string $path, string $data): void
    {
        $temp = dirname($path) . '/.wt-tmp-' . bin2hex(random_bytes(8));
        try {
            $this->manager->filePutContents($temp, $data);
            $this->manager->moveFile($temp, $path);
        } catch (\Throwable $e) {
            if ($this->manager->fileExists($temp)) {
                $this->manager->removeFile($temp);
            }
            throw new \WebTotem\IoException(sprintf('cannot write %s: %s', $path, $e->getMessage()), 0, $e);
        }
    }

    public function exists(string $path): bool
    {
        return (bool) $this->manager->fileExists($path);
    }

    public function remove(string $path): void
    {
        if ($this->manager->fileExists($path)) {
            $this->manager->removeFile($path);
        }
    }

    public function mkdir(string $path): void
    {
        if (!$this->manager->fileExists($path)) {
            $this->manager->mkdir($path, '0700', true);
        }
    }
}
