//! The firewall agent's log, read back: events and aggregates.
//!
//! The agent writes JSON lines: a `start` line opening each log file (its
//! `log_id`), a `request` line per request with a score (blocked,
//! monitored, scored or throttled), an `error` line when it failed open.
//! [`parse_log`] reads a chunk of such a log, taken from byte `offset`
//! of the file, and returns the events, counts per class, address, hour
//! and action, and the offset to resume from: the end of the last whole
//! line, so that collecting every few minutes never reads a line twice or
//! loses one. Lines that are cut off, corrupted or hostile (not JSON, wrong
//! types, absurd values, over [`MAX_LINE_BYTES`]) are counted and skipped.

use crate::firewall::rules::Class;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Lines longer than this are skipped as hostile (the agent caps its own far lower).
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// At most this many skipped lines are described one by one.
pub const MAX_SKIPPED_LISTED: usize = 100;
/// At most this many addresses are listed in `by_ip` (the busiest).
pub const MAX_IPS_LISTED: usize = 100;

/// What the agent did with a request.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Answered 403.
    Blocked,
    /// Would have been blocked; the site is in monitor mode.
    Monitored,
    /// Scored below the threshold, let through.
    Scored,
    /// Over the flood limit, answered 429.
    Throttled,
}

/// Where a rule matched, as logged.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LoggedMatch {
    /// The rule id.
    pub rule: String,
    /// The part of the request.
    pub target: String,
    /// The field, cookie or header name.
    pub name: String,
}

/// One logged request.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Event {
    /// The request id shown on the block page.
    pub id: String,
    /// Unix seconds.
    pub ts: i64,
    /// The client's address.
    pub ip: String,
    /// What the agent did.
    pub action: Action,
    /// The main attack class (`flood` for throttled requests), or null.
    pub class: Option<String>,
    /// The anomaly score.
    pub score: u32,
    /// The matched rule ids.
    pub rules: Vec<String>,
    /// Where the rules matched.
    #[serde(default)]
    pub matches: Vec<LoggedMatch>,
    /// The request method.
    #[serde(default)]
    pub method: String,
    /// The Host header.
    #[serde(default)]
    pub host: String,
    /// The URI, secret parameters masked.
    #[serde(default)]
    pub uri: String,
    /// The User-Agent header.
    #[serde(default)]
    pub user_agent: String,
    /// `native`, `pcre` or `none` (throttled before inspection).
    #[serde(default)]
    pub engine: String,
    /// The fields, secret ones masked.
    #[serde(default, deserialize_with = "php_map")]
    pub args: BTreeMap<String, String>,
    /// The offset of the line in the log.
    #[serde(default, skip_deserializing)]
    pub offset: u64,
}

/// A map as PHP's `json_encode()` writes an array: `{…}`, or `[…]` when
/// it is empty or its keys are 0, 1, 2… (agents wrote a request without
/// fields as `"args":[]` before they wrote objects; such lines were lost).
fn php_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum MapOrList {
        Map(BTreeMap<String, String>),
        List(Vec<String>),
    }
    Ok(match MapOrList::deserialize(d)? {
        MapOrList::Map(map) => map,
        MapOrList::List(list) => list
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
    })
}

/// A line that was skipped, and why.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Skipped {
    /// Where the line starts in the log.
    pub offset: u64,
    /// Why it was skipped.
    pub reason: String,
}

/// An error the agent logged when it failed open.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AgentError {
    /// Unix seconds (0 when not logged).
    pub ts: i64,
    /// The message.
    pub message: String,
}

/// A count under a key.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Count<K> {
    /// The key.
    pub key: K,
    /// How many events.
    pub count: u64,
}

