//! Hooking the firewall agent into a site's `index.php`.
//!
//! [`hook`] inserts one snippet, between a begin and an end marker, at the
//! first position where PHP executes code, so the agent (a file next to
//! `index.php`) runs before the site; [`unhook`] removes exactly what
//! [`hook`] inserted, so `unhook(hook(x)) == x` byte for byte; [`status`]
//! tells whether a file is hooked and with which agent.
//!
//! The snippet is one line of code between two block comments:
//!
//! ```text
//! /* BEGIN WebTotem firewall hook (…) */ if (\is_file(__DIR__ . '/NAME') && \is_readable(__DIR__ . '/NAME')) { try { include_once __DIR__ . '/NAME'; } catch (\Throwable $webtotemFirewallError) { unset($webtotemFirewallError); } } /* END WebTotem firewall hook */
//! ```
//!
//! It is inserted inside an existing line, so no line of the site moves
//! (error messages and `__LINE__` stay the same), and the agent is included
//! only when it exists; an error while loading it (a parse error, an
//! exception) is caught, so the site never breaks because of it.
//!
//! Where it goes, on the lexer's tokens (a `#!` line or a UTF-8 BOM always
//! stays first):
//!
//! - a file that starts with `<?php`: right after `<?php`, or after the
//!   leading `declare(…);` statements (`strict_types` must stay the first
//!   statement), or after `namespace X;`, or inside the first `namespace X {`
//!   or `namespace {` block ([`Placement::Code`]);
//! - a file that starts with inline HTML, `<?=`, a short open tag, `?>` or
//!   nothing: its own `<?php … ?>` block first ([`Placement::Block`]). When
//!   the file then starts with a line break, which `?>` would swallow, one
//!   line break of the file's own kind (`\r\n` or `\n`) is added after `?>`
//!   for `?>` to swallow, so the output stays the same byte for byte.
//!
//! Refused with [`Error::InvalidArgument`], never guessed: a marker that was
//! edited, moved or duplicated; a file that ends inside an unterminated
//! comment, string or heredoc; a `declare` or `namespace` statement that is
//! unterminated, closed by `?>` or in block form; a short open tag followed
//! by `declare`/`namespace` (valid only where `short_open_tag` is on, where
//! a block before it would break it); NUL bytes outside
//! `__halt_compiler()` data; and files encoded by ionCube, SourceGuardian or
//! Zend Guard, whose header is protected by checksums.

use crate::agent::{php_string_literal, validate_agent_file_name};
use crate::error::{Error, Result};
use crate::lexer::{LexOptions, Lexer, Token, TokenKind, line_at, tokenize};
use serde::Serialize;

/// The begin marker of a hook placed inside the file's first PHP code.
pub const BEGIN_MARKER: &str =
    "/* BEGIN WebTotem firewall hook (do not edit; WebTotem Security removes it) */";
/// The begin marker of a hook placed in its own `<?php … ?>` block.
pub const BEGIN_BLOCK_MARKER: &str =
    "/* BEGIN WebTotem firewall hook, own PHP block (do not edit; WebTotem Security removes it) */";
/// The end marker of every hook.
pub const END_MARKER: &str = "/* END WebTotem firewall hook */";

/// The words of the markers, matched case-insensitively anywhere in a
/// file: they may appear only in one intact hook.
const MARKER_WORDS: &[u8] = b"webtotem firewall hook";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// What starts the snippet, up to the agent file name.
const SNIPPET_HEAD: &[u8] = b"if (\\is_file(__DIR__ . '/";

/// Where a hook sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Inside the file's first PHP code.
    Code,
    /// In its own `<?php … ?>` block before the file's first bytes.
    Block,
}

/// Whether a file is hooked, for the Plesk UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HookStatus {
    /// True when the file has one intact hook.
    pub hooked: bool,
    /// The agent file the hook includes.
    pub agent_file: Option<String>,
    /// Where the hook sits.
    pub placement: Option<Placement>,
    /// The 1-based line of the begin marker.
    pub line: Option<u32>,
    /// Why the file's hook is damaged (markers edited, moved or
    /// duplicated): hook and unhook refuse such a file.
    pub problem: Option<String>,
}

