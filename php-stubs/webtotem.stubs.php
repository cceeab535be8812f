<?php
/**
 * IDE and static-analysis stubs for the `webtotem` PHP extension (the native
 * core of WebTotem Security for Plesk). Kept equal to what the built
 * extension exports: `scripts/check-stubs.sh` fails CI when they differ.
 *
 * Never include this file at run time.
 */

namespace WebTotem {
    /**
     * The base of every exception the WebTotem core throws. Thrown with the
     * file, line and trace of the PHP code that called the core.
     */
    class Exception extends \Exception {}

    /** A caller passed a value the function cannot accept. */
    class InvalidArgumentException extends Exception {}

    /** A file or directory could not be read or written. */
    class IoException extends Exception {}

    /** A bug in the core, a Rust panic included; never the caller's fault. */
    class InternalException extends Exception {}

    /**
     * The WebTotem cloud API refused a call or could not be reached; the
     * message starts with the error code in brackets (e.g.
     * `[INVALID_API_KEY] The API key is invalid.`) and getCode() is its
     * number (see webtotem_api_errors()).
     */
    class ApiException extends Exception {}

    /**
     * A client of the WebTotem API that keeps its connection: the bearer
     * token of a sign-in, or of a renewal inside any call (the API refused
     * the token and the client signed in again with the API key), is used
     * by the next call. Methods return the same arrays as the
     * `webtotem_api_*` functions (without a `token` key) and throw
     * ApiException (getCode() = the API error's number) on failure. No
     * public properties: var_dump() shows only the endpoint and whether a
     * key and a token are set; serialize() is refused; the API key is a
     * sensitive parameter in traces.
     */
    final class Client
    {
        /**
         * `$endpoint` null: https://api.wtotem.com/v1/graphql. `$options`:
         * `token`, `ca_file` or `ca_cert_pem` (extra trusted CA, e.g. the
         * emulator's), `timeout_ms`, `connect_timeout_ms`, `plesk_email`, `email`.
         *
         * @param array{token?: string, ca_file?: string, ca_cert_pem?: string, timeout_ms?: int,
         *   connect_timeout_ms?: int, plesk_email?: string, email?: string}|null $options
         * @throws ApiException BAD_CONNECTION for an unusable endpoint or CA
         * @throws IoException when `ca_file` cannot be read
         */
        public function __construct(?string $endpoint = null, #[\SensitiveParameter] ?string $apiKey = null, ?array $options = null) {}

        /** The bearer token in use (store it; pass it back as the `token` option). */
        public function token(): ?string {}

        /** What var_dump() shows: `endpoint`, and `api_key`, `token` as `set` or `none`. */
        public function __debugInfo(): array {}

        /** Signs in; as webtotem_api_login(). */
        public function login(): array {}

        /** Registers an account; as webtotem_api_register(). */
        public function register(array $user): array {}

        /** Confirms an e-mail and keeps the API key returned; as webtotem_api_confirm_email(). */
        public function confirmEmail(string $code): array {}

        /** As webtotem_api_hosts(). */
        public function hosts(?array $options = null): array {}

        /** As webtotem_api_host(). */
        public function host(int $hostId): array {}

        /** As webtotem_api_add_host(). */
        public function addHost(string $hostname, ?string $title = null): array {}

        /** As webtotem_api_toggle(). */
        public function toggle(int $configId, int $hostId): bool {}

        /** As webtotem_api_set_module(). */
        public function setModule(int $hostId, string $module, bool $active): array {}

        /** As webtotem_api_host_checks(). */
        public function hostChecks(int $hostId, ?int $now = null): array {}

        /** As webtotem_api_dashboard(). */
        public function dashboard(): array {}

        /** As webtotem_api_generate_agent(). */
        public function generateAgent(int $hostId, string $agent): array {}

        /** As webtotem_api_check_agent(). */
        public function checkAgent(int $hostId, string $agent): array {}

        /** As webtotem_api_download_agent(). */
        public function downloadAgent(string $agentName, string $agent): string {}

        /** As webtotem_api_upload_sample(). */
        public function uploadSample(int $hostId, array $sample): array {}

        /** As webtotem_api_upload_firewall_log(). */
        public function uploadFirewallLog(int $hostId, array $chunk): array {}
    }
}

namespace {
    /**
     * Returns the version line of the WebTotem core: version, commit, commit
     * date and build profile, e.g. `0.1.0 (1a2b3c4d5e6f 2026-11-24, release)`.
     */
    function webtotem_version(): string {}

