//! The firewall agent: a self-contained PHP file (PHP 7.4–8.4, no
//! dependencies) that a site's `index.php` (or `.user.ini`'s
//! `auto_prepend_file`) includes before its own code.
//!
//! Its code is `firewall_agent.php`; rendering adds the site's settings
//! and the rules of `rules/waf/` that run at its paranoia level as PCRE
//! patterns, grouped by transformation pipeline as the native engine
//! groups them, with the engine's limits and tables. Every value is
//! written as a literal or a number, never spliced in as code.
//!
//! For each request the agent: answers a signed request from the WebTotem
//! server (`ping`, `log`; see [`crate::agent`] for the signing) and lets
//! any other through to the site; skips allow-listed addresses and paths;
//! counts the client against the flood limit (APCu, else files in its
//! private state directory) and answers 429 over it; inspects the request
//! with `webtotem_waf_inspect()` when the site's PHP has the extension,
//! else with its PCRE twin of the engine; logs every request with a score
//! (JSON lines, secrets masked, capped and rotated); and in block mode
//! answers 403 with a request id when the score reaches the threshold.
//! Any error inside it lets the request through and is logged.

use super::{Constants, pcre::to_pcre, php_string_literal, string_list};
use crate::error::{Error, Result};
use crate::firewall::engine::{DEFAULT_PARANOIA, DEFAULT_THRESHOLD};
use crate::firewall::request::{
    MAX_BODY_BYTES, MAX_INPUTS, MAX_JSON_DEPTH, MAX_VALUE_BYTES, Target,
};
use crate::firewall::rules::{Class, RuleDef, definitions, rule_set};
use crate::firewall::transform::{NAMED_ENTITIES, Transform, URL_DECODE_ROUNDS};
use serde::Deserialize;
use std::fmt::Write as _;
use std::net::IpAddr;

/// The agent's PHP code, with the config and common markers.
const TEMPLATE: &str = include_str!("firewall_agent.php");

/// Whether the agent blocks or only logs.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Blocked requests get a 403 page (floods a 429).
    #[default]
    Block,
    /// Requests are only logged (as `monitored`): for trying the rules on a live site.
    Monitor,
}

/// What a firewall agent is rendered with (a PHP array with these
/// snake_case keys; unknown keys are refused).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirewallAgentConfig {
    /// The site's secret key in hex, at least 32 bytes: log requests must be signed with it.
    pub site_key: String,
    /// The name of the agent's private state directory (log, flood
    /// counters, replay cache): as for the antivirus agent.
    pub state_dir_name: String,
    /// An absolute directory outside the web root for the state directory;
    /// when absent it is kept next to the agent (denied to web clients).
    #[serde(default)]
    pub state_dir_path: Option<String>,
    /// `block` (the default) or `monitor`.
    #[serde(default)]
    pub mode: Mode,
    /// 1–4 (default 1).
    #[serde(default = "default_paranoia")]
    pub paranoia: u8,
    /// The blocking score (default 5).
    #[serde(default = "default_threshold")]
    pub threshold: u32,
    /// Rule ids that do not run on this site (each must exist).
    #[serde(default)]
    pub disabled_rules: Vec<String>,
    /// Client addresses never inspected: IPv4/IPv6 addresses or CIDR networks.
    #[serde(default)]
    pub allow_ips: Vec<String>,
    /// Path prefixes never inspected (each starting with `/`).
    #[serde(default)]
    pub allow_paths: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or networks).
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Requests per client allowed in `flood_window` seconds; 0 turns the limit off (default 300).
    #[serde(default = "default_flood_requests")]
    pub flood_requests: u32,
    /// The flood window in seconds (default 60, at most 3600).
    #[serde(default = "default_flood_window")]
    pub flood_window: u32,
    /// The log is rotated when it would grow past this many bytes (default 10 MiB).
    #[serde(default = "default_log_max_bytes")]
    pub log_max_bytes: u64,
    /// How many rotated logs are kept (default 3, at most 20).
    #[serde(default = "default_log_keep")]
    pub log_keep: u32,
    /// The `auto_prepend_file` the agent replaces in `.user.ini` mode: an
    /// absolute path the agent includes after its work.
    #[serde(default)]
    pub chain_file: Option<String>,
}

