<?php
declare(strict_types=1);

require_once __DIR__ . '/Exceptions.php';

/**
 * The WebTotem cloud API for module code: one object per account that
 * holds the connection (endpoint, API key, token, Plesk e-mail) and calls
 * the core's `webtotem_api_*` functions through the gateway, so it works
 * with the extension and through the CLI alike.
 *
 * The token from the first sign-in is kept and passed to later calls
 * ({@see self::token()} gives it for storing); when the API refuses it,
 * the core signs in again with the API key by itself and returns the new
 * token (the functions' `token` key), which is kept here the same way.
 *
 * Every method throws `WebTotem\ApiException` (message `[CODE] text`,
 * `getCode()` the number from `webtotem_api_errors()`) when the API refuses
 * or cannot be reached, and `WebTotem\InvalidArgumentException` for bad input.
 */
final class Modules_WebtotemSecurity_ApiClient
{
    private Modules_WebtotemSecurity_Gateway $gateway;

    /** @var array<string, mixed> */
    private array $connection;

    /**
     * @param array<string, mixed> $connection `endpoint`, `api_key`, `token`,
     *   `ca_cert_pem`, `timeout_ms`, `connect_timeout_ms`, `plesk_email`, `email`
     */
    public function __construct(array $connection, ?Modules_WebtotemSecurity_Gateway $gateway = null)
    {
        $this->connection = $connection;
        $this->gateway = $gateway ?? new Modules_WebtotemSecurity_Gateway();
    }

    /** The bearer token in use, if any (store it to spare a sign-in next time). */
    public function token(): ?string
    {
        $token = $this->connection['token'] ?? null;
        return is_string($token) && $token !== '' ? $token : null;
    }

    /** Signs in with the API key and keeps the token; returns `token`, `refresh_token`, `expires_in`. */
    public function login(): array
    {
        $out = $this->call('webtotem_api_login', []);
        $this->connection['token'] = $out['token'];
        return $out;
    }

    /** Registers an account (`email` in the Plesk e-mail's domain, `name`, `password`). */
    public function register(array $user): array
    {
        return $this->call('webtotem_api_register', ['user' => $user]);
    }

    /** Confirms a new account's e-mail; keeps the API key when the API returns one. */
    public function confirmEmail(string $code): array
    {
        $out = $this->call('webtotem_api_confirm_email', ['code' => $code]);
        if (is_string($out['api_key'] ?? null)) {
            $this->connection['api_key'] = $out['api_key'];
        }
        return $out;
    }

    /** Every host of the account. */
    public function hosts(): array
    {
        return $this->call('webtotem_api_hosts', ['options' => ['all' => true]])['hosts'];
    }

    /** One host. */
    public function host(int $hostId): array
    {
        return $this->call('webtotem_api_host', ['hostId' => $hostId]);
    }

    /** Adds a site with the default module settings. */
    public function addHost(string $hostname, ?string $title = null): array
    {
        return $this->call('webtotem_api_add_host', ['hostname' => $hostname, 'title' => $title]);
    }

    /** Turns a module of a host on or off (only toggles when needed). */
    public function setModule(int $hostId, string $module, bool $active): array
    {
        return $this->call('webtotem_api_set_module', ['hostId' => $hostId, 'module' => $module, 'active' => $active]);
    }

    /** Every module check of a host (one request). */
    public function hostChecks(int $hostId): array
    {
        return $this->call('webtotem_api_host_checks', ['hostId' => $hostId, 'now' => null]);
    }

    /** Every host with the status of each module (2 requests per 100 hosts). */
    public function dashboard(): array
    {
        return $this->call('webtotem_api_dashboard', []);
    }

    /**
     * This server's domains merged with the account's hosts (`local` and
     * `global`), adding the domains the account lacks when `$addMissing`.
     *
     * @param list<string> $pleskDomains
     */
    public function syncSites(array $pleskDomains, bool $addMissing = false): array
    {
        $sync = $this->gateway->call('webtotem_sync_sites', ['pleskDomains' => $pleskDomains, 'accountHosts' => $this->hosts()]);
        if ($addMissing && $sync['to_add'] !== []) {
            foreach ($sync['to_add'] as $domain) {
                $this->addHost($domain);
            }
            $sync = $this->gateway->call('webtotem_sync_sites', ['pleskDomains' => $pleskDomains, 'accountHosts' => $this->hosts()]);
        }
        return $sync;
    }

    /** Generates an agent file (`waf` or `vc`) for a host and returns its name and PHP code. */
    public function fetchAgent(int $hostId, string $agent): array
    {
        $file = $this->call('webtotem_api_generate_agent', ['hostId' => $hostId, 'agent' => $agent]);
        $code = $this->call('webtotem_api_download_agent', ['agentName' => $file['agent_name'], 'agent' => $agent]);
        if (is_array($code) && is_string($code['base64'] ?? null)) {
            $code = base64_decode($code['base64'], true);
        }
        if (!is_string($code)) {
            throw new \WebTotem\InternalException('webtotem_api_download_agent() returned no string');
        }
        return $file + ['code' => $code];
    }

    /** Asks the cloud to verify an installed agent. */
    public function checkAgent(int $hostId, string $agent): array
    {
        return $this->call('webtotem_api_check_agent', ['hostId' => $hostId, 'agent' => $agent]);
    }

    /**
     * Uploads a malware sample of a host for research: the scanner's
     * `sample` (`path`, `sha256`, `size`, `truncated`, `data` of at most
     * 256 KiB) with `category` and `rules`. Returns `id`, `sha256`,
     * `bytes`, `duplicate` (the server had it; nothing stored).
     */
    public function uploadSample(int $hostId, array $sample): array
    {
        return $this->call('webtotem_api_upload_sample', ['hostId' => $hostId, 'sample' => $sample]);
    }

    /**
     * Uploads a chunk of a host's firewall log (JSON lines) for research:
     * `log_id`, `offset`, `data` (whole lines, at most 256 KiB). Returns
     * `log_id`, `offset_from`, `offset_to` (where the next chunk starts),
     * `events`, `duplicate` (the range was sent before; nothing stored).
     */
    public function uploadFirewallLog(int $hostId, array $chunk): array
    {
        return $this->call('webtotem_api_upload_firewall_log', ['hostId' => $hostId, 'chunk' => $chunk]);
    }

    /**
     * Calls `$function` with the connection; a `token` the result carries
     * (the call signed in anew) is kept for later calls and taken out of
     * the result.
     *
     * @param array<string, mixed> $args
     */
    private function call(string $function, array $args): mixed
    {
        $out = $this->gateway->call($function, ['connection' => $this->connection] + $args);
        if (is_array($out) && is_string($out['token'] ?? null) && $function !== 'webtotem_api_login') {
            $this->connection['token'] = $out['token'];
            unset($out['token']);
        }
        return $out;
    }
}