/// What [`parse_log`] returns.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ParsedLog {
    /// Where this chunk started in the log.
    pub from: u64,
    /// The offset to read from next: after the last whole line.
    pub offset: u64,
    /// The `log_id` of a start line in the chunk, if one was read.
    pub log_id: Option<String>,
    /// The request events, in log order.
    pub events: Vec<Event>,
    /// Whole lines read.
    pub lines: u64,
    /// Lines skipped as corrupted or hostile.
    pub skipped: u64,
    /// The first skipped lines and why.
    pub skipped_lines: Vec<Skipped>,
    /// Errors the agent logged.
    pub agent_errors: Vec<AgentError>,
    /// Events per class (`flood` for throttled requests, `none` without one).
    pub by_class: BTreeMap<String, u64>,
    /// Events per action.
    pub by_action: BTreeMap<String, u64>,
    /// Events per hour (the Unix second the hour starts), in order.
    pub by_hour: Vec<Count<i64>>,
    /// Events per client address, the busiest first (at most [`MAX_IPS_LISTED`]).
    pub by_ip: Vec<Count<String>>,
    /// The rules that matched most, the most first.
    pub by_rule: Vec<Count<String>>,
}

/// Oldest plausible timestamp (2000-01-01) and newest (2100-01-01).
const TS_RANGE: std::ops::RangeInclusive<i64> = 946_684_800..=4_102_444_800;