/// The code between the markers for agent file `agent_file` (a valid name).
pub fn snippet(agent_file: &str) -> String {
    let path = format!(
        "__DIR__ . {}",
        php_string_literal(&format!("/{agent_file}"))
    );
    format!(
        "if (\\is_file({path}) && \\is_readable({path})) {{ try {{ include_once {path}; }} \
         catch (\\Throwable $webtotemFirewallError) {{ unset($webtotemFirewallError); }} }}"
    )
}

/// Returns `index_php` with the agent `agent_file` (a file name in the same
/// directory, as from `webtotem_agent_file_name()`) hooked in. A file
/// hooked with the same agent is returned unchanged; a file hooked with
/// another agent gets its hook replaced.
pub fn hook(index_php: &[u8], agent_file: &str) -> Result<Vec<u8>> {
    validate_agent_file_name(agent_file)?;
    let base = match find_hook(index_php).map_err(damaged)? {
        Some(found) if found.agent_file == agent_file => return Ok(index_php.to_vec()),
        Some(found) => found.remove(index_php),
        None => index_php.to_vec(),
    };
    let hooked = insert(&base, agent_file)?;
    // Read the result back as unhook and status will: the hook must be
    // found, name this agent and come out leaving the file as it was.
    match find_hook(&hooked) {
        Ok(Some(found)) if found.agent_file == agent_file && found.remove(&hooked) == base => {
            Ok(hooked)
        }
        _ => Err(Error::invalid(
            "index.php cannot be hooked safely: the hook would not read back from the result",
        )),
    }
}

/// Returns `index_php` without its hook, byte for byte as it was before
/// [`hook`]; a file without a hook is returned unchanged. A damaged hook is
/// refused.
pub fn unhook(index_php: &[u8]) -> Result<Vec<u8>> {
    Ok(match find_hook(index_php).map_err(damaged)? {
        Some(found) => found.remove(index_php),
        None => index_php.to_vec(),
    })
}

/// Whether `index_php` is hooked, with which agent, where; or why its hook
/// is damaged.
pub fn status(index_php: &[u8]) -> HookStatus {
    match find_hook(index_php) {
        Ok(Some(found)) => HookStatus {
            hooked: true,
            agent_file: Some(found.agent_file),
            placement: Some(found.placement),
            line: Some(found.line),
            problem: None,
        },
        Ok(None) => HookStatus {
            hooked: false,
            agent_file: None,
            placement: None,
            line: None,
            problem: None,
        },
        Err(problem) => HookStatus {
            hooked: false,
            agent_file: None,
            placement: None,
            line: None,
            problem: Some(problem),
        },
    }
}

fn damaged(problem: String) -> Error {
    Error::invalid(format!(
        "index.php has a damaged WebTotem firewall hook: {problem}; \
         it is left alone (restore the hook or remove it by hand)"
    ))
}

/// A hook found in a file: the byte range [`hook`] inserted.
struct Found {
    start: usize,
    end: usize,
    agent_file: String,
    placement: Placement,
    line: u32,
}

impl Found {
    fn remove(&self, src: &[u8]) -> Vec<u8> {
        [&src[..self.start], &src[self.end..]].concat()
    }
}

/// Length of what PHP reads before anything else: a `#!` line (through its
/// `\n`) or a UTF-8 BOM.
fn lead_len(src: &[u8]) -> Option<usize> {
    if src.starts_with(b"#!") {
        memchr::memchr(b'\n', src).map(|nl| nl + 1)
    } else if src.starts_with(UTF8_BOM) {
        Some(UTF8_BOM.len())
    } else {
        Some(0)
    }
}

/// Offsets of `words` (lower-case ASCII) in `src`, ignoring ASCII case.
fn find_all_ignore_case(src: &[u8], words: &[u8]) -> Vec<usize> {
    let lower = src.to_ascii_lowercase();
    memchr::memmem::find_iter(&lower, words).collect()
}

fn line_of(src: &[u8], offset: usize) -> u32 {
    1 + memchr::memchr_iter(b'\n', &src[..offset]).count() as u32
}

