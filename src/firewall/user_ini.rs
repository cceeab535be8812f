//! The `.user.ini` mode: an `auto_prepend_file` line that makes PHP run the
//! firewall agent before every script of the directory tree (every entry
//! point, not only `index.php`). PHP reads `.user.ini` files under CGI and
//! FastCGI (PHP-FPM, as Plesk runs sites), not under Apache's `mod_php`, and
//! caches them for `user_ini.cache_ttl` seconds (300 by default).
//!
//! [`hook`] adds the line between markers, [`unhook`] removes exactly what
//! it added (`unhook(hook(x)) == x` byte for byte), [`status`] reads it.
//!
//! ```ini
//! ; BEGIN WebTotem firewall (do not edit; WebTotem Security removes it)
//! auto_prepend_file = "/var/www/vhosts/example.com/httpdocs/wt-….php"
//! ; END WebTotem firewall
//! ```
//!
//! Without an `auto_prepend_file` of its own, the file gets the block at its
//! start (after a UTF-8 BOM), followed by a line break of the file's kind.
//! A file that already sets `auto_prepend_file` (another security plugin's
//! firewall, say) is not silently overridden: its last such line (the one
//! PHP uses) is replaced in place by the block, which keeps that line, as it
//! was, in a comment:
//!
//! ```ini
//! ; BEGIN WebTotem firewall (do not edit; WebTotem Security removes it)
//! ; previous line, restored on removal: auto_prepend_file = '/…/wordfence-waf.php'
//! auto_prepend_file = "/var/www/vhosts/example.com/httpdocs/wt-….php"
//! ; END WebTotem firewall
//! ```
//!
//! [`hook`] returns that line's value as `previous`, so the agent can
//! include it in turn and the other plugin keeps working; [`unhook`] puts
//! the line back byte for byte.

use crate::agent::validate_agent_file_name;
use crate::error::{Error, Result};
use crate::wire::Bytes;
use serde::Serialize;

/// The first line of the block.
pub const BEGIN_LINE: &str =
    "; BEGIN WebTotem firewall (do not edit; WebTotem Security removes it)";
/// What precedes the replaced `auto_prepend_file` line, kept in the block.
pub const PREVIOUS_PREFIX: &str = "; previous line, restored on removal: ";
/// The last line of the block.
pub const END_LINE: &str = "; END WebTotem firewall";

/// The words of the markers, matched case-insensitively: they may appear
/// only in one intact block.
const MARKER_WORDS: &[u8] = b"webtotem firewall";
const DIRECTIVE: &[u8] = b"auto_prepend_file";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The result of [`hook`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserIniHook {
    /// The new contents of `.user.ini`.
    pub contents: Bytes,
    /// The value of the `auto_prepend_file` the file had before (kept in
    /// the block), for the agent to include in turn; null when there was
    /// none (or it was empty or `none`). `${…}` is not expanded.
    pub previous: Option<Bytes>,
    /// False when the file was already hooked with this agent.
    pub changed: bool,
}

/// Whether a `.user.ini` is hooked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserIniStatus {
    /// True when the file has one intact block.
    pub hooked: bool,
    /// The agent path the block sets.
    pub agent_path: Option<String>,
    /// The value of the `auto_prepend_file` line the block replaced.
    pub previous: Option<Bytes>,
    /// Why the block is damaged: hook and unhook refuse such a file.
    pub problem: Option<String>,
}

/// Checks an agent's absolute path for an `auto_prepend_file` line and
/// returns it normalised (see [`crate::paths::validate_absolute_dir`]): its
/// file name must be a valid agent file name, and it may not contain `"`,
/// `'`, `\`, `$` or a backtick, which an INI value would interpret.
pub fn validate_agent_path(agent_path: &str) -> Result<String> {
    let path = crate::paths::validate_absolute_dir("agentPath", agent_path)?;
    if path
        .bytes()
        .any(|b| matches!(b, b'"' | b'\'' | b'\\' | b'$' | b'`'))
    {
        return Err(Error::invalid(format!(
            "agentPath {agent_path:?} must not contain quotes, backslashes, '$' or backticks"
        )));
    }
    let name = path.rsplit('/').next().unwrap_or_default();
    validate_agent_file_name(name)?;
    Ok(path)
}

