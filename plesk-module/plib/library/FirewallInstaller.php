<?php
declare(strict_types=1);

/**
 * Installs the firewall into one site in one click, and takes it out again.
 *
 * The agent goes into the site's root (the document root, or `public/`
 * when its index.php loads an autoloader) under a generated name, and is
 * hooked into the root's `index.php` (default) or, with `hook` =>
 * `user_ini`, into its `.user.ini` as `auto_prepend_file` (every PHP entry
 * point, when PHP runs as FPM/CGI). Every file is written atomically
 * through {@see Modules_WebtotemSecurity_SiteFiles}; a file the installer
 * changes is first copied to a backup in the private directory. Installing
 * again changes nothing but the agent's settings; uninstalling restores the
 * hooked file byte for byte and removes the agent. The core does the
 * deciding (root detection, rendering, hooking) through the gateway.
 */
final class Modules_WebtotemSecurity_FirewallInstaller
{
    /** The installer's record of what it did, in the private directory. */
    private const MANIFEST = 'firewall.json';

    /**
     * @param string $docroot the site's document root (absolute)
     * @param string $privateDir an absolute directory outside the document
     *   root for the agent's state (log, counters), backups and the record
     */
    public function __construct(
        private Modules_WebtotemSecurity_Gateway $gateway,
        private Modules_WebtotemSecurity_SiteFiles $files,
        private string $docroot,
        private string $privateDir,
    ) {
        foreach (['docroot' => $docroot, 'private directory' => $privateDir] as $what => $dir) {
            if ($dir === '' || $dir[0] !== '/' || preg_match('~(^|/)\.\.(/|$)|[\x00-\x1f]~', $dir)) {
                throw new \WebTotem\InvalidArgumentException("the $what must be an absolute path without .. segments");
            }
        }
        $this->docroot = rtrim($docroot, '/');
        $this->privateDir = rtrim($privateDir, '/');
        if ($this->privateDir === $this->docroot || str_starts_with($this->privateDir . '/', $this->docroot . '/')) {
            throw new \WebTotem\InvalidArgumentException('the private directory must be outside the document root');
        }
    }