fn default_paranoia() -> u8 {
    DEFAULT_PARANOIA
}
fn default_threshold() -> u32 {
    DEFAULT_THRESHOLD
}
fn default_flood_requests() -> u32 {
    300
}
fn default_flood_window() -> u32 {
    60
}
fn default_log_max_bytes() -> u64 {
    10 * 1024 * 1024
}
fn default_log_keep() -> u32 {
    3
}

/// An address or CIDR network as the agent compares it: the address
/// packed (as `inet_pton` gives it) in hex, and the prefix length.
fn network(text: &str) -> Result<(String, u32)> {
    let bad = || Error::invalid(format!("{text:?} is not an IP address or CIDR network"));
    let (addr, bits) = match text.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u32>().map_err(|_| bad())?)),
        None => (text, None),
    };
    let ip: IpAddr = addr.trim().parse().map_err(|_| bad())?;
    let (packed, max) = match ip {
        IpAddr::V4(v4) => (v4.octets().to_vec(), 32),
        IpAddr::V6(v6) => (v6.octets().to_vec(), 128),
    };
    let bits = bits.unwrap_or(max);
    if bits > max {
        return Err(bad());
    }
    Ok((hex::encode(packed), bits))
}

fn networks(what: &str, list: &[String]) -> Result<String> {
    let mut items = Vec::with_capacity(list.len());
    for entry in list {
        let (hex, bits) = network(entry).map_err(|e| Error::invalid(format!("{what}: {e}")))?;
        items.push(format!("[{}, {bits}]", php_string_literal(&hex)));
    }
    Ok(format!("[{}]", items.join(", ")))
}

/// A byte string as a PHP literal: single-quoted when printable ASCII,
/// else double-quoted with `\xHH` escapes, so no raw control byte lands
/// in the agent's source.
fn php_bytes_literal(s: &str) -> String {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return php_string_literal(s);
    }
    let mut out = String::from("\"");
    for b in s.bytes() {
        match b {
            b'\\' | b'"' | b'$' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => write!(out, "\\x{b:02x}").expect("writing to a String"),
        }
    }
    out.push('"');
    out
}

/// A PCRE pattern whose global matches name, at every position of a value
/// where one of `literals` (lower case) starts, the longest of them there,
/// ASCII case-insensitively (in group 1); the shorter ones starting at the
/// same place are its prefixes (see [`literal_rules`]). Each match takes
/// one byte, so the next one is tried from the next position (cheaper in
/// PHP than empty matches). PCRE tries the branches of an alternation one
/// by one, so the literals are factored into a trie (one branch per
/// distinct byte, a literal that goes on as an optional group). Every byte
/// but letters and digits is written `\xHH`.
fn literal_scan(literals: &[&str]) -> String {
    /// The most branches of the trie tried without a guarding class.
    const SCAN_FANOUT: usize = 8;
    #[derive(Default)]
    struct Node {
        end: bool,
        next: std::collections::BTreeMap<u8, Node>,
    }
    fn byte(b: u8) -> String {
        if b.is_ascii_alphanumeric() {
            (b as char).to_string()
        } else {
            format!("\\x{b:02x}")
        }
    }
    fn pattern(node: &Node) -> String {
        let branches: Vec<(u8, String)> = node
            .next
            .iter()
            .map(|(&b, child)| (b, byte(b) + &pattern(child)))
            .collect();
        let alternation = match branches.len() {
            0 => return String::new(),
            1 if !node.end => return branches.into_iter().next().expect("one branch").1,
            // PCRE tries branches one by one: past a few, a class that
            // guards each run of them lets it skip the runs that cannot match.
            n if n > SCAN_FANOUT => {
                let runs: Vec<String> = branches
                    .chunks(SCAN_FANOUT)
                    .map(|run| {
                        let class: String = run.iter().map(|(b, _)| byte(*b)).collect();
                        let alternatives: Vec<&str> = run.iter().map(|(_, p)| p.as_str()).collect();
                        format!("(?=[{class}])(?:{})", alternatives.join("|"))
                    })
                    .collect();
                format!("(?:{})", runs.join("|"))
            }
            _ => {
                let alternatives: Vec<&str> = branches.iter().map(|(_, p)| p.as_str()).collect();
                format!("(?:{})", alternatives.join("|"))
            }
        };
        if node.end {
            alternation + "?"
        } else {
            alternation
        }
    }
    let mut root = Node::default();
    for literal in literals {
        let mut node = &mut root;
        for b in literal.bytes() {
            node = node.next.entry(b.to_ascii_lowercase()).or_default();
        }
        node.end = true;
    }
    format!("~(?=({})).~is", pattern(&root))
}