/// Returns `user_ini` with the agent at `agent_path` (absolute) set as
/// `auto_prepend_file`, and the value of the `auto_prepend_file` it had.
/// Hooked with the same path: unchanged; with another: the block is
/// replaced.
pub fn hook(user_ini: &[u8], agent_path: &str) -> Result<UserIniHook> {
    let path = validate_agent_path(agent_path)?;
    let base = match find_block(user_ini).map_err(damaged)? {
        Some(block) if block.agent_path == path => {
            return Ok(UserIniHook {
                contents: Bytes(user_ini.to_vec()),
                previous: block.previous(user_ini).map(Bytes),
                changed: false,
            });
        }
        Some(block) => block.remove(user_ini),
        None => user_ini.to_vec(),
    };
    if let Some(at) = memchr::memchr(0, &base) {
        return Err(Error::invalid(format!(
            ".user.ini has a NUL byte on line {}: not an INI text file",
            line_of(&base, at)
        )));
    }
    let lead = if base.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let entries = scan(&base, lead).map_err(|line| {
        Error::invalid(format!(
            ".user.ini has an unterminated quoted value on line {line}: PHP cannot read it"
        ))
    })?;
    let eol = line_ending(&base);
    let current = entries.iter().rfind(|e| e.key == DIRECTIVE);
    let (contents, previous) = match current {
        Some(entry) if entry.multiline => {
            return Err(Error::invalid(format!(
                "the auto_prepend_file value on line {} spans several lines: it is not replaced",
                line_of(&base, entry.line_start)
            )));
        }
        Some(entry) => {
            let line = &base[entry.line_start..entry.line_end];
            let contents = [
                &base[..entry.line_start],
                &render(eol, &path, Some(line)),
                &base[entry.line_end..],
            ]
            .concat();
            (contents, decode_value(entry.value))
        }
        None => {
            let contents = [&base[..lead], &render(eol, &path, None), eol, &base[lead..]].concat();
            (contents, None)
        }
    };
    match find_block(&contents) {
        Ok(Some(block)) if block.agent_path == path && block.remove(&contents) == base => {
            Ok(UserIniHook {
                changed: contents != user_ini,
                contents: Bytes(contents),
                previous: previous.map(Bytes),
            })
        }
        _ => Err(Error::invalid(
            ".user.ini cannot be hooked safely: the block would not read back from the result",
        )),
    }
}

/// Returns `user_ini` without the block, byte for byte as before [`hook`]
/// (the replaced `auto_prepend_file` line back in its place); a file
/// without the block is returned unchanged. A damaged block is refused.
pub fn unhook(user_ini: &[u8]) -> Result<Vec<u8>> {
    Ok(match find_block(user_ini).map_err(damaged)? {
        Some(block) => block.remove(user_ini),
        None => user_ini.to_vec(),
    })
}

/// Whether `user_ini` has the block, the agent path it sets and the
/// previous `auto_prepend_file` it keeps; or why the block is damaged.
pub fn status(user_ini: &[u8]) -> UserIniStatus {
    match find_block(user_ini) {
        Ok(Some(block)) => UserIniStatus {
            hooked: true,
            previous: block.previous(user_ini).map(Bytes),
            agent_path: Some(block.agent_path),
            problem: None,
        },
        Ok(None) => UserIniStatus {
            hooked: false,
            agent_path: None,
            previous: None,
            problem: None,
        },
        Err(problem) => UserIniStatus {
            hooked: false,
            agent_path: None,
            previous: None,
            problem: Some(problem),
        },
    }
}

fn damaged(problem: String) -> Error {
    Error::invalid(format!(
        ".user.ini has a damaged WebTotem firewall block: {problem}; \
         it is left alone (restore the block or remove it by hand)"
    ))
}

fn render(eol: &[u8], path: &str, previous_line: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(BEGIN_LINE.as_bytes());
    out.extend_from_slice(eol);
    if let Some(line) = previous_line {
        out.extend_from_slice(PREVIOUS_PREFIX.as_bytes());
        out.extend_from_slice(line);
        out.extend_from_slice(eol);
    }
    out.extend_from_slice(format!("auto_prepend_file = \"{path}\"").as_bytes());
    out.extend_from_slice(eol);
    out.extend_from_slice(END_LINE.as_bytes());
    out
}

/// A block found in a file.
struct Block {
    start: usize,
    end: usize,
    agent_path: String,
    /// The replaced line's range, when the block replaced one.
    previous_line: Option<(usize, usize)>,
}

impl Block {
    fn remove(&self, src: &[u8]) -> Vec<u8> {
        let restored = self.previous_line.map_or(&[][..], |(s, e)| &src[s..e]);
        [&src[..self.start], restored, &src[self.end..]].concat()
    }

    fn previous(&self, src: &[u8]) -> Option<Vec<u8>> {
        let (s, e) = self.previous_line?;
        let entries = scan(&src[s..e], 0).ok()?;
        decode_value(entries.first()?.value)
    }
}

