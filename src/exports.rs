//! The table of exported functions: the one list that drives both the PHP
//! binding (`src/php/`) and the CLI's `webtotem call` (JSON in and out).
//!
//! Each row names the PHP function, its parameters (names as PHP shows them,
//! types as the core takes them) and the core function that implements it.
//! Rows with `#[cfg(...)]` exist only in builds with that cfg.

use crate::error::{Error, Result};
use crate::wire::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Calls `$callback!` with every exported function, one row each:
/// `/// doc` lines, an optional `#[cfg(...)]`, then
/// `fn php_name(param: Type, ...) -> Return = core::function;`.
macro_rules! exported_functions {
    ($callback:ident) => {
        $callback! {
            /// Returns the version line of the WebTotem core: version, commit,
            /// commit date and build profile, e.g. `0.1.0 (1a2b3c4d5e6f 2026-11-24, release)`.
            fn webtotem_version() -> String = crate::exports::version;

            /// Returns the directory a site's agents are installed in: `$docroot`
            /// (normally `.../httpdocs`), or `$docroot/public` when
            /// `$publicIndexPhp`, the contents of `public/index.php` read through
            /// pm_FileManager (null when it does not exist), loads an autoloader
            /// as PSR-4 frameworks do. Comments, strings, heredocs and inline HTML
            /// never count. Throws WebTotem\InvalidArgumentException when
            /// `$docroot` is not an absolute path, contains `..` segments or
            /// NUL/control bytes, or is `/`.
            fn webtotem_detect_root(docroot: String, publicIndexPhp: Option<crate::wire::Bytes>) -> String = crate::exports::detect_root;

            /// Scans one file's contents, read through pm_FileManager, for
            /// shells, backdoors, injected JavaScript, obfuscation, uploaders,
            /// mailers, miners, .htaccess hijacks, SEO spam and droppers.
            /// `$path` (relative to the site root) names the file in findings
            /// and chooses the rules by its extension. Returns `path`, `kind`,
            /// `sha256`, `findings` (each with `path`, `rule`, `category`,
            /// `severity`, `description`, `line`, `snippet`, `sha256`) and
            /// `sample` (the file's first 256 KiB when a shell, backdoor or
            /// virus was found, else null). Never executes the code.
            fn webtotem_scan_file(path: String, contents: crate::wire::Bytes) -> crate::wire::Array<crate::malware::scan::FileScan> = crate::exports::scan_file;

            /// Scans every file under `$root` natively (in parallel, never
            /// following symbolic links). `$options`: `baseline` (a file
            /// outside the root; compared with, then rewritten), `incremental`
            /// (re-read only files whose metadata changed), `max_file_size`,
            /// `threads`, `update_baseline`, `samples`. Returns `root`,
            /// `findings`, `changes` (`compared`, `added`, `modified`,
            /// `deleted`, `mode_changed`), `skipped` (`path`, `reason`),
            /// `samples` and `summary`.
            fn webtotem_scan_path(root: String, options: Option<crate::wire::Object>) -> crate::wire::Array<crate::malware::walk::ScanReport> = crate::exports::scan_path;

            /// Moves `$file` (a regular file inside `$root`) to
            /// `$quarantineDir` (outside `$root`) with its metadata; returns the
            /// quarantine record (`id`, `original`, `size`, `mode`,
            /// `mtime_ns`, `sha256`, `quarantined_at`, `reason`).
            fn webtotem_quarantine(root: String, quarantineDir: String, file: String, reason: Option<String>) -> crate::wire::Array<crate::quarantine::QuarantineRecord> = crate::exports::quarantine;

            /// Restores quarantined file `$id` byte for byte with its mode and
            /// modification time. An existing file at the original path is
            /// refused unless `$overwrite`, and then quarantined itself first.
            fn webtotem_restore(quarantineDir: String, id: String, overwrite: Option<bool>) -> crate::wire::Array<crate::quarantine::QuarantineRecord> = crate::exports::restore;

            /// Lists the records in `$quarantineDir`, oldest first.
            fn webtotem_quarantine_list(quarantineDir: String) -> crate::wire::Array<Vec<crate::quarantine::QuarantineRecord>> = crate::exports::quarantine_list;
            /// Renders the antivirus agent for one site: a self-contained PHP
            /// file (PHP 7.4–8.4) to install in the site's root under a name
            /// from webtotem_agent_file_name(). `$config` keys: `site_key` (hex,
            /// at least 32 bytes), `max_file_size` (bytes, default 8 MiB),
            /// `state_dir_name` (8–64 of `[A-Za-z0-9._-]`, not starting with
            /// `..`), `state_dir_path` (optional absolute directory outside the
            /// web root for the state directory). The agent answers only
            /// requests signed with the site key (see
            /// webtotem_sign_agent_request()), anything else with a plain 404.
            /// Throws WebTotem\InvalidArgumentException for a bad value, an
            /// unknown key or a wrong type.
            fn webtotem_render_antivirus_agent(config: crate::wire::Object) -> String = crate::exports::render_antivirus_agent;

            /// Returns a new, unguessable file name for an agent,
            /// `wt-<32 hex digits>.php`, from the system's CSPRNG.
            fn webtotem_agent_file_name() -> String = crate::exports::agent_file_name;

            /// Returns the `X-WebTotem-Signature` header of a request to an
            /// agent: lower-case hex HMAC-SHA256, keyed with the bytes of the
            /// hex `$siteKey`, of `$timestamp "\n" $nonce "\n" sha256_hex($body)`.
            /// Throws WebTotem\InvalidArgumentException for a bad key.
            fn webtotem_sign_agent_request(siteKey: String, timestamp: i64, nonce: String, body: crate::wire::Bytes) -> String = crate::exports::sign_agent_request;

            /// Returns the signature-rule matches in one file's contents, the
            /// native twin of the antivirus agent's PCRE rules: a list of
            /// `['rule' => id, 'line' => 1-based line]`, the first match of each
            /// rule, by line then rule. `$path` (any bytes but NUL) chooses the
            /// rules as in webtotem_scan_file(); no PHP analysis and no merging
            /// per line. Throws WebTotem\InvalidArgumentException for an empty
            /// path or one with a NUL byte.
            fn webtotem_match_signatures(path: crate::wire::Bytes, contents: crate::wire::Bytes) -> crate::wire::Array<Vec<crate::malware::scan::SignatureMatch>> = crate::exports::match_signatures;

            /// Inspects one request with the native firewall engine. `$request`:
            /// `method`, `uri` (path and query string as received), `headers`
            /// (name => value), `cookies`, `query` (as `$_GET`), `post` (as
            /// `$_POST`), `body` (raw), `files` (uploaded file names), `ip`;
            /// all optional. `$options`: `paranoia` (1–4, default 1),
            /// `threshold` (default 5), `disabled_rules` (rule ids). Returns
            /// `blocked`, `score`, `class` (the main attack class or null),
            /// `rules` (matched rule ids), `matches` (each `rule`, `class`,
            /// `score`, `target`, `name`) and `truncated` (the limits left
            /// part of the request uninspected).
            fn webtotem_waf_inspect(request: crate::wire::Tree, options: Option<crate::wire::Object>) -> crate::wire::Array<crate::firewall::Verdict> = crate::exports::waf_inspect;

            /// Counts one request of `$key` (the firewall agent passes its
            /// state directory's name and the client address) against a
            /// flood limit of `$limit` requests per `$windowSeconds` (1–3600)
            /// seconds, over a sliding window. Returns 0 within the limit, 1
            /// over it for the first time in this window, 2 over it again,
            /// or null when the counters have no room for the key. The
            /// counters live in memory that every PHP worker of the server
            /// shares (mapped when PHP loads the extension); through the CLI
            /// each call is a process of its own and counts alone.
            fn webtotem_flood_hit(key: String, limit: i64, windowSeconds: i64) -> Option<i64> = crate::exports::flood_hit;

            /// Renders the firewall agent for one site: a self-contained PHP
            /// file (PHP 7.4–8.4) that the site's index.php or .user.ini
            /// includes first (see webtotem_firewall_hook()). `$config`:
            /// `site_key` (hex, at least 32 bytes), `state_dir_name`,
            /// `state_dir_path` (as for the antivirus agent), `mode`
            /// (`block` or `monitor`), `paranoia`, `threshold`,
            /// `disabled_rules`, `allow_ips` and `trusted_proxies` (addresses
            /// or CIDR networks), `allow_paths` (path prefixes),
            /// `flood_requests` per `flood_window` seconds (0: no limit),
            /// `log_max_bytes`, `log_keep`, `chain_file` (an
            /// auto_prepend_file to include after it). Throws
            /// WebTotem\InvalidArgumentException for a bad value or an unknown key.
            fn webtotem_render_firewall_agent(config: crate::wire::Object) -> String = crate::exports::render_firewall_agent;

            /// Reads a chunk of the firewall agent's log (JSON lines), `$log`
            /// being the log's bytes from byte `$offset` (default 0) on.
            /// Returns `from`, `offset` (where to read next: after the last
            /// whole line), `log_id`, `events` (each `id`, `ts`, `ip`,
            /// `action`, `class`, `score`, `rules`, `matches`, `method`,
            /// `host`, `uri`, `user_agent`, `engine`, `args`, `offset`),
            /// `lines`, `skipped` and `skipped_lines` (cut off, corrupted or
            /// hostile lines, skipped), `agent_errors`, and counts
            /// `by_class`, `by_action`, `by_hour`, `by_ip`, `by_rule`.
            fn webtotem_firewall_parse_log(log: crate::wire::Bytes, offset: Option<i64>) -> crate::wire::Array<crate::firewall::log::ParsedLog> = crate::exports::firewall_parse_log;

            /// Applies the firewall transformation `$transform` (e.g.
            /// `url_decode`, `cmd_line`; see webtotem_waf_rules()) to `$value`:
            /// what rules see. Throws WebTotem\InvalidArgumentException for an
            /// unknown transformation.
            fn webtotem_waf_transform(transform: String, value: crate::wire::Bytes) -> crate::wire::Bytes = crate::exports::waf_transform;

            /// The firewall's rules: `rules` (each `id`, `class`,
            /// `description`, `targets`, `transforms`, `score`, `paranoia`),
            /// `classes` and `transforms` (their names).
            fn webtotem_waf_rules() -> crate::wire::Array<crate::firewall::rules::RuleList> = crate::exports::waf_rules;

            /// Returns `$indexPhp` (a site's index.php) with the firewall agent
            /// `$agentFile` (a file name in the same directory, as from
            /// webtotem_agent_file_name()) hooked in: one line between begin and
            /// end markers at the first executable position (after a BOM, a `#!`
            /// line, `<?php`, leading `declare(...)` statements and a namespace
            /// declaration; its own `<?php ... ?>` block before inline HTML),
            /// including the agent only when it exists and never letting an error
            /// in it break the site. No line moves and the output stays the same.
            /// Hooked with the same agent: unchanged; with another: replaced.
            /// Throws WebTotem\InvalidArgumentException for a bad agent name, a
            /// damaged hook, or a file that cannot be hooked safely (unterminated
            /// code, NUL bytes, an encoded file).
            fn webtotem_firewall_hook(indexPhp: crate::wire::Bytes, agentFile: String) -> crate::wire::Bytes = crate::exports::firewall_hook;

            /// Returns `$indexPhp` without the firewall hook, byte for byte as it
            /// was before webtotem_firewall_hook(); a file without the hook comes
            /// back unchanged. Throws WebTotem\InvalidArgumentException when the
            /// hook's markers or code were edited, moved or duplicated.
            fn webtotem_firewall_unhook(indexPhp: crate::wire::Bytes) -> crate::wire::Bytes = crate::exports::firewall_unhook;

            /// Whether `$indexPhp` has the firewall hook: `hooked`, `agent_file`,
            /// `placement` (`code` or `block`), `line` (of the begin marker) and
            /// `problem` (why a damaged hook is refused; null otherwise).
            fn webtotem_firewall_hook_status(indexPhp: crate::wire::Bytes) -> crate::wire::Array<crate::firewall::hook::HookStatus> = crate::exports::firewall_hook_status;

            /// Returns `$userIni` (a `.user.ini`, empty when there is none) with
            /// `auto_prepend_file = "$agentPath"` between markers, so PHP (CGI,
            /// FastCGI, PHP-FPM) runs the agent before every script. An existing
            /// auto_prepend_file line is kept inside the block as a comment and
            /// restored on removal. Returns `contents`, `previous` (that line's
            /// value, for the agent to include in turn, or null) and `changed`.
            /// `$agentPath` must be absolute and end in a valid agent file name.
            fn webtotem_firewall_user_ini_hook(userIni: crate::wire::Bytes, agentPath: String) -> crate::wire::Array<crate::firewall::user_ini::UserIniHook> = crate::exports::firewall_user_ini_hook;

            /// Returns `$userIni` without the firewall block, byte for byte as
            /// before webtotem_firewall_user_ini_hook() (a replaced
            /// auto_prepend_file line back in place); unchanged without the
            /// block. Throws WebTotem\InvalidArgumentException for a damaged block.
            fn webtotem_firewall_user_ini_unhook(userIni: crate::wire::Bytes) -> crate::wire::Bytes = crate::exports::firewall_user_ini_unhook;

            /// Whether `$userIni` has the firewall block: `hooked`, `agent_path`,
            /// `previous` (the kept auto_prepend_file value) and `problem`.
            fn webtotem_firewall_user_ini_status(userIni: crate::wire::Bytes) -> crate::wire::Array<crate::firewall::user_ini::UserIniStatus> = crate::exports::firewall_user_ini_status;

            /// Whether `$email` may be used for the WebTotem account: its
            /// domain must be the domain of `$pleskEmail`, the Plesk
            /// account's e-mail (trimmed, case-insensitive, IDN-aware).
            fn webtotem_email_allowed(pleskEmail: String, email: String) -> bool = crate::exports::email_allowed;

            /// Merges `$pleskDomains` (host names) with `$accountHosts` (host
            /// names, or arrays with `hostname` and optionally `id`, `title`)
            /// into one list: every Plesk domain `local`, every other account
            /// host `global`, matched across IDN, case, trailing dots and
            /// `www.`. Returns `sites` (each `hostname`, `hostname_unicode`,
            /// `scope`, `in_account`, `host_id`, `title`, `account_hostname`,
            /// `plesk_domain`), `to_add` (Plesk domains the account lacks) and
            /// `invalid`.
            fn webtotem_sync_sites(pleskDomains: crate::wire::Object, accountHosts: crate::wire::Object) -> crate::wire::Array<crate::api::sites::Sites> = crate::exports::sync_sites;

            /// Every WebTotem API error code: `code`, `number` (the
            /// WebTotem\ApiException's getCode()), `en` and `ru` messages.
            fn webtotem_api_errors() -> crate::wire::Array<Vec<crate::api::error::ErrorInfo>> = crate::exports::api_errors;

            /// Signs in to the WebTotem API with `$connection['api_key']`
            /// and returns `token`, `refresh_token`, `expires_in`.
            /// `$connection`: `endpoint`, `api_key`, `token`, `ca_cert_pem`,
            /// `timeout_ms`, `connect_timeout_ms`, `plesk_email`, `email`
            /// (all optional). Throws WebTotem\ApiException.
            fn webtotem_api_login(connection: crate::wire::Object) -> crate::wire::Array<crate::api::client::Token> = crate::exports::api_login;

            /// Registers a WebTotem account: `$user` has `email` (in the
            /// domain of `$connection['plesk_email']`, which is required),
            /// `name`, `password`, optional `timezone`, `tz_name`, `source`. Returns
            /// `registered`, `email`, `result`; the API e-mails a code.
            fn webtotem_api_register(connection: crate::wire::Object, user: crate::wire::Object) -> crate::wire::Array<crate::api::client::Registered> = crate::exports::api_register;

            /// Confirms a new account's e-mail with `$code`; returns
            /// `confirmed`, `api_key` (when the API returns one), `result`.
            fn webtotem_api_confirm_email(connection: crate::wire::Object, code: String) -> crate::wire::Array<crate::api::client::Confirmed> = crate::exports::api_confirm_email;

            // The functions that return `crate::exports::Renewing` add a
            // `token` key when the call signed in (no token was given, or
            // the one given was refused and renewed with the API key).

            /// One page of the account's hosts: `$options` `first` (default
            /// 100), `after` (offset), `filter`, or `all` => true for every
            /// host. Returns `hosts` (each `id`, `title`, `hostname`,
            /// `hostname_unicode`, `stack`, `created_at`, `services` with
            /// `id`, `name`, `configs` of `id`, `data`, `is_active`) and `total`.
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_hosts(connection: crate::wire::Object, options: Option<crate::wire::Object>) -> crate::exports::Renewing<crate::api::model::HostPage> = crate::exports::api_hosts;

            /// One host of the account, as in webtotem_api_hosts().
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_host(connection: crate::wire::Object, hostId: i64) -> crate::exports::Renewing<crate::api::model::Host> = crate::exports::api_host;

            /// Adds a site to the account with the default module settings;
            /// `$hostname` may be Unicode (sent as punycode). Returns the host.
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_add_host(connection: crate::wire::Object, hostname: String, title: Option<String>) -> crate::exports::Renewing<crate::api::model::Host> = crate::exports::api_add_host;

            /// Toggles service configuration `$configId` of host `$hostId`;
            /// returns whether it is active now.
            fn webtotem_api_toggle(connection: crate::wire::Object, configId: i64, hostId: i64) -> bool = crate::exports::api_toggle;

            /// Turns module `$module` (`wa`, `ssl`, `dec`, `av`, `cms`, `dc`,
            /// `ps`, `waf`, `vc`) of host `$hostId` on or off, toggling only
            /// when needed. Returns `host_id`, `module`, `config_id`,
            /// `is_active`, `changed`.
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_set_module(connection: crate::wire::Object, hostId: i64, module: String, active: bool) -> crate::exports::Renewing<crate::api::client::ModuleSwitch> = crate::exports::api_set_module;

            /// Every module check of host `$hostId` in one request: `host_id`
            /// and `modules` (each `module`, `title`, `status`, `state`,
            /// `config_id`, `is_active`, `details`). `$now` (Unix seconds,
            /// default now) ends the date ranges.
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_host_checks(connection: crate::wire::Object, hostId: i64, now: Option<i64>) -> crate::exports::Renewing<crate::api::model::HostChecks> = crate::exports::api_host_checks;

            /// The status of every module of every host of the account, in
            /// 2 requests per 100 hosts (plus a sign-in): `hosts` (each
            /// `host_id`, `hostname`, `hostname_unicode`, `summary`,
            /// `modules` by code with `status`, `state`, `config_id`,
            /// `is_active`) and `requests`.
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_dashboard(connection: crate::wire::Object) -> crate::exports::Renewing<crate::api::client::Dashboard> = crate::exports::api_dashboard;

            /// Generates the `$agent` (`waf` or `vc`) file for host
            /// `$hostId`; returns `agent`, `agent_name`, `file_name`.
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_generate_agent(connection: crate::wire::Object, hostId: i64, agent: String) -> crate::exports::Renewing<crate::api::client::AgentFile> = crate::exports::api_generate_agent;

            /// Asks the cloud to verify host `$hostId`'s installed `$agent`;
            /// returns `agent`, `installed`, `lock_for`, `ok`.
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_check_agent(connection: crate::wire::Object, hostId: i64, agent: String) -> crate::exports::Renewing<crate::api::client::AgentCheck> = crate::exports::api_check_agent;

            /// Downloads the generated `$agent` file named `$agentName`
            /// (as webtotem_api_generate_agent() returned it); returns the
            /// PHP code. The name must be a plain name and the content PHP.
            fn webtotem_api_download_agent(connection: crate::wire::Object, agentName: String, agent: String) -> crate::wire::Bytes = crate::exports::api_download_agent;

            /// Uploads a malware sample of host `$hostId` for research
            /// (assumed contract, see README). `$sample`: `path`, `sha256`
            /// (of the whole file), `size`, `truncated` (optional), `data`
            /// (at most 256 KiB, as webtotem_scan_file()'s `sample`),
            /// `category`, `rules` (rule ids). Returns `id`, `sha256`,
            /// `bytes`, `duplicate` (true: the server had it; nothing
            /// stored). Throws WebTotem\InvalidArgumentException for a
            /// sample over the cap or inconsistent, before sending.
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_upload_sample(connection: crate::wire::Object, hostId: i64, sample: crate::wire::Object) -> crate::exports::Renewing<crate::api::research::SampleReceipt> = crate::exports::api_upload_sample;

            /// Uploads a chunk of a firewall log of host `$hostId` for
            /// research (assumed contract, see README). `$chunk`: `log_id`
            /// (`[A-Za-z0-9._-]`), `offset` (where `data` starts in the
            /// log), `data` (whole JSON-object lines, at most 256 KiB).
            /// Returns `log_id`, `offset_from`, `offset_to` (the next
            /// offset), `events` stored, `duplicate` (the range was sent before).
            /// Adds `token` when the call signed in anew: keep it as `$connection['token']`.
            fn webtotem_api_upload_firewall_log(connection: crate::wire::Object, hostId: i64, chunk: crate::wire::Object) -> crate::exports::Renewing<crate::api::research::LogReceipt> = crate::exports::api_upload_firewall_log;

            /// Test probe: panics inside the core, to prove that a panic reaches
            /// PHP as a WebTotem\InternalException. Only in builds with the
            /// `test-probes` feature.
            #[cfg(feature = "test-probes")]
            fn webtotem_test_panic(message: String) -> String = crate::exports::test_panic;
        }
    };
}
pub(crate) use exported_functions;