    /**
     * Returns the directory a site's agents are installed in: `$docroot`
     * (normally `.../httpdocs`), or `$docroot/public` when `$publicIndexPhp`,
     * the contents of `public/index.php` read through pm_FileManager (null
     * when it does not exist), loads an autoloader as PSR-4 frameworks do.
     * Comments, strings, heredocs and inline HTML never count.
     *
     * @throws \WebTotem\InvalidArgumentException when `$docroot` is not an
     *   absolute path, contains `..` segments or NUL/control bytes, or is `/`.
     */
    function webtotem_detect_root(string $docroot, ?string $publicIndexPhp = null): string {}

    /**
     * Scans one file's contents, read through pm_FileManager, for shells,
     * backdoors, injected JavaScript, obfuscation, uploaders, mailers, miners,
     * .htaccess hijacks, SEO spam and droppers. `$path` (relative to the site
     * root) names the file in findings and chooses the rules by its
     * extension. Never executes the code.
     *
     * @return array{path: string, kind: string, sha256: string,
     *   findings: list<array{path: string, rule: string, category: string,
     *   severity: string, description: string, line: int, snippet: string,
     *   sha256: string}>, sample: ?array{path: string, sha256: string,
     *   size: int, truncated: bool, data: string}}
     * @throws \WebTotem\InvalidArgumentException when `$path` is empty or has a NUL byte
     */
    function webtotem_scan_file(string $path, string $contents): array {}

    /**
     * Scans every file under `$root` natively, in parallel, never following
     * symbolic links. `$options`: `baseline` (a file outside the root,
     * compared with and then rewritten), `incremental` (re-read only files
     * whose size, times, inode or mode changed), `max_file_size` (bytes,
     * default 32 MiB), `threads`, `update_baseline` (default true),
     * `samples` (default true).
     *
     * @param array{baseline?: string, incremental?: bool, max_file_size?: int,
     *   threads?: int, update_baseline?: bool, samples?: bool}|null $options
     * @return array{root: string, findings: list<array>, changes: array{compared: bool,
     *   added: list<string>, modified: list<string>, deleted: list<string>,
     *   mode_changed: list<string>}, skipped: list<array{path: string, reason: string}>,
     *   samples: list<array>, summary: array}
     * @throws \WebTotem\InvalidArgumentException for a bad root or baseline path
     * @throws \WebTotem\IoException when the root or the baseline cannot be read or written
     */
    function webtotem_scan_path(string $root, ?array $options = null): array {}

    /**
     * Moves `$file` (a regular file inside `$root`, not a symbolic link) to
     * `$quarantineDir` (outside `$root`) with its metadata. Nothing is
     * deleted without a way back: see webtotem_restore().
     *
     * @return array{id: string, original: string, size: int, mode: int, uid: int,
     *   gid: int, mtime_ns: int, sha256: string, quarantined_at: int, reason: string}
     * @throws \WebTotem\InvalidArgumentException for paths that break these rules
     * @throws \WebTotem\IoException when the file cannot be copied or removed
     */
    function webtotem_quarantine(string $root, string $quarantineDir, string $file, ?string $reason = null): array {}

    /**
     * Restores quarantined file `$id` byte for byte with its mode, owner and
     * modification time. An existing file at the original path is refused
     * unless `$overwrite`, and is then quarantined itself first.
     *
     * @return array the restored file's quarantine record
     * @throws \WebTotem\InvalidArgumentException for a bad id or an existing file
     * @throws \WebTotem\IoException when the file cannot be written back
     */
    function webtotem_restore(string $quarantineDir, string $id, ?bool $overwrite = null): array {}

    /**
     * Lists the records in `$quarantineDir`, oldest first.
     *
     * @return list<array> quarantine records as webtotem_quarantine() returns them
     */
    function webtotem_quarantine_list(string $quarantineDir): array {}