/// Finds the one intact block of `src`; `Err` says why the marker words
/// present do not form one.
fn find_block(src: &[u8]) -> std::result::Result<Option<Block>, String> {
    let lower = src.to_ascii_lowercase();
    let words: Vec<usize> = memchr::memmem::find_iter(&lower, MARKER_WORDS).collect();
    let Some(&first) = words.first() else {
        return Ok(None);
    };
    let lead = if src.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let line = line_of(src, first);
    let edited = |what: &str| Err(format!("{what} (line {line})"));
    let Some(start) = first.checked_sub(phrase_offset(BEGIN_LINE)) else {
        return edited("the begin line was edited");
    };
    let at_line_start = start == lead || (start > lead && matches!(src[start - 1], b'\n' | b'\r'));
    if !src[start..].starts_with(BEGIN_LINE.as_bytes()) || !at_line_start {
        return edited("the begin line was edited");
    }
    let mut p = start + BEGIN_LINE.len();
    let eol: &[u8] = if src[p..].starts_with(b"\r\n") {
        b"\r\n"
    } else if src[p..].starts_with(b"\n") {
        b"\n"
    } else {
        return edited("the begin line was edited");
    };
    p += eol.len();
    let mut previous_line = None;
    if src[p..].starts_with(PREVIOUS_PREFIX.as_bytes()) {
        let s = p + PREVIOUS_PREFIX.len();
        let e = line_end(src, s);
        let kept = &src[s..e];
        let is_directive = scan(kept, 0)
            .ok()
            .is_some_and(|entries| entries.len() == 1 && entries[0].key == DIRECTIVE);
        if !is_directive || !src[e..].starts_with(eol) {
            return edited("the kept auto_prepend_file line was edited");
        }
        previous_line = Some((s, e));
        p = e + eol.len();
    }
    let head = b"auto_prepend_file = \"";
    if !src[p..].starts_with(head) {
        return edited("the auto_prepend_file line was edited");
    }
    let path_start = p + head.len();
    let path_end = line_end(src, path_start);
    let agent_path = src[path_start..path_end]
        .strip_suffix(b"\"")
        .and_then(|path| std::str::from_utf8(path).ok())
        .filter(|path| validate_agent_path(path).is_ok_and(|valid| valid == *path));
    let Some(agent_path) = agent_path.map(str::to_string) else {
        return edited("the auto_prepend_file line was edited");
    };
    p = path_end;
    if !src[p..].starts_with(eol) || !src[p + eol.len()..].starts_with(END_LINE.as_bytes()) {
        return edited("the end line was edited");
    }
    let end_line_at = p + eol.len();
    let mut end = end_line_at + END_LINE.len();
    if words != [first, end_line_at + phrase_offset(END_LINE)] {
        return edited("the words \"WebTotem firewall\" appear outside the block");
    }
    let rest = &src[end..];
    if previous_line.is_some() {
        if !(rest.is_empty() || rest.starts_with(b"\n") || rest.starts_with(b"\r")) {
            return edited("the end line was edited");
        }
    } else {
        // Added at the start of the file, followed by a line break.
        if start != lead || !rest.starts_with(eol) {
            return edited("the block was moved");
        }
        end += eol.len();
    }
    Ok(Some(Block {
        start,
        end,
        agent_path,
        previous_line,
    }))
}

fn phrase_offset(marker: &str) -> usize {
    memchr::memmem::find(marker.to_ascii_lowercase().as_bytes(), MARKER_WORDS)
        .expect("every marker holds the marker words")
}

fn line_of(src: &[u8], offset: usize) -> usize {
    1 + src[..offset]
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && src.get(i + 1) != Some(&b'\n')))
        .count()
}

/// The file's line ending: that of its first `\n` (`\n` without one).
fn line_ending(src: &[u8]) -> &'static [u8] {
    match memchr::memchr(b'\n', src) {
        Some(nl) if nl > 0 && src[nl - 1] == b'\r' => b"\r\n",
        _ => b"\n",
    }
}

/// Where the line holding `at` ends (before its `\r`, `\n` or `\r\n`, the
/// line breaks of PHP's INI scanner).
fn line_end(src: &[u8], at: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &src[at..]).map_or(src.len(), |p| at + p)
}

fn after_line_break(src: &[u8], at: usize) -> usize {
    if src[at..].starts_with(b"\r\n") {
        at + 2
    } else if at < src.len() {
        at + 1
    } else {
        at
    }
}

