//! The agents WebTotem installs into a site's root: self-contained PHP files
//! rendered here, that answer only requests signed by the WebTotem server.
//!
//! - [`antivirus`]: the antivirus agent (`ping`, resumable `scan`, `sample`);
//! - [`pcre`]: the signature rules as PHP `preg` patterns.
//!
//! The request protocol, shared by every agent: a `POST` with the headers
//! `X-WebTotem-Timestamp` (unix seconds), `X-WebTotem-Nonce` (16–64 hex
//! digits) and `X-WebTotem-Signature`, the lower-case hex HMAC-SHA256, keyed
//! with the site key's bytes, of `timestamp "\n" nonce "\n" sha256_hex(body)`
//! ([`sign_request`]). The agent answers signed requests with JSON signed
//! the same way ([`sign_response`]) and anything else with a plain 404.

pub mod antivirus;
pub mod firewall;
pub mod pcre;

pub use antivirus::{AntivirusAgentConfig, render_antivirus_agent};
pub use firewall::{FirewallAgentConfig, render_firewall_agent};

use crate::error::{Error, Result};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The shortest site key accepted, in bytes (256 bits).
pub const MIN_SITE_KEY_BYTES: usize = 32;
/// The longest site key accepted, in bytes.
pub const MAX_SITE_KEY_BYTES: usize = 256;

/// A site's secret key: the bytes the agent and the WebTotem server share.
#[derive(Clone, PartialEq, Eq)]
pub struct SiteKey(Vec<u8>);

impl std::fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        write!(f, "SiteKey({} bytes)", self.0.len())
    }
}

impl SiteKey {
    /// Decodes a key written in hex (either case); at least
    /// [`MIN_SITE_KEY_BYTES`] and at most [`MAX_SITE_KEY_BYTES`] bytes.
    pub fn from_hex(hex_key: &str) -> Result<SiteKey> {
        let bytes = hex::decode(hex_key)
            .map_err(|_| Error::invalid("the site key must be written in hex digits"))?;
        if !(MIN_SITE_KEY_BYTES..=MAX_SITE_KEY_BYTES).contains(&bytes.len()) {
            return Err(Error::invalid(format!(
                "the site key must be {MIN_SITE_KEY_BYTES} to {MAX_SITE_KEY_BYTES} bytes \
                 ({} to {} hex digits), got {} bytes",
                MIN_SITE_KEY_BYTES * 2,
                MAX_SITE_KEY_BYTES * 2,
                bytes.len()
            )));
        }
        Ok(SiteKey(bytes))
    }

    /// The key in lower-case hex.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    fn hmac_hex(&self, message: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(message);
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The `X-WebTotem-Signature` of a request to an agent: lower-case hex
/// HMAC-SHA256(key, `timestamp "\n" nonce "\n" sha256_hex(body)`).
pub fn sign_request(key: &SiteKey, timestamp: i64, nonce: &str, body: &[u8]) -> String {
    let digest = crate::malware::scan::sha256_hex(body);
    key.hmac_hex(format!("{timestamp}\n{nonce}\n{digest}").as_bytes())
}

/// The `X-WebTotem-Signature` of an agent's answer to the request with
/// `nonce`: lower-case hex HMAC-SHA256(key, `"response\n" nonce "\n"
/// sha256_hex(body)`), so the server knows the answer is the agent's and
/// belongs to its request.
pub fn sign_response(key: &SiteKey, nonce: &str, body: &[u8]) -> String {
    let digest = crate::malware::scan::sha256_hex(body);
    key.hmac_hex(format!("response\n{nonce}\n{digest}").as_bytes())
}

/// A new, unguessable agent file name, `wt-<32 hex digits>.php` (128 bits
/// from the operating system's CSPRNG).
pub fn agent_file_name() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("the system's random generator failed: {e}")))?;
    Ok(format!("wt-{}.php", hex::encode(bytes)))
}

/// Accepts only agent file names of the form `^[A-Za-z0-9_-]{8,80}\.php$`.
pub fn validate_agent_file_name(name: &str) -> Result<()> {
    let stem = name.strip_suffix(".php").unwrap_or("");
    let ok = (8..=80).contains(&stem.len())
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "agent file name {name:?} must be 8 to 80 letters, digits, '_' or '-' followed by .php"
        )))
    }
}