    /**
     * Renders the antivirus agent for one site: a self-contained PHP file
     * (PHP 7.4–8.4, no dependencies) to install in the site's root under a
     * name from webtotem_agent_file_name(). The agent answers only requests
     * signed with the site key (see webtotem_sign_agent_request()), anything
     * else with a plain 404 page.
     *
     * @param array{site_key: string, max_file_size?: int,
     *   state_dir_name: string, state_dir_path?: ?string} $config
     *   `site_key`: hex, at least 32 bytes; `max_file_size`: bytes, default
     *   8 MiB; `state_dir_name`: 8–64 of `[A-Za-z0-9._-]`, not starting with
     *   `..`; `state_dir_path`: an absolute directory outside the web root
     *   for the state directory (default: next to the agent).
     * @throws \WebTotem\InvalidArgumentException for a bad value, an unknown key or a wrong type
     */
    function webtotem_render_antivirus_agent(array $config): string {}

    /**
     * Returns a new, unguessable file name for an agent,
     * `wt-<32 hex digits>.php`, from the system's CSPRNG.
     */
    function webtotem_agent_file_name(): string {}

    /**
     * Returns the `X-WebTotem-Signature` header of a request to an agent:
     * lower-case hex HMAC-SHA256, keyed with the bytes of the hex `$siteKey`,
     * of `$timestamp "\n" $nonce "\n" sha256_hex($body)`.
     *
     * @throws \WebTotem\InvalidArgumentException for a bad key
     */
    function webtotem_sign_agent_request(string $siteKey, int $timestamp, string $nonce, string $body): string {}

    /**
     * Returns the signature-rule matches in one file's contents, the native
     * twin of the antivirus agent's PCRE rules: the first match of each rule,
     * by line then rule. `$path` chooses the rules as in webtotem_scan_file();
     * no PHP analysis and no merging per line.
     *
     * @return list<array{rule: string, line: int}>
     * @throws \WebTotem\InvalidArgumentException for an empty path or one with a NUL byte
     */
    function webtotem_match_signatures(string $path, string $contents): array {}

    /**
     * Inspects one request with the native firewall engine (anomaly scoring
     * over the rules of `rules/waf/`). `$request` keys, all optional:
     * `method`, `uri` (path and query string as received), `headers`
     * (name => value or list of values), `cookies`, `query` (as `$_GET`),
     * `post` (as `$_POST`), `body` (raw), `files` (uploaded file names, or
     * `$_FILES`), `ip`. `$options`: `paranoia` (1–4, default 1), `threshold`
     * (default 5), `disabled_rules` (rule ids).
     *
     * @param array<string, mixed> $request
     * @param array{paranoia?: int, threshold?: int, disabled_rules?: list<string>}|null $options
     * @return array{blocked: bool, score: int, class: ?string, rules: list<string>, matches: list<array{rule: string, class: string, score: int, target: string, name: string}>, truncated: bool}
     * @throws \WebTotem\InvalidArgumentException for an unknown key, a wrong type or an option out of range
     */
    function webtotem_waf_inspect(array $request, ?array $options = null): array {}

    /**
     * Counts one request of `$key` against a flood limit of `$limit`
     * requests per `$windowSeconds` seconds (a sliding window), in counters
     * shared by every PHP worker of the server. The firewall agent's native
     * path uses it instead of its counter files.
     *
     * @return int|null 0 within the limit, 1 over it for the first time in
     *   this window, 2 over it again; null when the counters have no room
     * @throws \WebTotem\InvalidArgumentException for an empty or over-long key, a limit below 1 or a window outside 1–3600 seconds
     */
    function webtotem_flood_hit(string $key, int $limit, int $windowSeconds): ?int {}

    /**
     * Renders the firewall agent for one site: a self-contained PHP file
     * (PHP 7.4–8.4) that the site's index.php or .user.ini includes before
     * its own code. It inspects every request (natively when the site's PHP
     * has this extension, else with the same rules as PCRE), throttles
     * floods, logs what it stops (secrets masked) and answers the WebTotem
     * server's signed log requests; any error inside it lets the request
     * through. `$config`: `site_key` (hex, at least 32 bytes),
     * `state_dir_name`, `state_dir_path`, `mode` (`block` or `monitor`),
     * `paranoia`, `threshold`, `disabled_rules`, `allow_ips`,
     * `trusted_proxies` (addresses or CIDR networks), `allow_paths` (path
     * prefixes), `flood_requests` per `flood_window` seconds (0: no limit),
     * `log_max_bytes`, `log_keep`, `chain_file`.
     *
     * @param array<string, mixed> $config
     * @throws \WebTotem\InvalidArgumentException for a bad value or an unknown key
     */
    function webtotem_render_firewall_agent(array $config): string {}