/// Finds the one intact hook of `src`; `Err` says why the markers present
/// do not form one.
fn find_hook(src: &[u8]) -> std::result::Result<Option<Found>, String> {
    let words = find_all_ignore_case(src, MARKER_WORDS);
    if words.is_empty() {
        return Ok(None);
    }
    let lead = lead_len(src).unwrap_or(src.len());
    let tokens: Vec<Token<'_>> = tokenize(&src[lead..]).collect();
    let begins: Vec<&Token<'_>> = tokens
        .iter()
        .filter(|t| {
            t.kind == TokenKind::Comment
                && (t.text == BEGIN_MARKER.as_bytes() || t.text == BEGIN_BLOCK_MARKER.as_bytes())
        })
        .collect();
    let begin = match begins.as_slice() {
        [one] => *one,
        [] => {
            return Err(format!(
                "the words \"WebTotem firewall hook\" appear on line {} but not as an intact begin marker in PHP code",
                line_of(src, words[0])
            ));
        }
        more => return Err(format!("it has {} begin markers", more.len())),
    };
    let placement = if begin.text == BEGIN_MARKER.as_bytes() {
        Placement::Code
    } else {
        Placement::Block
    };
    let begin_at = lead + begin.offset;
    let line = line_of(src, begin_at);
    let after_begin = begin_at + begin.text.len();
    let rest = &src[after_begin..];
    let name_at = 1 + SNIPPET_HEAD.len();
    if rest.first() != Some(&b' ') || !rest[1..].starts_with(SNIPPET_HEAD) {
        return Err(format!(
            "the code after the begin marker on line {line} was edited"
        ));
    }
    let name_len = rest[name_at..]
        .iter()
        .position(|&b| b == b'\'')
        .ok_or_else(|| format!("the code after the begin marker on line {line} was edited"))?;
    let agent_file = std::str::from_utf8(&rest[name_at..name_at + name_len])
        .ok()
        .filter(|name| validate_agent_file_name(name).is_ok())
        .ok_or_else(|| format!("the hook on line {line} names an invalid agent file"))?
        .to_string();
    let tail = format!(" {} {END_MARKER}", snippet(&agent_file));
    if !rest.starts_with(tail.as_bytes()) {
        return Err(format!(
            "the code between the markers on line {line} was edited"
        ));
    }
    let end_marker_at = after_begin + tail.len() - END_MARKER.len();
    let expected_words = [
        begin_at + phrase_offset(begin.text),
        end_marker_at + phrase_offset(END_MARKER.as_bytes()),
    ];
    if words != expected_words {
        return Err(format!(
            "the words \"WebTotem firewall hook\" appear outside the hook on line {line}"
        ));
    }
    let end_is_comment = tokens.iter().any(|t| {
        lead + t.offset == end_marker_at
            && t.kind == TokenKind::Comment
            && t.text == END_MARKER.as_bytes()
    });
    if !end_is_comment {
        return Err(format!(
            "the end marker on line {line} is not read as a PHP comment"
        ));
    }
    let mut end = after_begin + tail.len();
    let start = match placement {
        Placement::Code => {
            if begin_at == 0 || src[begin_at - 1] != b' ' {
                return Err(format!(
                    "the space before the begin marker on line {line} was removed"
                ));
            }
            begin_at - 1
        }
        Placement::Block => {
            let open_at = begin_at.checked_sub(b"<?php ".len());
            let opened = open_at.is_some_and(|o| {
                tokens.iter().any(|t| {
                    lead + t.offset == o && t.kind == TokenKind::OpenTag && t.text == b"<?php "
                })
            });
            if !opened || !src[end..].starts_with(b" ?>") {
                return Err(format!(
                    "the <?php … ?> block around the hook on line {line} was edited"
                ));
            }
            end += b" ?>".len();
            // A line break after `?>` was added only when the file then
            // starts with one (which `?>` would otherwise swallow).
            let added = if src[end..].starts_with(b"\r\n") {
                2
            } else if src[end..].starts_with(b"\n") {
                1
            } else {
                0
            };
            let next = src.get(end + added).copied();
            let consistent = if added > 0 {
                matches!(next, Some(b'\n' | b'\r'))
            } else {
                next != Some(b'\r')
            };
            if !consistent {
                return Err(format!(
                    "the line break after the hook block on line {line} was edited"
                ));
            }
            end += added;
            open_at.unwrap_or(0)
        }
    };
    Ok(Some(Found {
        start,
        end,
        agent_file,
        placement,
        line,
    }))
}