/// The block of `const` lines an agent is rendered with (inside its
/// `Config` class: class constants cost nothing per request).
pub(crate) struct Constants(String);

impl Constants {
    /// The constants every agent has, from its site's settings, checked:
    /// `VERSION`, `SITE_KEY` (hex, see [`SiteKey::from_hex`]),
    /// `STATE_DIR_NAME` (see [`antivirus::validate_state_dir_name`]) and
    /// `STATE_DIR_PATH` (an absolute directory, or empty: next to the agent).
    pub(crate) fn for_site(
        site_key: &str,
        state_dir_name: &str,
        state_dir_path: Option<&str>,
    ) -> Result<Constants> {
        let key = SiteKey::from_hex(site_key)?;
        antivirus::validate_state_dir_name(state_dir_name)?;
        let state_dir_path = match state_dir_path {
            Some(p) => crate::paths::validate_absolute_dir("state_dir_path", p)?,
            None => String::new(),
        };
        let mut c = Constants(String::new());
        c.add("VERSION", php_string_literal(env!("CARGO_PKG_VERSION")));
        c.add("SITE_KEY", php_string_literal(&key.to_hex()));
        c.add("STATE_DIR_NAME", php_string_literal(state_dir_name));
        c.add("STATE_DIR_PATH", php_string_literal(&state_dir_path));
        Ok(c)
    }

    /// Adds `const name = value;` (a class constant of `Config`), `value`
    /// being PHP code for a literal.
    pub(crate) fn add(&mut self, name: &str, value: String) {
        use std::fmt::Write as _;
        writeln!(self.0, "    const {name} = {value};").expect("writing to a String");
    }

    /// The agent: `template` with these constants and the shared functions.
    pub(crate) fn assemble(&self, template: &str) -> Result<String> {
        assemble(template, &self.0)
    }
}

/// A PHP list of string literals.
pub(crate) fn string_list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| php_string_literal(s)).collect();
    format!("[{}]", items.join(", "))
}

/// A signed request's body is a JSON object of at most this many bytes.
pub const MAX_REQUEST_BODY: usize = 65536;
/// Requests signed more than this many seconds away from the agent's clock are refused.
pub const MAX_CLOCK_SKEW_SECS: u64 = 300;
/// Seen nonces are kept this long, longer than any timestamp stays acceptable.
pub const NONCE_TTL_SECS: u64 = 900;

/// The PHP functions of the request protocol shared by every agent
/// (authentication, the replay cache, signed answers).
const COMMON: &str = include_str!("agent_common.php");
/// Where an agent template takes its rendered constants.
const CONFIG_MARKER: &str = "// @webtotem-config\n";
/// Where an agent template takes the shared protocol functions.
const COMMON_MARKER: &str = "// @webtotem-common\n";

/// Builds an agent from its `template`: `config` (lines of `const …;`)
/// and the protocol's constants at the config marker, the shared protocol
/// functions at the common marker.
fn assemble(template: &str, config: &str) -> Result<String> {
    let marker = |m: &str| {
        (template.matches(m).count() == 1)
            .then_some(())
            .ok_or_else(|| Error::Internal(format!("an agent template needs one {m:?}")))
    };
    marker(CONFIG_MARKER)?;
    marker(COMMON_MARKER)?;
    let common = COMMON
        .strip_prefix("<?php\n")
        .ok_or_else(|| Error::Internal("agent_common.php must start with <?php".into()))?;
    let config = format!(
        "{config}    const MAX_BODY = {MAX_REQUEST_BODY};\n    const MAX_CLOCK_SKEW = {MAX_CLOCK_SKEW_SECS};\n    const NONCE_TTL = {NONCE_TTL_SECS};\n"
    );
    Ok(template
        .replacen(CONFIG_MARKER, &config, 1)
        .replacen(COMMON_MARKER, common, 1))
}