    /**
     * Reads a chunk of the firewall agent's log (JSON lines): `$log` holds
     * the log's bytes from byte `$offset` on. Returns the events, counts per
     * class, action, hour, address and rule, the agent's own errors, the
     * lines skipped as cut off, corrupted or hostile, and `offset`: where to
     * read next (after the last whole line), so that collecting every few
     * minutes never reads a line twice or loses one.
     *
     * @return array{from: int, offset: int, log_id: ?string, events: list<array<string, mixed>>, lines: int, skipped: int, skipped_lines: list<array{offset: int, reason: string}>, agent_errors: list<array{ts: int, message: string}>, by_class: array<string, int>, by_action: array<string, int>, by_hour: list<array{key: int, count: int}>, by_ip: list<array{key: string, count: int}>, by_rule: list<array{key: string, count: int}>}
     * @throws \WebTotem\InvalidArgumentException for a negative offset
     */
    function webtotem_firewall_parse_log(string $log, ?int $offset = null): array {}

    /**
     * Applies one firewall transformation (`url_decode`, `html_entity_decode`,
     * `js_decode`, `lowercase`, `remove_comments`, `compress_whitespace`,
     * `remove_whitespace`, `remove_nulls`, `normalize_path`, `cmd_line`) to
     * `$value`: what the rules see.
     *
     * @throws \WebTotem\InvalidArgumentException for an unknown transformation
     */
    function webtotem_waf_transform(string $transform, string $value): string {}

    /**
     * The firewall's rules (`id`, `class`, `description`, `targets`,
     * `transforms`, `score`, `paranoia`), and the names of the classes and
     * transformations.
     *
     * @return array{rules: list<array{id: string, class: string, description: string, targets: list<string>, transforms: list<string>, score: int, paranoia: int}>, classes: list<string>, transforms: list<string>}
     */
    function webtotem_waf_rules(): array {}

    /**
     * Returns `$indexPhp` (a site's index.php) with the firewall agent
     * `$agentFile` hooked in: one line, between begin and end markers,
     * that includes `__DIR__ . '/' . $agentFile` only when it exists and
     * catches any error in it, at the first executable position (after a
     * UTF-8 BOM, a `#!` line, `<?php`, the leading `declare(...)` statements
     * and a namespace declaration; in its own `<?php ... ?>` block before
     * inline HTML, `<?=` or a short open tag). No line moves and the page's
     * output stays the same. Hooked with the same agent: returned unchanged;
     * with another: the hook is replaced.
     *
     * @param string $agentFile a file name in the same directory, as from
     *   webtotem_agent_file_name() (`^[A-Za-z0-9_-]{8,80}\.php$`)
     * @throws \WebTotem\InvalidArgumentException for a bad agent name, a damaged
     *   hook, or a file that cannot be hooked safely (unterminated code, NUL
     *   bytes, a declare/namespace it cannot follow, an encoded file)
     */
    function webtotem_firewall_hook(string $indexPhp, string $agentFile): string {}

    /**
     * Returns `$indexPhp` without the firewall hook, byte for byte as it was
     * before webtotem_firewall_hook(); a file without the hook is returned
     * unchanged.
     *
     * @throws \WebTotem\InvalidArgumentException when the hook's markers or code
     *   were edited, moved or duplicated (the file is left to a human)
     */
    function webtotem_firewall_unhook(string $indexPhp): string {}

    /**
     * Whether `$indexPhp` has the firewall hook, with which agent and where;
     * `problem` says why a damaged hook is refused (null otherwise).
     *
     * @return array{hooked: bool, agent_file: ?string, placement: 'code'|'block'|null,
     *   line: ?int, problem: ?string}
     */
    function webtotem_firewall_hook_status(string $indexPhp): array {}