    /**
     * Installs (or re-configures) the firewall. `$settings` are the agent's
     * (webtotem_render_firewall_agent(): mode, paranoia, threshold,
     * disabled_rules, allow_ips, allow_paths, trusted_proxies,
     * flood_requests, flood_window, log_max_bytes, log_keep), plus `hook`:
     * `index` (default) or `user_ini`.
     *
     * @return array{root: string, agent: string, hooked_file: string, changed: bool, backup: ?string, previous: ?string}
     */
    public function install(array $settings, string $siteKey): array
    {
        $mode = $settings['hook'] ?? 'index';
        unset($settings['hook']);
        if (!in_array($mode, ['index', 'user_ini'], true)) {
            throw new \WebTotem\InvalidArgumentException('hook must be "index" or "user_ini"');
        }
        $record = $this->record();
        $root = $this->root();
        $agent = $record['agent'] ?? $this->gateway->call('webtotem_agent_file_name');
        if ($record !== null && ($record['root'] !== $root || $record['hook'] !== $mode)) {
            // Moved (a framework now in public/) or another mode: take the old hook out first.
            $this->uninstall();
            $agent = $this->gateway->call('webtotem_agent_file_name');
        }
        $agentPath = "$root/$agent";
        $stateName = $record['state_dir_name'] ?? 'wt-fw-' . bin2hex(random_bytes(6));
        $this->files->mkdir($this->privateDir . '/backups');

        if ($mode === 'index') {
            $hookedFile = "$root/index.php";
            $before = $this->files->read($hookedFile);
            if ($before === null) {
                throw new \WebTotem\InvalidArgumentException("$hookedFile does not exist: use the user_ini mode");
            }
            $after = $this->gateway->call('webtotem_firewall_hook', ['indexPhp' => $before, 'agentFile' => $agent]);
            $previous = null;
        } else {
            $hookedFile = "$root/.user.ini";
            $before = $this->files->read($hookedFile) ?? '';
            $result = $this->gateway->call('webtotem_firewall_user_ini_hook', ['userIni' => $before, 'agentPath' => $agentPath]);
            $after = $result['contents'];
            $previous = $result['previous'];
        }
        $code = $this->gateway->call('webtotem_render_firewall_agent', ['config' => $settings + [
            'site_key' => $siteKey,
            'state_dir_name' => $stateName,
            'state_dir_path' => $this->privateDir,
        ] + ($previous !== null ? ['chain_file' => $previous] : [])]);
        // The agent first, so that the hook never points at a missing or half-written file.
        $this->files->write($agentPath, $code);
        $backup = null;
        if ($after !== $before) {
            $backup = $this->backup($hookedFile, $before);
            $this->files->write($hookedFile, $after);
        }
        $this->files->write($this->privateDir . '/' . self::MANIFEST, json_encode([
            'agent' => $agent,
            'root' => $root,
            'hook' => $mode,
            'hooked_file' => $hookedFile,
            'state_dir_name' => $stateName,
            'installed_at' => $record['installed_at'] ?? time(),
        ], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
        return ['root' => $root, 'agent' => $agent, 'hooked_file' => $hookedFile, 'changed' => $backup !== null, 'backup' => $backup, 'previous' => $previous];
    }

    /**
     * Takes the firewall out: the hooked file back to its bytes before the
     * hook (whatever else changed in it since stays), the agent removed.
     * The log and the backups stay in the private directory.
     *
     * @return array{removed: bool, backup: ?string}
     */
    public function uninstall(): array
    {
        $record = $this->record();
        if ($record === null) {
            return ['removed' => false, 'backup' => null];
        }
        $current = $this->files->read($record['hooked_file']);
        $backup = null;
        if ($current !== null) {
            $restored = $record['hook'] === 'index'
                ? $this->gateway->call('webtotem_firewall_unhook', ['indexPhp' => $current])
                : $this->gateway->call('webtotem_firewall_user_ini_unhook', ['userIni' => $current]);
            if ($restored !== $current) {
                $backup = $this->backup($record['hooked_file'], $current);
                $this->files->write($record['hooked_file'], $restored);
            }
        }
        $this->files->remove($record['root'] . '/' . $record['agent']);
        $this->files->remove($this->privateDir . '/' . self::MANIFEST);
        return ['removed' => true, 'backup' => $backup];
    }

    /**
     * What is installed: `installed`, `root`, `agent`, `hook`, `agent_present`,
     * `hooked` (the hook is in place for this agent) and `problem` (a damaged
     * hook, from the core).
     */
    public function status(): array
    {
        $record = $this->record();
        if ($record === null) {
            return ['installed' => false, 'root' => $this->root(), 'agent' => null, 'hook' => null, 'agent_present' => false, 'hooked' => false, 'problem' => null];
        }
        $contents = $this->files->read($record['hooked_file']) ?? '';
        $status = $record['hook'] === 'index'
            ? $this->gateway->call('webtotem_firewall_hook_status', ['indexPhp' => $contents])
            : $this->gateway->call('webtotem_firewall_user_ini_status', ['userIni' => $contents]);
        $hooked = $status['hooked'] && (($status['agent_file'] ?? null) === $record['agent']
            || ($status['agent_path'] ?? null) === $record['root'] . '/' . $record['agent']);
        return [
            'installed' => true,
            'root' => $record['root'],
            'agent' => $record['agent'],
            'hook' => $record['hook'],
            'agent_present' => $this->files->exists($record['root'] . '/' . $record['agent']),
            'hooked' => $hooked,
            'problem' => $status['problem'] ?? null,
        ];
    }

    /** The site root the agents belong in (the core's decision). */
    public function root(): string
    {
        return $this->gateway->detectRoot($this->docroot, $this->files->read($this->docroot . '/public/index.php'));
    }

    /** The installer's record, or null when nothing is installed. */
    private function record(): ?array
    {
        $json = $this->files->read($this->privateDir . '/' . self::MANIFEST);
        $record = $json === null ? null : json_decode($json, true);
        if (!is_array($record)) {
            return null;
        }
        foreach (['agent', 'root', 'hook', 'hooked_file', 'state_dir_name'] as $key) {
            if (!isset($record[$key]) || !is_string($record[$key])) {
                throw new \WebTotem\InvalidArgumentException("the firewall record in {$this->privateDir} is damaged ($key)");
            }
        }
        // Names from the record are used as paths: check them as the core would.
        if (preg_match('/^[A-Za-z0-9_-]{8,80}\.php$/D', $record['agent']) !== 1
            || !in_array($record['hooked_file'], [$record['root'] . '/index.php', $record['root'] . '/.user.ini'], true)
            || ($record['root'] !== $this->docroot && $record['root'] !== $this->docroot . '/public')) {
            throw new \WebTotem\InvalidArgumentException("the firewall record in {$this->privateDir} is damaged");
        }
        return $record;
    }

    /** Copies `$contents` of `$path` to a new backup file; returns its path. */
    private function backup(string $path, string $contents): string
    {
        $name = basename($path) . '.' . gmdate('Ymd\THis\Z') . '-' . bin2hex(random_bytes(3));
        $backup = $this->privateDir . '/backups/' . $name;
        $this->files->write($backup, $contents);
        return $backup;
    }
}
