//! The antivirus agent: a self-contained PHP file (PHP 7.4–8.4, no
//! dependencies) installed in a site's root under a generated name.
//!
//! Its code is `antivirus_agent.php`; rendering adds a block of constants
//! (the site key, the limits, the state directory, the file-kind tables and
//! the signature rules as PCRE patterns), every value written as a literal
//! by [`php_string_literal`] or as a number, never spliced in as code.
//!
//! Actions, in a signed JSON body (see [`crate::agent`] for the signing):
//! - `{"action":"ping"}` → `{"ok":true,"agent":"antivirus","version",
//!   "php","native","tokenizer","rules","rule_errors"}`;
//! - `{"action":"scan","cursor":"","max_files":N,"max_ms":M}` → `{"ok":true,
//!   "engine","files":[{"path","size","mtime","sha256","findings":[{"rule",
//!   "category","severity","line"}]}],"next_cursor","done"}`: the site root
//!   walked depth-first in byte order of names, symlinks never followed,
//!   resuming after `cursor`;
//! - `{"action":"sample","path":"…"}` → the file's first 256 KiB in base64.

use super::{Constants, pcre::to_pcre};
use super::{php_string_literal, string_list};
use crate::error::{Error, Result};
use crate::malware::kind::{EXTENSION_KINDS, HTACCESS_NAMES};
use crate::malware::rules::definitions;
use serde::Deserialize;
use std::fmt::Write as _;

/// The agent's PHP code; `// @webtotem-config` marks where the constants
/// go, `// @webtotem-common` where the shared protocol functions go.
const TEMPLATE: &str = include_str!("antivirus_agent.php");

/// The default [`AntivirusAgentConfig::max_file_size`]: 8 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;
/// The largest `max_file_size` accepted: 256 MiB.
pub const MAX_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// What an antivirus agent is rendered with (a PHP array with these
/// snake_case keys; unknown keys are refused).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AntivirusAgentConfig {
    /// The site's secret key in hex, at least 32 bytes: requests must be
    /// signed with it.
    pub site_key: String,
    /// Files larger than this many bytes are listed as `"skipped":"too large"`
    /// (default 8 MiB, at most 256 MiB).
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
    /// The name of the agent's private state directory (the replay cache):
    /// 8 to 64 letters, digits, `.`, `_` or `-`, not starting with `..`.
    pub state_dir_name: String,
    /// An absolute directory outside the web root to keep the state
    /// directory in; when absent it is kept next to the agent (denied to
    /// web clients by an `.htaccess` and an empty `index.html`).
    #[serde(default)]
    pub state_dir_path: Option<String>,
}

fn default_max_file_size() -> u64 {
    DEFAULT_MAX_FILE_SIZE
}

/// Checks a state directory name: `^[A-Za-z0-9._-]{8,64}$`, no leading `..`.
pub fn validate_state_dir_name(name: &str) -> Result<()> {
    let ok = (8..=64).contains(&name.len())
        && !name.starts_with("..")
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "state_dir_name {name:?} must be 8 to 64 letters, digits, '.', '_' or '-', not starting with \"..\""
        )))
    }
}