/// One `key = value` statement of an INI file.
struct Entry<'a> {
    /// Where the statement's line starts.
    line_start: usize,
    /// Where the line on which the statement ends ends (before the line break).
    line_end: usize,
    key: &'a [u8],
    /// The value's raw text, trimmed, without a trailing comment.
    value: &'a [u8],
    /// The value is a quoted string spanning several lines.
    multiline: bool,
}

fn trim(s: &[u8]) -> &[u8] {
    let s = &s[s.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    &s[..s.len()
        - s.iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count()]
}

/// The `key = value` statements of `src` from `from`, as PHP's INI scanner
/// reads them: `;` and `#` lines are comments, `[…]` lines sections, a
/// value ends at a line break or `;` outside quotes, and quoted strings may
/// span lines. `Err` gives the line of an unterminated quoted string.
fn scan(src: &[u8], from: usize) -> std::result::Result<Vec<Entry<'_>>, usize> {
    let n = src.len();
    let mut entries = Vec::new();
    let mut pos = from;
    while pos < n {
        let line_start = pos;
        let mut i = pos
            + src[pos..]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
        if i >= n {
            break;
        }
        if matches!(src[i], b';' | b'#' | b'[' | b'\r' | b'\n') {
            pos = after_line_break(src, line_end(src, i));
            continue;
        }
        let key_start = i;
        while i < n && !matches!(src[i], b'=' | b'\r' | b'\n' | b';') {
            i += 1;
        }
        if i >= n || src[i] != b'=' {
            // A bare name sets nothing.
            pos = after_line_break(src, line_end(src, i));
            continue;
        }
        let key = trim(&src[key_start..i]);
        i += 1;
        let value_start = i;
        while i < n {
            match src[i] {
                b'"' => {
                    i += 1;
                    loop {
                        match src.get(i) {
                            None => return Err(line_of(src, value_start)),
                            Some(b'\\') => i += 2,
                            Some(b'"') => {
                                i += 1;
                                break;
                            }
                            Some(_) => i += 1,
                        }
                    }
                }
                b'\'' => match memchr::memchr(b'\'', &src[i + 1..]) {
                    Some(p) => i += p + 2,
                    None => return Err(line_of(src, value_start)),
                },
                b';' | b'\r' | b'\n' => break,
                _ => i += 1,
            }
        }
        let i = i.min(n);
        let multiline = memchr::memchr2(b'\n', b'\r', &src[value_start..i]).is_some();
        let end = line_end(src, i);
        entries.push(Entry {
            line_start,
            line_end: end,
            key,
            value: trim(&src[value_start..i]),
            multiline,
        });
        pos = after_line_break(src, end);
    }
    Ok(entries)
}