/// For each distinct literal of `rules` (lower case), the rules (their
/// numbers in `index`, running rules only) with that literal or one of its
/// prefixes: a value where [`literal_scan`] finds the literal holds those.
fn literal_rules(rules: &[RuleDef], index: &[Option<usize>]) -> Vec<(String, Vec<usize>)> {
    let mut literals: Vec<String> = rules
        .iter()
        .zip(index)
        .filter(|(_, n)| n.is_some())
        .flat_map(|(r, _)| r.literals.iter().map(|l| l.to_ascii_lowercase()))
        .collect();
    literals.sort_unstable();
    literals.dedup();
    literals
        .into_iter()
        .map(|literal| {
            let holders: Vec<usize> = rules
                .iter()
                .zip(index)
                .filter_map(|(r, n)| {
                    let n = (*n)?;
                    let has = r.literals.iter().any(|l| {
                        literal
                            .as_bytes()
                            .starts_with(l.to_ascii_lowercase().as_bytes())
                    });
                    has.then_some(n)
                })
                .collect();
            (literal, holders)
        })
        .collect()
}

/// Renders the firewall agent for one site: the complete PHP file.
pub fn render_firewall_agent(config: &FirewallAgentConfig) -> Result<String> {
    let options = crate::firewall::Options {
        paranoia: config.paranoia,
        threshold: config.threshold,
        disabled_rules: config.disabled_rules.clone(),
    };
    options.validate()?;
    let rules = definitions();
    for id in &config.disabled_rules {
        if !rules.iter().any(|r| r.id == id) {
            return Err(Error::invalid(format!(
                "disabled_rules: there is no rule {id:?} (webtotem_waf_rules() lists them)"
            )));
        }
    }
    for path in &config.allow_paths {
        if !path.starts_with('/') || path.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(Error::invalid(format!(
                "allow_paths: {path:?} must start with / and hold no control characters"
            )));
        }
    }
    if !(1..=3600).contains(&config.flood_window) {
        return Err(Error::invalid("flood_window must be 1 to 3600 seconds"));
    }
    if !(64 * 1024..=1024 * 1024 * 1024).contains(&config.log_max_bytes) {
        return Err(Error::invalid("log_max_bytes must be 64 KiB to 1 GiB"));
    }
    if config.log_keep > 20 {
        return Err(Error::invalid("log_keep must be at most 20"));
    }
    let chain_file = match &config.chain_file {
        Some(p) => crate::paths::validate_absolute_dir("chain_file", p)?,
        None => String::new(),
    };

    let mut c = Constants::for_site(
        &config.site_key,
        &config.state_dir_name,
        config.state_dir_path.as_deref(),
    )?;
    let mut constant = |name: &str, value: String| c.add(name, value);
    let mode = match config.mode {
        Mode::Block => "block",
        Mode::Monitor => "monitor",
    };
    constant("MODE", php_string_literal(mode));
    constant("PARANOIA", config.paranoia.to_string());
    constant("THRESHOLD", config.threshold.to_string());
    let disabled: Vec<&str> = config.disabled_rules.iter().map(String::as_str).collect();
    constant("DISABLED_RULES", string_list(&disabled));
    // What the agent passes to webtotem_waf_inspect(): nothing when the
    // engine's defaults apply (converting an options array costs ~6k
    // instructions a request).
    let native_options = if options == crate::firewall::Options::default() {
        "null".to_string()
    } else {
        format!(
            "['paranoia' => {}, 'threshold' => {}, 'disabled_rules' => {}]",
            config.paranoia,
            config.threshold,
            string_list(&disabled)
        )
    };
    constant("NATIVE_OPTIONS", native_options);
    constant("ALLOW_IPS", networks("allow_ips", &config.allow_ips)?);
    let allow_paths: Vec<&str> = config.allow_paths.iter().map(String::as_str).collect();
    constant("ALLOW_PATHS", string_list(&allow_paths));
    constant(
        "TRUSTED_PROXIES",
        networks("trusted_proxies", &config.trusted_proxies)?,
    );
    constant("FLOOD_REQUESTS", config.flood_requests.to_string());
    constant("FLOOD_WINDOW", config.flood_window.to_string());
    constant("LOG_MAX_BYTES", config.log_max_bytes.to_string());
    constant("LOG_KEEP", config.log_keep.to_string());
    constant("CHAIN_FILE", php_string_literal(&chain_file));
    constant("MAX_VALUE_BYTES", MAX_VALUE_BYTES.to_string());
    constant("MAX_BODY_BYTES", MAX_BODY_BYTES.to_string());
    constant("MAX_INPUTS", MAX_INPUTS.to_string());
    constant("MAX_JSON_DEPTH", MAX_JSON_DEPTH.to_string());
    constant("URL_DECODE_ROUNDS", URL_DECODE_ROUNDS.to_string());
    let entities: Vec<String> = NAMED_ENTITIES
        .iter()
        .map(|(n, t)| format!("{} => {}", php_string_literal(n), php_bytes_literal(t)))
        .collect();
    constant("NAMED_ENTITIES", format!("[{}]", entities.join(", ")));
    let classes: Vec<&str> = Class::ALL.iter().map(|(_, n)| *n).collect();
    constant("CLASSES", string_list(&classes));

    // The rules that run here, in table order, and their groups.
    let enabled = |i: usize| {
        rules[i].paranoia <= config.paranoia
            && !config.disabled_rules.iter().any(|d| d == rules[i].id)
    };
    let mut index = vec![None; rules.len()];
    let mut rule_code = String::from("[\n");
    let mut n = 0;
    for (i, rule) in rules.iter().enumerate() {
        if !enabled(i) {
            continue;
        }
        index[i] = Some(n);
        n += 1;
        let pattern = to_pcre(rule.pattern)
            .map_err(|why| Error::Internal(format!("rule {} has no PCRE form: {why}", rule.id)))?;
        writeln!(
            rule_code,
            "    ['id' => {}, 'class' => {}, 'score' => {}, 'pattern' => {}],",
            php_string_literal(rule.id),
            php_string_literal(rule.class.name()),
            rule.score,
            php_string_literal(&pattern),
        )
        .expect("writing to a String");
    }
    rule_code.push(']');
    constant("RULES", rule_code);
    // The engine's tree of pipeline steps, so that both transform alike:
    // [parent, transformation, its bit in the masks of changes()].
    let set = rule_set();
    let step_code: Vec<String> = set
        .nodes
        .iter()
        .map(|s| {
            let parent = s.parent.map_or(-1, |p| p as i64);
            format!(
                "[{parent}, {}, {}]",
                php_string_literal(s.transform.name()),
                change_bit(s.transform)
            )
        })
        .collect();
    constant("STEPS", format!("[{}]", step_code.join(", ")));
    // Each node's steps from the root, so that the agent walks them in a loop.
    let paths: Vec<String> = (0..set.nodes.len())
        .map(|mut n| {
            let mut path = vec![n.to_string()];
            while let Some(parent) = set.nodes[n].parent {
                path.push(parent.to_string());
                n = parent;
            }
            path.reverse();
            format!("[{}]", path.join(", "))
        })
        .collect();
    constant("STEP_PATHS", format!("[{}]", paths.join(", ")));
    let holders: Vec<String> = literal_rules(rules, &index)
        .into_iter()
        .map(|(literal, rules)| {
            let rules: Vec<String> = rules.iter().map(usize::to_string).collect();
            format!("{} => [{}]", php_bytes_literal(&literal), rules.join(", "))
        })
        .collect();
    constant("LITERAL_RULES", format!("[{}]", holders.join(", ")));
    let bits: Vec<String> = crate::firewall::transform::ALL
        .iter()
        .map(|(t, name)| format!("{} => {}", php_string_literal(name), change_bit(*t)))
        .collect();
    constant("CHANGE_BITS", format!("[{}]", bits.join(", ")));
    let (scan, of) = change_scan();
    constant("CHANGE_SCAN", php_string_literal(&scan));
    constant("CHANGE_OF", of);
    constant("PLANS", plans(rules, &index));
    c.assemble(TEMPLATE)
}