/// `s` as a PHP single-quoted string literal: `\` and `'` escaped, every
/// other byte as it is (a single-quoted string interprets nothing else, not
/// even `?>`, `$` or a newline), so no value can break out of it.
pub fn php_string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::{TokenKind, tokenize, unescape_single};

    const HOSTILE: &[&str] = &[
        "",
        "plain",
        "'",
        "\\",
        "a\\",
        "\\'",
        "'; system('id'); //",
        "\\'; system('id'); //",
        "?> <?php phpinfo(); ?>",
        "$_GET{${system('id')}}",
        "line\nbreak\r\n\0nul",
        "\u{e9}\u{202e}\u{1F600}",
        "''''\\\\\\",
    ];

    #[test]
    fn string_literals_survive_hostile_input() {
        for s in HOSTILE {
            let lit = php_string_literal(s);
            let src = format!("<?php $x = {lit};");
            let tokens: Vec<_> = tokenize(src.as_bytes()).collect();
            let strings: Vec<_> = tokens
                .iter()
                .filter(|t| t.kind == TokenKind::ConstString)
                .collect();
            assert_eq!(strings.len(), 1, "{s:?} gave {lit}");
            assert_eq!(strings[0].text, lit.as_bytes(), "{s:?}");
            assert_eq!(tokens.last().unwrap().text, b";", "{s:?}: nothing after it");
            let body = &lit.as_bytes()[1..lit.len() - 1];
            assert_eq!(unescape_single(body), s.as_bytes(), "{s:?}");
        }
    }

    #[test]
    fn string_literals_read_back_in_php() {
        // The real PHP, when there is one (CI has it).
        let Ok(out) = std::process::Command::new("php")
            .arg("-n")
            .arg("-r")
            .arg(format!(
                "echo json_encode([{}]);",
                HOSTILE
                    .iter()
                    .map(|s| php_string_literal(s))
                    .collect::<Vec<_>>()
                    .join(",")
            ))
            .output()
        else {
            eprintln!("php not found: skipped");
            return;
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let back: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(back, HOSTILE);
    }

    #[test]
    fn agent_file_names_are_random_and_valid() {
        let a = agent_file_name().unwrap();
        let b = agent_file_name().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), "wt-".len() + 32 + ".php".len());
        validate_agent_file_name(&a).unwrap();
    }

    #[test]
    fn agent_file_name_validation() {
        for good in ["wt-0123456789abcdef.php", "abcdefgh.php", "A_b-C_d-.php"] {
            validate_agent_file_name(good).unwrap();
        }
        let long = format!("{}.php", "a".repeat(81));
        for bad in [
            "",
            ".php",
            "short.php",
            "abcdefgh.PHP",
            "abcdefgh.php5",
            "../abcdefgh.php",
            "abc/defgh.php",
            "abcdefgh.php\0",
            "abcdefgh.php.jpg",
            "abc defgh.php",
            "abcdefgh\n.php",
            "abcdéfgh.php",
            long.as_str(),
        ] {
            assert!(validate_agent_file_name(bad).is_err(), "{bad:?}");
        }
        validate_agent_file_name(&format!("{}.php", "a".repeat(80))).unwrap();
    }

    #[test]
    fn site_keys() {
        let key = SiteKey::from_hex(&"Ab".repeat(32)).unwrap();
        assert_eq!(key.to_hex(), "ab".repeat(32));
        assert_eq!(format!("{key:?}"), "SiteKey(32 bytes)");
        for bad in [
            "".to_string(),
            "ab".repeat(31),
            "ab".repeat(257),
            format!("{}x", "a".repeat(63)),
            "a".repeat(65),
            format!("{} ", "ab".repeat(32)),
        ] {
            assert!(
                matches!(SiteKey::from_hex(&bad), Err(Error::InvalidArgument(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn signatures_match_php_hash_hmac() {
        // Computed once with PHP 8.2:
        //   $k = hex2bin(implode('', array_map(fn($i) => sprintf('%02x', $i), range(0, 31))));
        //   hash_hmac('sha256', "1767225600\n0123456789abcdef\n" . hash('sha256', '{"action":"ping"}'), $k);
        //   hash_hmac('sha256', "response\n0123456789abcdef\n" . hash('sha256', '{"ok":true}'), $k);
        let key_hex: String = (0u8..32).map(|i| format!("{i:02x}")).collect();
        let key = SiteKey::from_hex(&key_hex).unwrap();
        assert_eq!(
            sign_request(
                &key,
                1_767_225_600,
                "0123456789abcdef",
                br#"{"action":"ping"}"#
            ),
            "eddce7b1c1c5eb9987e1325fe6924863a87e2a22bf66271d8093818d681e8d81"
        );
        assert_eq!(
            sign_response(&key, "0123456789abcdef", br#"{"ok":true}"#),
            "de1739a26e7c203a7196ac9f59838467f033da19a338cd94126db9630da3a7fb"
        );
    }
}