/// The value PHP gives a directive's raw text: quoted strings unquoted
/// (`\"` and `\\` decoded in double quotes), adjacent pieces joined, and
/// the unquoted words `none`, `off`, `no`, `false` and `null` (which mean
/// "nothing" for `auto_prepend_file`) or an empty value as `None`.
fn decode_value(raw: &[u8]) -> Option<Vec<u8>> {
    let unquoted = !raw.contains(&b'"') && !raw.contains(&b'\'');
    if unquoted {
        let none = ["none", "off", "no", "false", "null"]
            .iter()
            .any(|w| raw.eq_ignore_ascii_case(w.as_bytes()));
        return (!raw.is_empty() && !none).then(|| raw.to_vec());
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'"' => {
                i += 1;
                while i < raw.len() && raw[i] != b'"' {
                    if raw[i] == b'\\' && matches!(raw.get(i + 1), Some(b'"' | b'\\')) {
                        i += 1;
                    }
                    out.push(raw[i]);
                    i += 1;
                }
                i += 1;
            }
            b'\'' => {
                let len = memchr::memchr(b'\'', &raw[i + 1..]).unwrap_or(raw.len() - i - 1);
                out.extend_from_slice(&raw[i + 1..i + 1 + len]);
                i += len + 2;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                let len = raw[i..]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\'')
                    .unwrap_or(raw.len() - i);
                out.extend_from_slice(trim(&raw[i..i + len]));
                i += len;
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str =
        "/var/www/vhosts/example.com/httpdocs/wt-0123456789abcdef0123456789abcdef.php";

    fn block(eol: &str, previous: Option<&str>) -> String {
        let kept = previous.map_or(String::new(), |l| format!("{PREVIOUS_PREFIX}{l}{eol}"));
        format!("{BEGIN_LINE}{eol}{kept}auto_prepend_file = \"{PATH}\"{eol}{END_LINE}")
    }

    #[test]
    fn adds_and_removes_the_block() {
        let cases: Vec<(&str, String, Option<&str>)> = vec![
            ("", format!("{}\n", block("\n", None)), None),
            (
                "memory_limit = 256M\n",
                format!("{}\nmemory_limit = 256M\n", block("\n", None)),
                None,
            ),
            (
                "a=1\r\nb=2",
                format!("{}\r\na=1\r\nb=2", block("\r\n", None)),
                None,
            ),
            (
                "\u{feff}a=1\n",
                format!("\u{feff}{}\na=1\n", block("\n", None)),
                None,
            ),
            (
                "; Wordfence WAF\nauto_prepend_file = '/srv/www/wordfence-waf.php'\nx=1\n",
                format!(
                    "; Wordfence WAF\n{}\nx=1\n",
                    block(
                        "\n",
                        Some("auto_prepend_file = '/srv/www/wordfence-waf.php'")
                    )
                ),
                Some("/srv/www/wordfence-waf.php"),
            ),
            (
                "auto_prepend_file=/a.php\n  auto_prepend_file = \"/b \\\"c\\\".php\" ; last wins",
                format!(
                    "auto_prepend_file=/a.php\n{}",
                    block(
                        "\n",
                        Some("  auto_prepend_file = \"/b \\\"c\\\".php\" ; last wins")
                    )
                ),
                Some("/b \"c\".php"),
            ),
            (
                "auto_prepend_file = none\n",
                format!("{}\n", block("\n", Some("auto_prepend_file = none"))),
                None,
            ),
            (
                "; auto_prepend_file = /commented.php\nmsg = \"two\nauto_prepend_file = /inside.php\"\n",
                format!(
                    "{}\n; auto_prepend_file = /commented.php\nmsg = \"two\nauto_prepend_file = /inside.php\"\n",
                    block("\n", None)
                ),
                None,
            ),
        ];
        for (src, want, previous) in cases {
            let out = hook(src.as_bytes(), PATH).unwrap();
            assert_eq!(
                String::from_utf8(out.contents.0.clone()).unwrap(),
                want,
                "{src:?}"
            );
            assert_eq!(
                out.previous.as_ref().map(|b| b.0.as_slice()),
                previous.map(str::as_bytes)
            );
            assert!(out.changed);
            assert_eq!(unhook(&out.contents.0).unwrap(), src.as_bytes(), "{src:?}");
            let again = hook(&out.contents.0, PATH).unwrap();
            assert_eq!(again.contents, out.contents);
            assert_eq!(again.previous, out.previous);
            assert!(!again.changed);
            let s = status(&out.contents.0);
            assert!(s.hooked && s.agent_path.as_deref() == Some(PATH), "{src:?}");
            assert_eq!(s.previous, out.previous);
            let other = "/srv/other/wt-ffffffffffffffffffffffffffffffff.php";
            let moved = hook(&out.contents.0, other).unwrap();
            assert_eq!(status(&moved.contents.0).agent_path.as_deref(), Some(other));
            assert_eq!(unhook(&moved.contents.0).unwrap(), src.as_bytes());
        }
    }

    #[test]
    fn refuses_bad_paths_and_damage() {
        for bad in [
            "relative/wt-0123456789abcdef.php",
            "/a/../wt-0123456789abcdef.php",
            "/a/wt-0123456789abcdef.phtml",
            "/a/\"b/wt-0123456789abcdef.php",
            "/a/$x/wt-0123456789abcdef.php",
            "/a/b\n/wt-0123456789abcdef.php",
            "/",
        ] {
            assert!(hook(b"", bad).is_err(), "{bad:?}");
        }
        let good = String::from_utf8(hook(b"a=1\n", PATH).unwrap().contents.0).unwrap();
        for bad in [
            good.replace("auto_prepend_file = \"", "auto_prepend_file=\""),
            good.replace(END_LINE, "; END"),
            format!("{good}; WebTotem firewall\n"),
            format!("x=1\n{good}"),
            good.replace(PATH, "/etc/passwd"),
        ] {
            assert!(unhook(bad.as_bytes()).is_err(), "{bad}");
            assert!(hook(bad.as_bytes(), PATH).is_err(), "{bad}");
            assert!(status(bad.as_bytes()).problem.is_some(), "{bad}");
        }
        assert!(hook(b"a = \"open\n", PATH).is_err());
        assert!(hook(b"a = 1\0", PATH).is_err());
        assert!(hook(b"auto_prepend_file = \"/a\n/b.php\"\n", PATH).is_err());
    }
}