/// What the agent's `changes()` looks for, each with the transformations
/// it may make do more than lower-case a value: (the text found, the
/// regex finding it, the transformations). A lone space, which only
/// `remove_whitespace` minds, is looked for apart.
const CHANGE_SIGNS: &[(&[u8], &str, &[Transform])] = {
    use Transform::*;
    const RUN: &[Transform] = &[CompressWhitespace, RemoveWhitespace, CmdLine];
    &[
        (b"%", "%", &[UrlDecode]),
        (b"+", r"\+", &[UrlDecode]),
        (b"&", "&", &[HtmlEntityDecode]),
        (b"\\", r"\\", &[JsDecode, NormalizePath, CmdLine]),
        (b"\0", r"\x00", &[RemoveNulls]),
        (b"\"", "\"", &[CmdLine]),
        (b"'", "'", &[CmdLine]),
        (b"^", r"\^", &[CmdLine]),
        (b",", ",", &[CmdLine]),
        (b";", ";", &[CmdLine]),
        (b"\t", r"\t", RUN),
        (b"\n", r"\n", RUN),
        (b"\x0b", r"\x0b", RUN),
        (b"\x0c", r"\x0c", RUN),
        (b"\r", r"\r", RUN),
        (b"/*", r"/\*", &[RemoveComments]),
        (b"*/", r"\*/", &[RemoveComments]),
        (b"//", "//", &[NormalizePath]),
        (b"/./", r"/\./", &[NormalizePath]),
        (b"/.", r"/\.\z", &[NormalizePath]),
        (b"  ", "  ", &[CompressWhitespace, CmdLine]),
        (b" /", " /", &[CmdLine]),
        (b" (", r" \(", &[CmdLine]),
    ]
};