fn valid_id(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Checks a request event's values; the reason it is refused.
fn check_event(e: &Event) -> Result<(), String> {
    if !valid_id(&e.id, 64) {
        return Err("bad request id".into());
    }
    if !TS_RANGE.contains(&e.ts) {
        return Err("timestamp out of range".into());
    }
    if e.ip.parse::<IpAddr>().is_err() {
        return Err("not an IP address".into());
    }
    if let Some(class) = &e.class
        && class != "flood"
        && !Class::ALL.iter().any(|(_, n)| n == class)
    {
        return Err(format!("unknown class {class:?}"));
    }
    if e.score > 100_000 || e.rules.len() > 1000 {
        return Err("absurd score or rule count".into());
    }
    if e.rules.iter().any(|r| !valid_id(r, 128)) {
        return Err("bad rule id".into());
    }
    Ok(())
}

/// The kind of a log line, read before the rest.
#[derive(Deserialize)]
struct Kind {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct Start {
    log_id: String,
}

#[derive(Deserialize)]
struct ErrorLine {
    #[serde(default)]
    ts: i64,
    message: String,
}

/// Reads `chunk`, the bytes of a log from byte `from` on (see the module docs).
pub fn parse_log(chunk: &[u8], from: u64) -> ParsedLog {
    let mut out = ParsedLog {
        from,
        offset: from,
        log_id: None,
        events: Vec::new(),
        lines: 0,
        skipped: 0,
        skipped_lines: Vec::new(),
        agent_errors: Vec::new(),
        by_class: BTreeMap::new(),
        by_action: BTreeMap::new(),
        by_hour: Vec::new(),
        by_ip: Vec::new(),
        by_rule: Vec::new(),
    };
    let mut hours: BTreeMap<i64, u64> = BTreeMap::new();
    let mut ips: BTreeMap<String, u64> = BTreeMap::new();
    let mut rules: BTreeMap<String, u64> = BTreeMap::new();
    let mut start = 0usize;
    while let Some(end) = memchr::memchr(b'\n', &chunk[start..]).map(|i| start + i) {
        let line = &chunk[start..end];
        let offset = from + start as u64;
        start = end + 1;
        out.lines += 1;
        let mut skip = |reason: String| {
            out.skipped += 1;
            if out.skipped_lines.len() < MAX_SKIPPED_LISTED {
                out.skipped_lines.push(Skipped { offset, reason });
            }
        };
        if line.trim_ascii().is_empty() {
            skip("empty line".into());
            continue;
        }
        if line.len() > MAX_LINE_BYTES {
            skip(format!("longer than {MAX_LINE_BYTES} bytes"));
            continue;
        }
        let kind = match serde_json::from_slice::<Kind>(line) {
            Ok(k) => k.kind,
            Err(e) => {
                skip(format!("not a log event: {e}"));
                continue;
            }
        };
        match kind.as_str() {
            "start" => match serde_json::from_slice::<Start>(line) {
                Ok(s) if valid_id(&s.log_id, 64) => out.log_id = Some(s.log_id),
                _ => skip("a start line without a valid log_id".into()),
            },
            "error" => match serde_json::from_slice::<ErrorLine>(line) {
                Ok(e) => out.agent_errors.push(AgentError {
                    ts: e.ts,
                    message: e.message.chars().take(512).collect(),
                }),
                Err(e) => skip(format!("a malformed error line: {e}")),
            },
            "request" => {
                let event = match serde_json::from_slice::<Event>(line) {
                    Ok(e) => e,
                    Err(e) => {
                        skip(format!("a malformed request line: {e}"));
                        continue;
                    }
                };
                if let Err(reason) = check_event(&event) {
                    skip(reason);
                    continue;
                }
                *out.by_class
                    .entry(event.class.clone().unwrap_or_else(|| "none".into()))
                    .or_default() += 1;
                let action = serde_json::to_value(event.action)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                *out.by_action.entry(action).or_default() += 1;
                *hours
                    .entry(event.ts - event.ts.rem_euclid(3600))
                    .or_default() += 1;
                *ips.entry(event.ip.clone()).or_default() += 1;
                for rule in &event.rules {
                    *rules.entry(rule.clone()).or_default() += 1;
                }
                out.events.push(Event { offset, ..event });
            }
            other => skip(format!("unknown line type {:?}", truncate(other, 32))),
        }
    }
    out.offset = from + start as u64;
    out.by_hour = hours
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    out.by_ip = top(ips, MAX_IPS_LISTED);
    out.by_rule = top(rules, usize::MAX);
    out
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The entries with the largest counts first (ties by key), at most `max`.
fn top(map: BTreeMap<String, u64>, max: usize) -> Vec<Count<String>> {
    let mut list: Vec<Count<String>> = map
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    list.truncate(max);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str =
        r#"{"type":"start","log_id":"5ea09fd24a12d6b6","ts":1796284136,"agent":"0.1.0"}"#;

    fn request(id: &str, ts: i64, ip: &str, class: &str, rules: &[&str]) -> String {
        serde_json::json!({
            "type": "request", "id": id, "ts": ts, "ip": ip, "action": "blocked",
            "class": class, "score": 5 * rules.len(), "rules": rules,
            "matches": [], "method": "GET", "uri": "/?q=x", "engine": "pcre", "mode": "block",
            "args": {"q": "x"}, "headers": {"host": "a.example"}, "cookies": [], "files": [], "ms": 0.2
        })
        .to_string()
    }

    #[test]
    fn fields_written_as_php_lists_are_read() {
        let line = |args: &str| {
            request("e1", 1_796_284_136, "192.0.2.1", "xss", &["xss-script-tag"])
                .replace(r#""args":{"q":"x"}"#, &format!(r#""args":{args}"#))
        };
        let log = format!("{START}\n{}\n{}\n", line("[]"), line(r#"["a","b"]"#));
        assert!(log.contains(r#""args":[]"#), "{log}");
        let p = parse_log(log.as_bytes(), 0);
        assert_eq!(p.skipped, 0, "{:?}", p.skipped_lines);
        assert_eq!(p.events.len(), 2);
        assert!(p.events[0].args.is_empty());
        assert_eq!(p.events[1].args["0"], "a");
        assert_eq!(p.events[1].args["1"], "b");
    }

    #[test]
    fn reads_events_and_aggregates() {
        let log = format!(
            "{START}\n{}\n{}\n{}\n{}\n",
            request(
                "a1",
                1_796_284_136,
                "203.0.113.9",
                "sqli",
                &["sqli-union-select"]
            ),
            request(
                "a2",
                1_796_284_200,
                "203.0.113.9",
                "xss",
                &["xss-script-tag"]
            ),
            request(
                "a3",
                1_796_291_000,
                "2001:db8::1",
                "sqli",
                &["sqli-union-select", "sqli-quote-boolean"]
            ),
            r#"{"type":"error","ts":1796284300,"message":"RuntimeException: x"}"#,
        );
        let p = parse_log(log.as_bytes(), 1000);
        assert_eq!(p.offset, 1000 + log.len() as u64);
        assert_eq!(p.log_id.as_deref(), Some("5ea09fd24a12d6b6"));
        assert_eq!((p.lines, p.skipped, p.events.len()), (5, 0, 3));
        assert_eq!(p.by_class["sqli"], 2);
        assert_eq!(p.by_action["blocked"], 3);
        assert_eq!(p.by_hour.len(), 2);
        assert_eq!(p.by_hour[0].key, 1_796_284_136 - 1_796_284_136 % 3600);
        assert_eq!(
            p.by_ip[0],
            Count {
                key: "203.0.113.9".into(),
                count: 2
            }
        );
        assert_eq!(
            p.by_rule[0],
            Count {
                key: "sqli-union-select".into(),
                count: 2
            }
        );
        assert_eq!(p.agent_errors[0].message, "RuntimeException: x");
        assert_eq!(p.events[0].offset, 1000 + START.len() as u64 + 1);
        assert_eq!(p.events[0].args["q"], "x");
    }

    #[test]
    fn resumes_after_the_last_whole_line() {
        let one = request(
            "a1",
            1_796_284_136,
            "203.0.113.9",
            "sqli",
            &["sqli-union-select"],
        );
        let two = request(
            "a2",
            1_796_284_137,
            "203.0.113.9",
            "sqli",
            &["sqli-union-select"],
        );
        let log = format!("{one}\n{two}\n");
        let cut = one.len() + 1 + two.len() / 2;
        let first = parse_log(&log.as_bytes()[..cut], 0);
        assert_eq!(first.events.len(), 1);
        assert_eq!(first.offset, one.len() as u64 + 1);
        let second = parse_log(&log.as_bytes()[first.offset as usize..], first.offset);
        assert_eq!(second.events.len(), 1);
        assert_eq!(second.events[0].id, "a2");
        assert_eq!(second.offset, log.len() as u64);
        assert!(parse_log(b"", 7).offset == 7 && parse_log(b"no newline", 7).offset == 7);
    }

    #[test]
    fn skips_hostile_lines_and_goes_on() {
        let good = request(
            "ok",
            1_796_284_136,
            "203.0.113.9",
            "sqli",
            &["sqli-union-select"],
        );
        let long = format!(
            "{{\"type\":\"request\",\"id\":\"{}\"}}",
            "x".repeat(MAX_LINE_BYTES)
        );
        let lines = [
            "not json at all".to_string(),
            "[1,2,3]".into(),
            r#"{"type":"request","id":"x"}"#.into(),
            good.replace("203.0.113.9", "not-an-ip"),
            good.replace("\"sqli\",\"score\"", "\"rootkit\",\"score\""),
            good.replace("1796284136", "99"),
            good.replace("\"ok\"", "\"o k\\n{\\\"type\\\"\""),
            good.replace("sqli-union-select", "../../etc/passwd"),
            r#"{"type":"start","log_id":"../x"}"#.into(),
            r#"{"type":"rootkit"}"#.into(),
            "{\"type\":\"request\",\"id\":\"\u{fffd}\u{0}\"}".into(),
            long,
            String::new(),
            good.clone(),
        ];
        let mut log = lines.join("\n").into_bytes();
        log.extend_from_slice(b"\n\xff\xfe\x00garbage\n");
        let p = parse_log(&log, 0);
        assert_eq!(p.events.len(), 1, "{:?}", p.skipped_lines);
        assert_eq!(p.events[0].id, "ok");
        assert_eq!(p.skipped, lines.len() as u64);
        assert_eq!(p.offset, log.len() as u64);
        assert!(p.skipped_lines.iter().all(|s| !s.reason.is_empty()));
    }
}