/// Renders the antivirus agent for one site: the complete PHP file.
pub fn render_antivirus_agent(config: &AntivirusAgentConfig) -> Result<String> {
    if !(1..=MAX_MAX_FILE_SIZE).contains(&config.max_file_size) {
        return Err(Error::invalid(format!(
            "max_file_size must be 1 to {MAX_MAX_FILE_SIZE} bytes, got {}",
            config.max_file_size
        )));
    }
    let mut c = Constants::for_site(
        &config.site_key,
        &config.state_dir_name,
        config.state_dir_path.as_deref(),
    )?;
    let mut constant = |name: &str, value: String| c.add(name, value);
    constant("MAX_FILE_SIZE", config.max_file_size.to_string());
    constant("HTACCESS_NAMES", string_list(HTACCESS_NAMES));
    let kinds: Vec<String> = EXTENSION_KINDS
        .iter()
        .map(|(kind, exts)| {
            format!(
                "{} => {}",
                php_string_literal(kind.name()),
                string_list(exts)
            )
        })
        .collect();
    constant("EXTENSION_KINDS", format!("[{}]", kinds.join(", ")));
    let mut rules = String::from("[\n");
    for rule in definitions() {
        let pattern = to_pcre(rule.pattern)
            .map_err(|why| Error::Internal(format!("rule {} has no PCRE form: {why}", rule.id)))?;
        let kinds: Vec<&str> = rule.kinds.iter().map(|k| k.name()).collect();
        writeln!(
            rules,
            "    ['id' => {}, 'category' => {}, 'severity' => {}, 'kinds' => {}, 'literals' => {}, 'code_only' => {}, 'pattern' => {}],",
            php_string_literal(rule.id),
            php_string_literal(rule.category.as_str()),
            php_string_literal(rule.severity.as_str()),
            string_list(&kinds),
            string_list(rule.literals),
            rule.code_only,
            php_string_literal(&pattern),
        )
        .expect("writing to a String");
    }
    rules.push(']');
    constant("RULES", rules);

    c.assemble(TEMPLATE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AntivirusAgentConfig {
        AntivirusAgentConfig {
            site_key: "5a".repeat(32),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            state_dir_name: "wt-state-0123abcd".into(),
            state_dir_path: None,
        }
    }

    #[test]
    fn renders_one_php_file_with_the_config() {
        let php = render_antivirus_agent(&config()).unwrap();
        assert!(php.starts_with("<?php"));
        assert!(!php.contains("// @webtotem-"));
        assert!(php.contains("function authenticate()"));
        assert!(php.contains("const NONCE_TTL = 900;"));
        assert!(php.contains(&format!("const SITE_KEY = '{}';", "5a".repeat(32))));
        assert!(php.contains("const MAX_FILE_SIZE = 8388608;"));
        assert!(php.contains("const STATE_DIR_PATH = '';"));
        assert!(php.contains("'id' => 'php-eval-request'"));
        assert!(php.contains("'php' => ['php', 'php3'"));
        // Upper-case hex is written in lower case.
        let mut upper = config();
        upper.site_key = "AB".repeat(40);
        upper.state_dir_path = Some("/var/www/vhosts/a.example/private//".into());
        let php = render_antivirus_agent(&upper).unwrap();
        assert!(php.contains(&format!("const SITE_KEY = '{}';", "ab".repeat(40))));
        assert!(php.contains("const STATE_DIR_PATH = '/var/www/vhosts/a.example/private';"));
    }

    /// A change that makes a good config bad.
    type Spoil = fn(&mut AntivirusAgentConfig);

    #[test]
    fn refuses_bad_config() {
        let cases: [(&str, Spoil); 15] = [
            ("short key", |c| c.site_key = "ab".repeat(31)),
            ("odd key", |c| c.site_key = "a".repeat(65)),
            ("non-hex key", |c| {
                c.site_key = format!("{}zz", "ab".repeat(32))
            }),
            ("injected key", |c| {
                c.site_key = format!("{}';phpinfo();//", "ab".repeat(32))
            }),
            ("zero size", |c| c.max_file_size = 0),
            ("huge size", |c| c.max_file_size = MAX_MAX_FILE_SIZE + 1),
            ("short dir", |c| c.state_dir_name = "abc".into()),
            ("long dir", |c| c.state_dir_name = "a".repeat(65)),
            ("dotdot dir", |c| c.state_dir_name = "..abcdefgh".into()),
            ("slash dir", |c| c.state_dir_name = "abcd/efgh".into()),
            ("quote dir", |c| c.state_dir_name = "abcd'efgh".into()),
            ("relative path", |c| {
                c.state_dir_path = Some("private".into())
            }),
            ("dotdot path", |c| {
                c.state_dir_path = Some("/var/../etc".into())
            }),
            ("root path", |c| c.state_dir_path = Some("/".into())),
            ("nul path", |c| c.state_dir_path = Some("/a\0b".into())),
        ];
        for (what, change) in cases {
            let mut c = config();
            change(&mut c);
            let err = render_antivirus_agent(&c).unwrap_err();
            assert!(matches!(err, Error::InvalidArgument(_)), "{what}: {err}");
        }
        validate_state_dir_name(".wt-state").unwrap();
        validate_state_dir_name("a.b_c-d9").unwrap();
    }

    #[test]
    fn config_arrays_refuse_unknown_keys() {
        let ok: std::result::Result<AntivirusAgentConfig, _> =
            serde_json::from_value(serde_json::json!({"site_key": "ab", "state_dir_name": "x"}));
        assert_eq!(ok.unwrap().max_file_size, DEFAULT_MAX_FILE_SIZE);
        let bad: std::result::Result<AntivirusAgentConfig, _> = serde_json::from_value(
            serde_json::json!({"site_key": "ab", "state_dir_name": "x", "eval": "1"}),
        );
        assert!(bad.is_err());
    }
}