    /**
     * Returns `$userIni` (a `.user.ini`; '' when there is none) with
     * `auto_prepend_file = "$agentPath"` between markers, so PHP under CGI,
     * FastCGI or PHP-FPM runs the agent before every script of the tree. An
     * `auto_prepend_file` line already there (another plugin's) is kept in
     * the block as a comment, restored on removal, and its value returned as
     * `previous` for the agent to include in turn. Hooked with the same path:
     * unchanged (`changed` false); with another: the block is replaced.
     *
     * @param string $agentPath absolute, normalised, ending in an agent file name
     * @return array{contents: string, previous: ?string, changed: bool}
     * @throws \WebTotem\InvalidArgumentException for a bad path, a damaged block,
     *   NUL bytes or an unterminated quoted value
     */
    function webtotem_firewall_user_ini_hook(string $userIni, string $agentPath): array {}

    /**
     * Returns `$userIni` without the firewall block, byte for byte as before
     * webtotem_firewall_user_ini_hook() (a replaced `auto_prepend_file` line
     * back in its place); unchanged without the block.
     *
     * @throws \WebTotem\InvalidArgumentException for a damaged block
     */
    function webtotem_firewall_user_ini_unhook(string $userIni): string {}

    /**
     * Whether `$userIni` has the firewall block, the agent path it sets and
     * the value of the `auto_prepend_file` line it keeps.
     *
     * @return array{hooked: bool, agent_path: ?string, previous: ?string, problem: ?string}
     */
    function webtotem_firewall_user_ini_status(string $userIni): array {}

    /**
     * Whether `$email` may be used for the WebTotem account: its domain must
     * be the domain of `$pleskEmail`, the Plesk account's e-mail (trimmed,
     * case-insensitive, IDN-aware). Invalid addresses never pass.
     */
    function webtotem_email_allowed(string $pleskEmail, string $email): bool {}

    /**
     * Merges the Plesk server's domains with the account's hosts: every
     * Plesk domain is `local`, every other account host `global`, matched
     * across IDN (punycode and Unicode), case, trailing dots and `www.`.
     *
     * @param list<string> $pleskDomains
     * @param list<string|array{hostname: string, id?: int, title?: string}> $accountHosts
     * @return array{sites: list<array{hostname: string, hostname_unicode: string,
     *   scope: string, in_account: bool, host_id: ?int, title: ?string,
     *   account_hostname: ?string, plesk_domain: ?string}>, to_add: list<string>,
     *   invalid: list<string>}
     * @throws \WebTotem\InvalidArgumentException when an argument has the wrong shape
     */
    function webtotem_sync_sites(array $pleskDomains, array $accountHosts): array {}

    /**
     * Every WebTotem API error code with its number (the ApiException's
     * getCode()) and its English and Russian messages.
     *
     * @return list<array{code: string, number: int, en: string, ru: string}>
     */
    function webtotem_api_errors(): array {}