fn phrase_offset(marker: &[u8]) -> usize {
    memchr::memmem::find(&marker.to_ascii_lowercase(), MARKER_WORDS)
        .expect("every marker holds the marker words")
}

/// Where the hook goes, relative to the code after the lead.
enum Anchor {
    /// Inside PHP code, right after this offset.
    Code(usize),
    /// Its own PHP block at this offset, in inline HTML.
    Block(usize),
}

/// Inserts the hook into `src`, a file without one.
fn insert(src: &[u8], agent_file: &str) -> Result<Vec<u8>> {
    let lead = lead_len(src).ok_or_else(|| {
        Error::invalid("index.php is only a #! line without a line break; there is no code to hook")
    })?;
    let code = &src[lead..];
    let tokens: Vec<Token<'_>> = tokenize(code).collect();
    if let Some(t) = tokens
        .iter()
        .find(|t| t.kind != TokenKind::HaltedData && t.text.contains(&0))
    {
        return Err(Error::invalid(format!(
            "index.php has a NUL byte on line {}: not a PHP text file",
            line_of(src, lead + t.offset)
        )));
    }
    if let Some(last) = tokens.last()
        && let Some(what) = unterminated(last)
    {
        return Err(Error::invalid(format!(
            "index.php ends inside an unterminated {what} that starts on line {}: PHP cannot compile it",
            line_of(src, lead + last.offset)
        )));
    }
    if let Some(encoder) = encoded_by(code) {
        return Err(Error::invalid(format!(
            "index.php is encoded by {encoder}; changing it would break it (use the .user.ini mode)"
        )));
    }
    let snippet = snippet(agent_file);
    let mut out = Vec::with_capacity(src.len() + BEGIN_BLOCK_MARKER.len() + snippet.len() + 64);
    match find_anchor(code, &tokens, line_of(src, lead) - 1)? {
        Anchor::Code(at) => {
            let at = lead + at;
            out.extend_from_slice(&src[..at]);
            out.extend_from_slice(format!(" {BEGIN_MARKER} {snippet} {END_MARKER}").as_bytes());
            out.extend_from_slice(&src[at..]);
        }
        Anchor::Block(at) => {
            let at = lead + at;
            out.extend_from_slice(&src[..at]);
            out.extend_from_slice(
                format!("<?php {BEGIN_BLOCK_MARKER} {snippet} {END_MARKER} ?>").as_bytes(),
            );
            if matches!(src.get(at), Some(b'\n' | b'\r')) {
                out.extend_from_slice(line_ending(src));
            }
            out.extend_from_slice(&src[at..]);
        }
    }
    Ok(out)
}

/// The file's line ending: that of its first line break (`\n` without one).
fn line_ending(src: &[u8]) -> &'static [u8] {
    match memchr::memchr(b'\n', src) {
        Some(nl) if nl > 0 && src[nl - 1] == b'\r' => b"\r\n",
        _ => b"\n",
    }
}