/// Describes one exported function.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FunctionInfo {
    /// The PHP function name.
    pub name: &'static str,
    /// The parameter names, as PHP shows them and as the CLI's JSON keys.
    pub params: &'static [&'static str],
    /// The documentation of the function.
    pub doc: &'static str,
}

/// Runs a core function, turning a panic into [`Error::Internal`] so that a
/// bug never crashes PHP or the CLI.
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic with no message".into());
            Err(Error::Internal(message))
        }
    }
}

/// Removes argument `name` of `function` from `args` and decodes it; a
/// missing argument decodes from `null` (so optional parameters may be left out).
fn take_arg<T: DeserializeOwned>(
    function: &str,
    args: &mut Map<String, Value>,
    name: &str,
) -> Result<T> {
    let value = args.remove(name).unwrap_or(Value::Null);
    let missing = value.is_null();
    serde_json::from_value(value).map_err(|e| {
        if missing {
            Error::invalid(format!("{function}(): argument ${name} is required"))
        } else {
            Error::invalid(format!(
                "{function}(): argument ${name} has the wrong type: {e}"
            ))
        }
    })
}

macro_rules! json_dispatch {
    ($( $(#[doc = $doc:literal])* $(#[cfg($cfg:meta)])?
        fn $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty = $path:path ; )*) => {
        /// Every exported function of this build.
        pub static FUNCTIONS: &[FunctionInfo] = &[
            $( $(#[cfg($cfg)])? FunctionInfo {
                name: stringify!($name),
                params: &[$(stringify!($arg)),*],
                doc: concat!($($doc, "\n"),*),
            }, )*
        ];

        /// Calls exported function `function` with `args`, a JSON object of
        /// its parameters by name, and returns its result as JSON.
        #[allow(non_snake_case, unused_mut)]
        pub fn call_json(function: &str, args: Value) -> Result<Value> {
            let mut args = match args {
                Value::Object(map) => map,
                // PHP's json_encode([]) gives `[]` for "no arguments".
                Value::Null => Map::new(),
                Value::Array(list) if list.is_empty() => Map::new(),
                other => return Err(Error::invalid(format!(
                    "{function}(): arguments must be a JSON object of parameters by name, got {}",
                    json_type(&other)
                ))),
            };
            match function {
                $( $(#[cfg($cfg)])? stringify!($name) => {
                    $( let $arg: $ty = take_arg(function, &mut args, stringify!($arg))?; )*
                    if let Some(unknown) = args.keys().next() {
                        return Err(Error::invalid(format!(
                            "{function}(): unknown argument ${unknown}; it takes {}",
                            describe_params(&[$(stringify!($arg)),*])
                        )));
                    }
                    let out: $ret = guard(|| $path($($arg),*))?;
                    serde_json::to_value(out).map_err(|e| Error::Internal(format!("cannot encode the result: {e}")))
                } )*
                _ => Err(Error::invalid(format!("unknown function {function:?}; `webtotem functions` lists them"))),
            }
        }
    };
}
exported_functions!(json_dispatch);

fn describe_params(params: &[&str]) -> String {
    if params.is_empty() {
        "no arguments".into()
    } else {
        params
            .iter()
            .map(|p| format!("${p}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---- Adapters from wire types to the core modules. ----

/// `webtotem_version()`.
pub fn version() -> Result<String> {
    Ok(crate::build_info::version_line())
}

/// `webtotem_detect_root()`.
pub fn detect_root(docroot: String, public_index_php: Option<Bytes>) -> Result<String> {
    crate::docroot::detect_root(&docroot, public_index_php.as_ref().map(|b| b.0.as_slice()))
}

/// `webtotem_scan_file()`.
pub fn scan_file(
    path: String,
    contents: Bytes,
) -> Result<crate::wire::Array<crate::malware::scan::FileScan>> {
    check_file_path(path.as_bytes())?;
    let scan = crate::malware::scan::scan_contents(&path, path.as_bytes(), &contents.0);
    Ok(crate::wire::Array(scan))
}

/// `webtotem_render_antivirus_agent()`.
pub fn render_antivirus_agent(config: crate::wire::Object) -> Result<String> {
    let config: crate::agent::AntivirusAgentConfig = config.parse("config")?;
    crate::agent::render_antivirus_agent(&config)
}

/// `webtotem_agent_file_name()`.
pub fn agent_file_name() -> Result<String> {
    crate::agent::agent_file_name()
}

/// `webtotem_sign_agent_request()`.
pub fn sign_agent_request(
    site_key: String,
    timestamp: i64,
    nonce: String,
    body: Bytes,
) -> Result<String> {
    let key = crate::agent::SiteKey::from_hex(&site_key)?;
    Ok(crate::agent::sign_request(&key, timestamp, &nonce, &body.0))
}

/// `webtotem_match_signatures()`.
pub fn match_signatures(
    path: Bytes,
    contents: Bytes,
) -> Result<crate::wire::Array<Vec<crate::malware::scan::SignatureMatch>>> {
    check_file_path(&path.0)?;
    Ok(crate::wire::Array(crate::malware::scan::signature_matches(
        &path.0,
        &contents.0,
    )))
}

/// `webtotem_waf_inspect()`.
pub fn waf_inspect(
    request: crate::wire::Tree,
    options: Option<crate::wire::Object>,
) -> Result<crate::wire::Array<crate::firewall::Verdict>> {
    let options: crate::firewall::Options = match options {
        Some(o) => o.parse("options")?,
        None => Default::default(),
    };
    options.validate()?;
    let request = crate::firewall::Request::from_tree(request)?;
    Ok(crate::wire::Array(crate::firewall::inspect(
        &request, &options,
    )))
}

/// `webtotem_flood_hit()`.
pub fn flood_hit(key: String, limit: i64, window_seconds: i64) -> Result<Option<i64>> {
    if key.is_empty() || key.len() > 512 {
        return Err(Error::invalid("key must be 1 to 512 bytes"));
    }
    let limit = u32::try_from(limit)
        .ok()
        .filter(|&l| l > 0)
        .ok_or_else(|| Error::invalid("limit must be 1 to 4294967295 requests"))?;
    let window = u32::try_from(window_seconds)
        .ok()
        .filter(|w| (1..=3600).contains(w))
        .ok_or_else(|| Error::invalid("windowSeconds must be 1 to 3600"))?;
    Ok(crate::firewall::flood::shared::hit(key.as_bytes(), limit, window).map(|h| h.code()))
}

/// `webtotem_render_firewall_agent()`.
pub fn render_firewall_agent(config: crate::wire::Object) -> Result<String> {
    let config: crate::agent::FirewallAgentConfig = config.parse("config")?;
    crate::agent::render_firewall_agent(&config)
}

/// `webtotem_firewall_parse_log()`.
pub fn firewall_parse_log(
    log: Bytes,
    offset: Option<i64>,
) -> Result<crate::wire::Array<crate::firewall::log::ParsedLog>> {
    let from = u64::try_from(offset.unwrap_or(0))
        .map_err(|_| Error::invalid("offset must not be negative"))?;
    Ok(crate::wire::Array(crate::firewall::log::parse_log(
        &log.0, from,
    )))
}

/// `webtotem_waf_transform()`.
pub fn waf_transform(transform: String, value: Bytes) -> Result<Bytes> {
    let t = crate::firewall::transform::Transform::from_name(&transform).ok_or_else(|| {
        Error::invalid(format!(
            "unknown transformation {transform:?}; webtotem_waf_rules() lists them"
        ))
    })?;
    Ok(Bytes(t.apply(&value.0).into_owned()))
}

/// `webtotem_waf_rules()`.
pub fn waf_rules() -> Result<crate::wire::Array<crate::firewall::rules::RuleList>> {
    Ok(crate::wire::Array(
        crate::firewall::rules::RuleList::current(),
    ))
}

/// A file path given to a scanning function: non-empty, bounded, no NUL.
fn check_file_path(path: &[u8]) -> Result<()> {
    if path.is_empty() || path.len() > crate::paths::MAX_PATH_LEN || path.contains(&0) {
        return Err(Error::invalid(
            "path must be a non-empty file name without NUL bytes",
        ));
    }
    Ok(())
}

/// `webtotem_scan_path()`.
pub fn scan_path(
    root: String,
    options: Option<crate::wire::Object>,
) -> Result<crate::wire::Array<crate::malware::walk::ScanReport>> {
    let options: crate::malware::walk::ScanOptions = match options {
        Some(o) => o.parse("options")?,
        None => Default::default(),
    };
    crate::malware::walk::scan_root(&root, &options).map(crate::wire::Array)
}

/// `webtotem_quarantine()`.
pub fn quarantine(
    root: String,
    quarantine_dir: String,
    file: String,
    reason: Option<String>,
) -> Result<crate::wire::Array<crate::quarantine::QuarantineRecord>> {
    use std::path::Path;
    crate::quarantine::quarantine(
        Path::new(&root),
        Path::new(&quarantine_dir),
        Path::new(&file),
        reason.as_deref().unwrap_or(""),
    )
    .map(crate::wire::Array)
}

/// `webtotem_restore()`.
pub fn restore(
    quarantine_dir: String,
    id: String,
    overwrite: Option<bool>,
) -> Result<crate::wire::Array<crate::quarantine::QuarantineRecord>> {
    crate::quarantine::restore(
        std::path::Path::new(&quarantine_dir),
        &id,
        overwrite.unwrap_or(false),
    )
    .map(crate::wire::Array)
}

/// `webtotem_quarantine_list()`.
pub fn quarantine_list(
    quarantine_dir: String,
) -> Result<crate::wire::Array<Vec<crate::quarantine::QuarantineRecord>>> {
    crate::quarantine::list(std::path::Path::new(&quarantine_dir)).map(crate::wire::Array)
}

// ---- The firewall's hooks. ----

/// `webtotem_firewall_hook()`.
pub fn firewall_hook(index_php: Bytes, agent_file: String) -> Result<Bytes> {
    crate::firewall::hook::hook(&index_php.0, &agent_file).map(Bytes)
}

/// `webtotem_firewall_unhook()`.
pub fn firewall_unhook(index_php: Bytes) -> Result<Bytes> {
    crate::firewall::hook::unhook(&index_php.0).map(Bytes)
}

/// `webtotem_firewall_hook_status()`.
pub fn firewall_hook_status(
    index_php: Bytes,
) -> Result<crate::wire::Array<crate::firewall::hook::HookStatus>> {
    Ok(crate::wire::Array(crate::firewall::hook::status(
        &index_php.0,
    )))
}

/// `webtotem_firewall_user_ini_hook()`.
pub fn firewall_user_ini_hook(
    user_ini: Bytes,
    agent_path: String,
) -> Result<crate::wire::Array<crate::firewall::user_ini::UserIniHook>> {
    crate::firewall::user_ini::hook(&user_ini.0, &agent_path).map(crate::wire::Array)
}

/// `webtotem_firewall_user_ini_unhook()`.
pub fn firewall_user_ini_unhook(user_ini: Bytes) -> Result<Bytes> {
    crate::firewall::user_ini::unhook(&user_ini.0).map(Bytes)
}

/// `webtotem_firewall_user_ini_status()`.
pub fn firewall_user_ini_status(
    user_ini: Bytes,
) -> Result<crate::wire::Array<crate::firewall::user_ini::UserIniStatus>> {
    Ok(crate::wire::Array(crate::firewall::user_ini::status(
        &user_ini.0,
    )))
}

// ---- The WebTotem API (the operations: `api`). ----

pub mod api;
pub use api::*;

/// `webtotem_email_allowed()`.
pub fn email_allowed(plesk_email: String, email: String) -> Result<bool> {
    Ok(crate::api::sites::email_allowed(&plesk_email, &email))
}

/// `webtotem_sync_sites()`.
pub fn sync_sites(
    plesk_domains: crate::wire::Object,
    account_hosts: crate::wire::Object,
) -> Result<crate::wire::Array<crate::api::sites::Sites>> {
    let domains: Vec<String> = plesk_domains.parse("pleskDomains")?;
    let hosts: Vec<crate::api::sites::AccountHost> = account_hosts.parse("accountHosts")?;
    Ok(crate::wire::Array(crate::api::sites::sync_sites(
        &domains, &hosts,
    )))
}

/// `webtotem_api_errors()`.
pub fn api_errors() -> Result<crate::wire::Array<Vec<crate::api::error::ErrorInfo>>> {
    Ok(crate::wire::Array(crate::api::error::error_table()))
}

/// `webtotem_test_panic()`: panics on purpose.
#[cfg(feature = "test-probes")]
pub fn test_panic(message: String) -> Result<String> {
    panic!("{message}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dispatches_by_name_with_named_arguments() {
        let out = call_json(
            "webtotem_detect_root",
            json!({"docroot": "/srv/a/httpdocs", "publicIndexPhp": "<?php require 'vendor/autoload.php';"}),
        )
        .unwrap();
        assert_eq!(out, json!("/srv/a/httpdocs/public"));
        let out = call_json(
            "webtotem_detect_root",
            json!({"docroot": "/srv/a/httpdocs"}),
        )
        .unwrap();
        assert_eq!(out, json!("/srv/a/httpdocs"));
    }

    #[test]
    fn reports_bad_calls_as_invalid_arguments() {
        let cases = [
            ("webtotem_nope", json!({})),
            ("webtotem_detect_root", json!({})),
            ("webtotem_detect_root", json!({"docroot": 5})),
            ("webtotem_detect_root", json!({"docroot": "/a", "extra": 1})),
            ("webtotem_detect_root", json!(["/a"])),
            ("webtotem_detect_root", json!([])),
            ("webtotem_detect_root", json!({"docroot": "relative"})),
        ];
        for (f, args) in cases {
            let err = call_json(f, args.clone()).unwrap_err();
            assert!(
                matches!(err, Error::InvalidArgument(_)),
                "{f} {args}: {err}"
            );
        }
    }

    #[test]
    fn guard_turns_panics_into_internal_errors() {
        let err = guard::<()>(|| panic!("boom {}", 42)).unwrap_err();
        assert!(
            matches!(&err, Error::Internal(m) if m == "boom 42"),
            "{err}"
        );
        let err = guard::<()>(|| std::panic::panic_any(7u8)).unwrap_err();
        assert!(matches!(err, Error::Internal(_)));
    }

    #[test]
    fn every_function_is_listed() {
        let names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        assert!(names.contains(&"webtotem_version") && names.contains(&"webtotem_detect_root"));
        assert!(FUNCTIONS.iter().all(|f| !f.doc.trim().is_empty()));
    }
}