/// The agent's `CHANGE_SCAN` (a global match naming the sign of
/// [`CHANGE_SIGNS`] at each position: they never start alike where two
/// could match) and `CHANGE_OF` (sign => `changes()` bits), as PHP.
fn change_scan() -> (String, String) {
    let finds: Vec<&str> = CHANGE_SIGNS.iter().map(|s| s.1).collect();
    let scan = format!("~(?=({})).~s", finds.join("|"));
    let of: Vec<String> = CHANGE_SIGNS
        .iter()
        .map(|(text, _, transforms)| {
            let bits = transforms.iter().fold(0, |m, t| m | change_bit(*t));
            format!(
                "{} => {bits}",
                php_bytes_literal(std::str::from_utf8(text).expect("ASCII"))
            )
        })
        .collect();
    (scan, format!("[{}]", of.join(", ")))
}

/// The bit of `transform` in the masks of the agent's `changes()` (0 for
/// lower-casing, which it does not report).
fn change_bit(transform: Transform) -> u32 {
    if transform == Transform::Lowercase {
        return 0;
    }
    let at = crate::firewall::transform::ALL
        .iter()
        .position(|(t, _)| *t == transform)
        .expect("every transformation is in ALL");
    1 << at
}

/// What the PHP twin does with an input of one part of the request (a
/// target, or `header:NAME` for a header some rule reads by name), as
/// PHP: `mask` (the `changes()` bits of every pipeline reading it), `scan`
/// (the [`literal_scan`] of the literals of its rules), and the rules
/// reading it, as number => whether their pipeline lower-cases:
/// `u` always tried, `f` when the prefilter names them, and `m`, each
/// one's number => its pipeline's `changes()` bits. A rule whose bits a
/// value's `changes()` miss reads the value as it is or lower-cased; for
/// the others the value goes through `groups`, one per pipeline:
/// `[node, lowers, mask, u, f, scan]` with the `changes()` bits of its
/// transformations, its rules always tried (a list) and prefiltered
/// (number => true), and the [`literal_scan`] of their literals for a
/// value that only it reads.
fn plans(rules: &[RuleDef], index: &[Option<usize>]) -> String {
    let set = rule_set();
    // (key, target, the header read by name or "": build.rs refuses a
    // header named "").
    let mut keys: Vec<(String, Target, &str)> = Target::ALL
        .iter()
        .map(|&(target, name)| (name.to_string(), target, ""))
        .collect();
    let mut headers: Vec<&'static str> = rules
        .iter()
        .zip(index)
        .filter(|(_, n)| n.is_some())
        .flat_map(|(r, _)| r.headers.iter().copied())
        .collect();
    headers.sort_unstable();
    headers.dedup();
    for header in headers {
        keys.push((format!("header:{header}"), Target::Headers, header));
    }
    let mut code = String::from("[\n");
    for (key, target, header) in keys {
        let reads = |r: &RuleDef| r.reads(target, header.as_bytes());
        let mut groups = Vec::new();
        let mut all_literals: Vec<&str> = Vec::new();
        let (mut plan_mask, mut flat_u, mut flat_f, mut flat_m) =
            (0, Vec::new(), Vec::new(), Vec::new());
        for group in &set.groups {
            // (number in the agent, whether prefiltered) of the running
            // rules that read this part.
            let members: Vec<(usize, bool)> = group
                .rules
                .iter()
                .filter(|&&i| reads(&rules[i]))
                .filter_map(|&i| index[i].map(|n| (n, !rules[i].literals.is_empty())))
                .collect();
            if members.is_empty() {
                continue;
            }
            // The group's rules share one pipeline.
            let pipeline = rules[group.rules[0]].transforms;
            let lowers = group.lowercases;
            let mask = pipeline.iter().fold(0, |m, t| m | change_bit(*t));
            plan_mask |= mask;
            let pick = |filtered: bool| -> Vec<usize> {
                members
                    .iter()
                    .filter(|m| m.1 == filtered)
                    .map(|m| m.0)
                    .collect()
            };
            let (u, f) = (pick(false), pick(true));
            // The literals of the prefiltered rules, for a value only this
            // group reads.
            let mut literals: Vec<&str> = group
                .rules
                .iter()
                .filter(|&&i| reads(&rules[i]) && index[i].is_some())
                .flat_map(|&i| rules[i].literals.iter().copied())
                .collect();
            literals.sort_unstable();
            literals.dedup();
            all_literals.extend(&literals);
            let scan = if literals.is_empty() {
                String::new()
            } else {
                literal_scan(&literals)
            };
            flat_u.extend(u.iter().map(|n| format!("{n} => {lowers}")));
            flat_f.extend(f.iter().map(|n| format!("{n} => {lowers}")));
            flat_m.extend(members.iter().map(|m| format!("{} => {mask}", m.0)));
            let u: Vec<String> = u.iter().map(usize::to_string).collect();
            let f: Vec<String> = f.iter().map(|n| format!("{n} => true")).collect();
            groups.push(format!(
                "[{}, {lowers}, {mask}, [{}], [{}], {}]",
                group.node.map_or(-1, |n| n as i64),
                u.join(", "),
                f.join(", "),
                php_string_literal(&scan),
            ));
        }
        if groups.is_empty() {
            continue;
        }
        all_literals.sort_unstable();
        all_literals.dedup();
        let scan = if all_literals.is_empty() {
            String::new()
        } else {
            literal_scan(&all_literals)
        };
        writeln!(
            code,
            "    {} => ['mask' => {plan_mask}, 'scan' => {}, 'u' => [{}], 'f' => [{}], 'm' => [{}], 'groups' => [{}]],",
            php_string_literal(&key),
            php_string_literal(&scan),
            flat_u.join(", "),
            flat_f.join(", "),
            flat_m.join(", "),
            groups.join(", "),
        )
        .expect("writing to a String");
    }
    code.push(']');
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> FirewallAgentConfig {
        serde_json::from_value(serde_json::json!({
            "site_key": "5a".repeat(32),
            "state_dir_name": "wt-fw-0123abcd",
        }))
        .unwrap()
    }

    #[test]
    fn renders_one_php_file_with_the_config() {
        let php = render_firewall_agent(&config()).unwrap();
        assert!(php.starts_with("<?php"));
        assert!(!php.contains("// @webtotem-"));
        assert!(php.contains("const MODE = 'block';"));
        assert!(php.contains("const PARANOIA = 1;"));
        assert!(php.contains("const FLOOD_REQUESTS = 300;"));
        assert!(
            php.contains("const NATIVE_OPTIONS = null;"),
            "defaults go unsaid"
        );
        assert!(php.contains("function authenticate()"));
        let level1 = definitions().iter().filter(|r| r.paranoia == 1).count();
        assert_eq!(php.matches("    ['id' => ").count(), level1);
    }

    #[test]
    fn paranoia_and_disabled_rules_choose_the_rules() {
        let mut c = config();
        c.paranoia = 4;
        let all = render_firewall_agent(&c).unwrap();
        assert!(all.contains(
            "const NATIVE_OPTIONS = ['paranoia' => 4, 'threshold' => 5, 'disabled_rules' => []];"
        ));
        assert_eq!(all.matches("    ['id' => ").count(), definitions().len());
        let first = definitions()[0].id;
        c.disabled_rules = vec![first.to_string()];
        let fewer = render_firewall_agent(&c).unwrap();
        assert!(!fewer.contains(&format!("'id' => '{first}'")));
        assert_eq!(
            fewer.matches("    ['id' => ").count(),
            definitions().len() - 1
        );
    }

    #[test]
    fn networks_are_packed_for_inet_pton() {
        assert_eq!(network("203.0.113.0/24").unwrap(), ("cb007100".into(), 24));
        assert_eq!(network("2001:db8::1").unwrap().1, 128);
        for bad in ["203.0.113.0/33", "::/129", "example.com", "1.2.3.4/x", ""] {
            assert!(network(bad).is_err(), "{bad}");
        }
    }

    /// A change that makes a good config bad.
    type Spoil = fn(&mut FirewallAgentConfig);

    #[test]
    fn refuses_bad_config() {
        let cases: [(&str, Spoil); 12] = [
            ("short key", |c| c.site_key = "ab".repeat(8)),
            ("dir", |c| c.state_dir_name = "../x".into()),
            ("paranoia", |c| c.paranoia = 5),
            ("threshold", |c| c.threshold = 0),
            ("unknown rule", |c| {
                c.disabled_rules = vec!["no-such-rule".into()]
            }),
            ("ip", |c| c.allow_ips = vec!["10.0.0.0/99".into()]),
            ("proxy", |c| {
                c.trusted_proxies = vec!["proxy.example".into()]
            }),
            ("path", |c| c.allow_paths = vec!["health".into()]),
            ("path control", |c| c.allow_paths = vec!["/a\nb".into()]),
            ("window", |c| c.flood_window = 0),
            ("log size", |c| c.log_max_bytes = 10),
            ("chain", |c| c.chain_file = Some("relative.php".into())),
        ];
        for (what, spoil) in cases {
            let mut c = config();
            spoil(&mut c);
            let err = render_firewall_agent(&c).unwrap_err();
            assert!(matches!(err, Error::InvalidArgument(_)), "{what}: {err}");
        }
    }

    #[test]
    fn literals_and_scans_are_safe_php() {
        assert_eq!(php_bytes_literal("ab'c"), r"'ab\'c'");
        assert_eq!(php_bytes_literal("\0\r$\""), r#""\x00\x0d\$\"""#);
        assert_eq!(
            literal_scan(&["<script", "${", "\0", "se", "select", "sleep", "<"]),
            r"~(?=((?:\x00|\x24\x7b|\x3c(?:script)?|s(?:e(?:lect)?|leep)))).~is"
        );
    }
}