/// Finds the first executable position of the code after the lead, whose
/// first line is line `lines_before + 1` of the file.
fn find_anchor(code: &[u8], tokens: &[Token<'_>], lines_before: u32) -> Result<Anchor> {
    let Some(first) = tokens.first() else {
        return Ok(Anchor::Block(0));
    };
    let full_open_tag = first.kind == TokenKind::OpenTag
        && first.text.len() >= 5
        && first.text[..5].eq_ignore_ascii_case(b"<?php");
    if !full_open_tag {
        if short_tag_starts_with_declaration(code) {
            return Err(Error::invalid(
                "index.php starts with a short open tag followed by declare or namespace, \
                 valid only where short_open_tag is on: no position is safe in both settings",
            ));
        }
        return Ok(Anchor::Block(0));
    }
    let significant: Vec<&Token<'_>> = tokens[1..].iter().filter(|t| !t.is_trivia()).collect();
    let line = |t: &Token<'_>| line_at(code, t.offset) + lines_before;
    let mut anchor = first.offset + 5;
    let mut i = 0;
    while let Some(t) = significant.get(i) {
        if t.is_name("declare") {
            let end = declare_end(code, &significant, i, lines_before)?;
            anchor = significant[end].offset + 1;
            i = end + 1;
            continue;
        }
        if t.is_name("namespace") {
            let next = significant.get(i + 1);
            let after = match next {
                Some(n) if n.is_punct("{") => Some(n),
                Some(n) if n.kind == TokenKind::Name && !n.text.starts_with(b"\\") => significant
                    .get(i + 2)
                    .filter(|e| e.is_punct(";") || e.is_punct("{")),
                _ => None,
            };
            match after {
                Some(a) => anchor = a.offset + 1,
                None => {
                    return Err(Error::invalid(format!(
                        "the namespace declaration on line {} is not followed by ';' or '{{' \
                         (unterminated or closed by ?>): no safe position for the hook",
                        line(t)
                    )));
                }
            }
        }
        break;
    }
    Ok(Anchor::Code(anchor))
}

/// Given the index of `declare` among the significant tokens, returns the
/// index of the `;` that ends the statement.
fn declare_end(code: &[u8], tokens: &[&Token<'_>], at: usize, lines_before: u32) -> Result<usize> {
    let line = line_at(code, tokens[at].offset) + lines_before;
    let refuse = |why: &str| {
        Err(Error::invalid(format!(
            "the declare statement on line {line} {why}: no safe position for the hook"
        )))
    };
    if !tokens.get(at + 1).is_some_and(|t| t.is_punct("(")) {
        return refuse("has no '('");
    }
    let mut depth = 0usize;
    let mut close = None;
    for (j, t) in tokens.iter().enumerate().skip(at + 1) {
        match t.kind {
            TokenKind::Punct if t.is_punct("(") => depth += 1,
            TokenKind::Punct if t.is_punct(")") => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            TokenKind::CloseTag
            | TokenKind::OpenTag
            | TokenKind::InlineHtml
            | TokenKind::HaltedData => break,
            _ => {}
        }
    }
    let Some(close) = close else {
        return refuse("is unterminated");
    };
    match tokens.get(close + 1) {
        Some(t) if t.is_punct(";") => Ok(close + 1),
        Some(t) if t.kind == TokenKind::CloseTag => refuse("is closed by ?>"),
        Some(t) if t.is_punct("{") || t.is_punct(":") => refuse("has a block"),
        _ => refuse("is not followed by ';'"),
    }
}

/// True when `code` starts with a short open tag (`<?` where
/// `short_open_tag` is on) whose first statement is `declare` or `namespace`.
fn short_tag_starts_with_declaration(code: &[u8]) -> bool {
    let options = LexOptions {
        short_open_tag: true,
        start_in_code: false,
    };
    let mut tokens = Lexer::new(code, options);
    match tokens.next() {
        Some(t) if t.kind == TokenKind::OpenTag && t.text == b"<?" => {}
        _ => return false,
    }
    tokens
        .find(|t| !t.is_trivia())
        .is_some_and(|t| t.is_name("declare") || t.is_name("namespace"))
}

/// What the last token of a file is left unterminated, if it is.
fn unterminated(t: &Token<'_>) -> Option<&'static str> {
    let text = t.text;
    match t.kind {
        TokenKind::Comment | TokenKind::DocComment if text.starts_with(b"/*") => {
            (text.len() < 4 || !text.ends_with(b"*/")).then_some("comment")
        }
        TokenKind::ConstString | TokenKind::InterpolatedString => {
            let quoted = match text.first() {
                Some(b'b' | b'B') => &text[1..],
                _ => text,
            };
            quote_unclosed(quoted).then_some("string")
        }
        TokenKind::Backtick => quote_unclosed(text).then_some("backtick string"),
        TokenKind::Heredoc | TokenKind::Nowdoc => (!doc_closed(text)).then_some("heredoc"),
        _ => None,
    }
}

/// True when a quoted token does not end with its (unescaped) opening quote.
fn quote_unclosed(s: &[u8]) -> bool {
    let Some(&quote) = s.first() else { return true };
    if s.len() < 2 || s[s.len() - 1] != quote {
        return true;
    }
    let escapes = s[1..s.len() - 1]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    escapes % 2 == 1
}

/// True when a heredoc or nowdoc token ends with its closing label.
fn doc_closed(text: &[u8]) -> bool {
    let head = text.strip_prefix(b"<<<").unwrap_or(text);
    let head = &head[head
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()..];
    let head = head
        .strip_prefix(b"'")
        .or_else(|| head.strip_prefix(b"\""))
        .unwrap_or(head);
    let label_len = head
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
        .count();
    let label = &head[..label_len];
    let Some(last_nl) = text.iter().rposition(|&b| b == b'\n') else {
        return false;
    };
    let last = &text[last_nl + 1..];
    let last = &last[last
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()..];
    !label.is_empty() && last == label
}

/// The encoder of a file whose header is protected by checksums.
fn encoded_by(code: &[u8]) -> Option<&'static str> {
    let head = &code[..code.len().min(8192)];
    let lower = head.to_ascii_lowercase();
    if memchr::memmem::find(&lower, b"ioncube loader").is_some() {
        Some("ionCube")
    } else if memchr::memmem::find(&lower, b"sg_load(").is_some() {
        Some("SourceGuardian")
    } else if lower.starts_with(b"<?php @zend;") {
        Some("Zend Guard")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENT: &str = "wt-0123456789abcdef0123456789abcdef.php";

    fn hooked(src: &str) -> String {
        String::from_utf8(hook(src.as_bytes(), AGENT).unwrap()).unwrap()
    }

    fn inserted() -> String {
        format!(" {BEGIN_MARKER} {} {END_MARKER}", snippet(AGENT))
    }

    #[test]
    fn positions() {
        let ins = inserted();
        let block = format!(
            "<?php {BEGIN_BLOCK_MARKER} {} {END_MARKER} ?>",
            snippet(AGENT)
        );
        let cases: Vec<(&str, String)> = vec![
            ("<?php\necho 1;\n", format!("<?php{ins}\necho 1;\n")),
            ("<?php echo 1;", format!("<?php{ins} echo 1;")),
            ("<?php", format!("<?php{ins}")),
            ("<?PHP\r\necho 1;", format!("<?PHP{ins}\r\necho 1;")),
            (
                "<?php\ndeclare(strict_types=1);\n\necho 1;",
                format!("<?php\ndeclare(strict_types=1);{ins}\n\necho 1;"),
            ),
            (
                "<?php /* c */ declare(ticks=1); DECLARE (strict_types = 1) ; // x\nnamespace App\\Http;\nuse X;",
                format!(
                    "<?php /* c */ declare(ticks=1); DECLARE (strict_types = 1) ; // x\nnamespace App\\Http;{ins}\nuse X;"
                ),
            ),
            (
                "<?php\nnamespace A {\n}\nnamespace B {\n}\n",
                format!("<?php\nnamespace A {{{ins}\n}}\nnamespace B {{\n}}\n"),
            ),
            (
                "<?php\nnamespace {\necho 1;\n}\n",
                format!("<?php\nnamespace {{{ins}\necho 1;\n}}\n"),
            ),
            (
                "<?php\nnamespace\\f();\n",
                format!("<?php{ins}\nnamespace\\f();\n"),
            ),
            ("<html>\n", format!("{block}<html>\n")),
            ("", block.clone()),
            ("\n<?php echo 1;", format!("{block}\n\n<?php echo 1;")),
            ("\r\n<?php\r\n", format!("{block}\r\n\r\n<?php\r\n")),
            ("?>x", format!("{block}?>x")),
            ("<?= 1 ?>", format!("{block}<?= 1 ?>")),
            ("<? echo 1; ?>", format!("{block}<? echo 1; ?>")),
            (
                "\u{feff}<?php\necho 1;",
                format!("\u{feff}<?php{ins}\necho 1;"),
            ),
            ("\u{feff}<p>", format!("\u{feff}{block}<p>")),
            (
                "#!/usr/bin/env php\n<?php\necho 1;",
                format!("#!/usr/bin/env php\n<?php{ins}\necho 1;"),
            ),
            (
                "#!/usr/bin/env php\n\nhi",
                format!("#!/usr/bin/env php\n{block}\n\nhi"),
            ),
        ];
        for (src, want) in cases {
            let got = hooked(src);
            assert_eq!(got, want, "{src:?}");
            assert_eq!(unhook(got.as_bytes()).unwrap(), src.as_bytes(), "{src:?}");
            assert_eq!(hook(got.as_bytes(), AGENT).unwrap(), got.as_bytes());
        }
    }

    #[test]
    fn status_and_replacement() {
        let src = "<?php\necho 1;\n";
        assert_eq!(
            status(src.as_bytes()),
            HookStatus {
                hooked: false,
                agent_file: None,
                placement: None,
                line: None,
                problem: None
            }
        );
        let one = hooked(src);
        let s = status(one.as_bytes());
        assert!(s.hooked);
        assert_eq!(s.agent_file.as_deref(), Some(AGENT));
        assert_eq!((s.placement, s.line), (Some(Placement::Code), Some(1)));
        let other = "wt-ffffffffffffffffffffffffffffffff.php";
        let two = hook(one.as_bytes(), other).unwrap();
        assert_eq!(status(&two).agent_file.as_deref(), Some(other));
        assert_eq!(unhook(&two).unwrap(), src.as_bytes());
        let s = status(hooked("<p>\n").as_bytes());
        assert_eq!(s.placement, Some(Placement::Block));
    }

    #[test]
    fn refuses_what_it_cannot_place_safely() {
        for src in [
            "<?php /* open",
            "<?php echo 'open",
            "<?php $x = <<<EOT\nabc\n",
            "<?php declare(strict_types=1",
            "<?php declare(strict_types=1) ?>\n<p>",
            "<?php declare(ticks=1) { echo 1; }",
            "<?php declare(ticks=1): echo 1; enddeclare;",
            "<?php declare strict_types=1;",
            "<?php namespace App",
            "<?php namespace App ?>\n<p>",
            "<? declare(strict_types=1); echo 1;",
            "<?\nnamespace A;",
            "<?php echo 1; \0 ?>",
            "#!/usr/bin/env php",
            "<?php //0046a\nif(!extension_loaded('ionCube Loader')){die('x');}",
            "<?php // mentions the WebTotem firewall hook\n",
        ] {
            let err = hook(src.as_bytes(), AGENT).unwrap_err();
            assert!(matches!(err, Error::InvalidArgument(_)), "{src:?}: {err}");
        }
        // NUL bytes after __halt_compiler() are data.
        hook(b"<?php echo 1; __halt_compiler();\0\x01\xff", AGENT).unwrap();
    }

    #[test]
    fn refusals_name_the_line_of_the_statement() {
        // Lines count from the start of the file, a `#!` line included.
        for (src, line) in [
            ("<?php\n\ndeclare strict_types=1;", 3),
            ("#!/usr/bin/env php\n<?php\n/* a\nb */ declare(x=1) ?>\n", 4),
            ("<?php\nnamespace App", 2),
            ("#!/usr/bin/env php\n<?php\n\n\nnamespace App ?>\n<p>", 5),
        ] {
            let err = hook(src.as_bytes(), AGENT).unwrap_err().to_string();
            assert!(err.contains(&format!(" on line {line} ")), "{src:?}: {err}");
        }
    }

    #[test]
    fn refuses_damaged_hooks() {
        let good = hooked("<?php\necho 1;\n");
        let edits = [
            good.replace("include_once", "require_once"),
            good.replace(END_MARKER, "/* END */"),
            good.replace(BEGIN_MARKER, "/* BEGIN */"),
            good.replacen(" /* BEGIN", "/* BEGIN", 1),
            format!("{good}// {END_MARKER}\n"),
            good.replace(AGENT, "../etc/passwd.php"),
            format!("{good}{good}"),
        ];
        for bad in edits {
            assert!(
                matches!(unhook(bad.as_bytes()), Err(Error::InvalidArgument(_))),
                "{bad}"
            );
            assert!(hook(bad.as_bytes(), AGENT).is_err(), "{bad}");
            assert!(status(bad.as_bytes()).problem.is_some(), "{bad}");
        }
        let block = hooked("\n<p>");
        for bad in [
            block.replacen("?>\n", "?>", 1),
            block.replacen("?>\n\n", "?>\nx", 1),
            block.replacen("<?php ", "<?php  ", 1),
        ] {
            assert!(unhook(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rejects_bad_agent_names() {
        for name in [
            "",
            "../wt-0123456789.php",
            "a/b-0123456789.php",
            "wt-0123456789.php\0",
            "wt-0123456789.phtml",
            "wt-01234'56789.php",
        ] {
            assert!(hook(b"<?php\n", name).is_err(), "{name:?}");
        }
    }
}