    /**
     * Signs in to the WebTotem API with the connection's API key.
     * `$connection` (every key optional): `endpoint` (default
     * https://api.wtotem.com/v1/graphql), `api_key`, `token`, `ca_cert_pem`,
     * `timeout_ms` (default 15000), `connect_timeout_ms` (default 5000),
     * `plesk_email`, `email` (checked against `plesk_email`).
     *
     * @param array{endpoint?: string, api_key?: string, token?: string, ca_cert_pem?: string,
     *   timeout_ms?: int, connect_timeout_ms?: int, plesk_email?: string, email?: string} $connection
     * @return array{token: string, refresh_token: ?string, expires_in: ?int}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_login(array $connection): array {}

    /**
     * Registers a WebTotem account. `$user`: `email` (in the domain of
     * `$connection['plesk_email']`, which is required), `name`, `password`,
     * optional `timezone`, `tz_name`, `source`. The API e-mails a confirmation code.
     *
     * @return array{registered: bool, email: string, result: mixed}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_register(array $connection, array $user): array {}

    /**
     * Confirms a new account's e-mail with the code the API sent.
     *
     * @return array{confirmed: bool, api_key: ?string, result: mixed}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_confirm_email(array $connection, string $code): array {}

    /**
     * The `webtotem_api_*` functions below that return an array add a
     * `token` key when the call signed in (no token was given, or the one
     * given was refused and renewed with the API key): keep it as
     * `$connection['token']` for the next call.
     *
     * One page of the account's hosts. `$options`: `first` (default 100),
     * `after` (offset), `filter`, or `all` => true for every host.
     *
     * @param array{first?: int, after?: int, filter?: string, all?: bool}|null $options
     * @return array{hosts: list<array{id: int, title: string, hostname: string,
     *   hostname_unicode: string, stack: mixed, created_at: mixed, services: list<array{id: int,
     *   name: string, configs: list<array{id: int, data: mixed, is_active: bool}>}>}>, total: int}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_hosts(array $connection, ?array $options = null): array {}

    /**
     * One host of the account, as in webtotem_api_hosts().
     *
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_host(array $connection, int $hostId): array {}

    /**
     * Adds a site to the account with the default module settings;
     * `$hostname` may be Unicode (it is sent as punycode).
     *
     * @return array the new host, as in webtotem_api_hosts()
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_add_host(array $connection, string $hostname, ?string $title = null): array {}

    /**
     * Toggles service configuration `$configId` of host `$hostId`; returns
     * whether it is active now.
     *
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_toggle(array $connection, int $configId, int $hostId): bool {}

    /**
     * Turns `$module` (`wa`, `ssl`, `dec`, `av`, `cms`, `dc`, `ps`, `waf`,
     * `vc`) of host `$hostId` on or off, toggling only when needed.
     *
     * @return array{host_id: int, module: string, config_id: int, is_active: bool, changed: bool}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_set_module(array $connection, int $hostId, string $module, bool $active): array {}

    /**
     * Every module check of host `$hostId`, in one request. `$now` (Unix
     * seconds, default now) ends the date ranges.
     *
     * @return array{host_id: int, modules: list<array{module: string, title: string,
     *   status: ?int, state: string, config_id: ?int, is_active: bool, details: array}>}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_host_checks(array $connection, int $hostId, ?int $now = null): array {}

    /**
     * The status of every module of every host of the account, in 2
     * requests per 100 hosts (plus a sign-in).
     *
     * @return array{hosts: list<array{host_id: int, hostname: string, hostname_unicode: string,
     *   summary: string, modules: array<string, array{status: ?int, state: string,
     *   config_id: ?int, is_active: bool}>}>, requests: int}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_dashboard(array $connection): array {}

    /**
     * Generates the `$agent` (`waf` or `vc`) file for host `$hostId`.
     *
     * @return array{agent: string, agent_name: string, file_name: string}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_generate_agent(array $connection, int $hostId, string $agent): array {}

    /**
     * Asks the cloud to verify host `$hostId`'s installed `$agent`.
     *
     * @return array{agent: string, installed: bool, lock_for: mixed, ok: bool}
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_check_agent(array $connection, int $hostId, string $agent): array {}

    /**
     * Downloads the generated `$agent` file named `$agentName` and returns
     * its PHP code. The name must be a plain name and the content PHP.
     *
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_download_agent(array $connection, string $agentName, string $agent): string {}

    /**
     * Uploads a malware sample of host `$hostId` for research (assumed
     * contract, see README). `$sample`: `path`, `sha256` (of the whole
     * file), `size`, `truncated` (optional), `data` (at most 256 KiB, as
     * webtotem_scan_file()'s `sample`), `category`, `rules` (rule ids). A
     * sample the server has is not stored again (`duplicate`).
     *
     * @param array{path: string, sha256: string, size?: int, truncated?: bool, data: string,
     *   category: string, rules?: list<string>} $sample
     * @return array{id: string, sha256: string, bytes: int, duplicate: bool, token?: string}
     * @throws \WebTotem\InvalidArgumentException over the cap or inconsistent, before sending
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_upload_sample(array $connection, int $hostId, array $sample): array {}

    /**
     * Uploads a chunk of a firewall log of host `$hostId` for research
     * (assumed contract, see README). `$chunk`: `log_id`, `offset` (where
     * `data` starts in the log), `data` (whole JSON-object lines, at most
     * 256 KiB). Sending the same range again stores nothing (`duplicate`).
     *
     * @param array{log_id: string, offset: int, data: string} $chunk
     * @return array{log_id: string, offset_from: int, offset_to: int, events: int, duplicate: bool, token?: string}
     * @throws \WebTotem\InvalidArgumentException
     * @throws \WebTotem\ApiException
     */
    function webtotem_api_upload_firewall_log(array $connection, int $hostId, array $chunk): array {}
}
