//! The transformations a firewall rule applies to a value before its
//! pattern runs: each undoes one way attackers hide a payload.
//!
//! Every transformation is defined here precisely enough to be written the
//! same way in PHP: the generated firewall agent carries a twin of each
//! (`src/agent/firewall_agent.php`), and the tests compare the two on the
//! same inputs. All work on bytes (no Unicode semantics); a value that a
//! transformation does not change is returned borrowed.

use std::borrow::Cow;

/// One transformation, named in rule files by its snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Transform {
    /// Percent-decoding, repeated (at most [`URL_DECODE_ROUNDS`] rounds)
    /// while the value changes: `%XX`, `%uXXXX` (IIS style; full-width
    /// forms U+FF01–U+FF5E become their ASCII twins, other code points
    /// UTF-8) and `+` as a space. Malformed escapes stay as they are.
    UrlDecode,
    /// One round of HTML character references: `&#NNN;`, `&#xHH;` (the
    /// `;` optional) and a fixed table of named entities (see
    /// [`NAMED_ENTITIES`]; `;` required except for `lt`, `gt`, `amp`,
    /// `quot`). Code points become UTF-8; invalid ones stay as written.
    HtmlEntityDecode,
    /// One round of JavaScript escapes: `\xHH`, `\uHHHH` (full-width forms
    /// as ASCII), `\a \b \f \n \r \t \v`, and `\c` as `c` for any other byte.
    JsDecode,
    /// ASCII lower case.
    Lowercase,
    /// SQL/C comments: `/*!` (with any digits after it) and `*/` become a
    /// space, keeping the code of MySQL's executable comments; any other
    /// `/* … */` (or `/*` to the end) becomes one space.
    RemoveComments,
    /// Runs of ASCII white space (`\t \n \v \f \r` and space) become one space.
    CompressWhitespace,
    /// ASCII white space removed.
    RemoveWhitespace,
    /// NUL bytes removed.
    RemoveNulls,
    /// `\` becomes `/`, runs of `/` one `/`, and `/./` (and a final `/.`) `/`;
    /// `..` segments are kept, since they are what path rules look for.
    NormalizePath,
    /// Shell evasions: `\ " ' ^` removed, runs of white space, `,` and `;`
    /// one space, a space before `/` or `(` removed, ASCII lower case.
    CmdLine,
}

/// Every transformation with its name in rule files.
pub const ALL: &[(Transform, &str)] = &[
    (Transform::UrlDecode, "url_decode"),
    (Transform::HtmlEntityDecode, "html_entity_decode"),
    (Transform::JsDecode, "js_decode"),
    (Transform::Lowercase, "lowercase"),
    (Transform::RemoveComments, "remove_comments"),
    (Transform::CompressWhitespace, "compress_whitespace"),
    (Transform::RemoveWhitespace, "remove_whitespace"),
    (Transform::RemoveNulls, "remove_nulls"),
    (Transform::NormalizePath, "normalize_path"),
    (Transform::CmdLine, "cmd_line"),
];

/// At most this many rounds of percent-decoding.
pub const URL_DECODE_ROUNDS: usize = 3;

/// The named character references [`Transform::HtmlEntityDecode`] knows,
/// with what they stand for (`nbsp` as a plain space).
pub const NAMED_ENTITIES: &[(&str, &str)] = &[
    ("lt", "<"),
    ("gt", ">"),
    ("amp", "&"),
    ("quot", "\""),
    ("LT", "<"),
    ("GT", ">"),
    ("AMP", "&"),
    ("QUOT", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("colon", ":"),
    ("sol", "/"),
    ("bsol", "\\"),
    ("lpar", "("),
    ("rpar", ")"),
    ("lsqb", "["),
    ("rsqb", "]"),
    ("lcub", "{"),
    ("rcub", "}"),
    ("Tab", "\t"),
    ("NewLine", "\n"),
    ("comma", ","),
    ("period", "."),
    ("excl", "!"),
    ("num", "#"),
    ("semi", ";"),
    ("equals", "="),
    ("quest", "?"),
    ("grave", "`"),
    ("plus", "+"),
    ("ast", "*"),
    ("lowbar", "_"),
    ("dollar", "$"),
    ("percnt", "%"),
    ("Hat", "^"),
    ("verbar", "|"),
];

impl Transform {
    /// The transformation called `name` in rule files.
    pub fn from_name(name: &str) -> Option<Transform> {
        ALL.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
    }

    /// Its name in rule files.
    pub fn name(self) -> &'static str {
        ALL.iter()
            .find(|(t, _)| *t == self)
            .map(|(_, n)| *n)
            .expect("every transformation is in ALL")
    }

    /// Applies the transformation to `value`.
    pub fn apply(self, value: &[u8]) -> Cow<'_, [u8]> {
        match self {
            Transform::UrlDecode => url_decode(value),
            Transform::HtmlEntityDecode => html_entity_decode(value),
            Transform::JsDecode => js_decode(value),
            Transform::Lowercase => lowercase(value),
            Transform::RemoveComments => remove_comments(value),
            Transform::CompressWhitespace => compress_whitespace(value),
            Transform::RemoveWhitespace => remove_bytes(value, is_space),
            Transform::RemoveNulls => remove_bytes(value, |b| b == 0),
            Transform::NormalizePath => normalize_path(value),
            Transform::CmdLine => cmd_line(value),
        }
    }
}

/// What kinds of bytes a value holds, as far as transformations care: with
/// it, [`Transform::leaves`] tells in one pass over the value which
/// transformations cannot change it, so the engine skips them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Profile(u16);

const P_PERCENT_PLUS: u16 = 1;
const P_AMP: u16 = 1 << 1;
const P_BACKSLASH: u16 = 1 << 2;
const P_UPPER: u16 = 1 << 3;
const P_STAR: u16 = 1 << 4;
const P_SLASH: u16 = 1 << 5;
const P_NUL: u16 = 1 << 6;
const P_SPACE: u16 = 1 << 7;
/// White space other than single spaces.
const P_SPACE_RUN: u16 = 1 << 8;
const P_SHELL: u16 = 1 << 9;

/// The profile bits of each byte.
const BYTE_PROFILE: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = match c {
            b'%' | b'+' => P_PERCENT_PLUS,
            b'&' => P_AMP,
            b'\\' => P_BACKSLASH,
            b'A'..=b'Z' => P_UPPER,
            b'*' => P_STAR,
            b'/' => P_SLASH,
            0 => P_NUL,
            b' ' => P_SPACE,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => P_SPACE | P_SPACE_RUN,
            b'"' | b'\'' | b'^' | b',' | b';' => P_SHELL,
            _ => 0,
        };
        b += 1;
    }
    table
};

impl Profile {
    /// The profile of `value`.
    pub fn of(value: &[u8]) -> Profile {
        let mut bits = 0;
        let mut previous = 0;
        for &b in value {
            let p = BYTE_PROFILE[b as usize];
            if p & previous & P_SPACE != 0 {
                bits |= P_SPACE_RUN;
            }
            bits |= p;
            previous = p;
        }
        Profile(bits)
    }
}

impl Profile {
    /// Whether it has an ASCII upper-case letter.
    pub fn has_upper(self) -> bool {
        self.0 & P_UPPER != 0
    }

    /// Whether none of the transformations of `mask` (from [`change_mask`])
    /// can change a value of this profile: the pipeline's result is then
    /// the value itself, lower-cased if the pipeline lower-cases.
    pub fn leaves_all(self, mask: ChangeMask) -> bool {
        self.0 & mask.0 == 0
    }
}

/// The profile bits that let a pipeline's transformations, ASCII
/// lower-casing aside, change a value (see [`Profile::leaves_all`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangeMask(u16);

impl ChangeMask {
    /// The union of two masks.
    pub fn with(self, other: ChangeMask) -> ChangeMask {
        ChangeMask(self.0 | other.0)
    }
}

/// The [`ChangeMask`] of `transforms`. Upper case is left out: of the
/// transformations, only [`Transform::Lowercase`] and [`Transform::CmdLine`]
/// act on it, and for a value that no other bit lets `CmdLine` touch, it
/// only lower-cases.
pub fn change_mask(transforms: &[Transform]) -> ChangeMask {
    ChangeMask(transforms.iter().fold(0, |acc, t| acc | t.needs()) & !P_UPPER)
}

impl Transform {
    /// Whether the transformation surely leaves a value of this profile as
    /// it is (`false`: it may change it).
    pub fn leaves(self, profile: Profile) -> bool {
        profile.0 & self.needs() == 0
    }

    /// The profile bits that let the transformation change a value.
    fn needs(self) -> u16 {
        match self {
            Transform::UrlDecode => P_PERCENT_PLUS,
            Transform::HtmlEntityDecode => P_AMP,
            Transform::JsDecode => P_BACKSLASH,
            Transform::Lowercase => P_UPPER,
            Transform::RemoveComments => P_STAR,
            Transform::CompressWhitespace => P_SPACE_RUN,
            Transform::RemoveWhitespace => P_SPACE,
            Transform::RemoveNulls => P_NUL,
            Transform::NormalizePath => P_SLASH | P_BACKSLASH,
            Transform::CmdLine => P_BACKSLASH | P_SHELL | P_UPPER | P_SPACE,
        }
    }
}

/// Applies `transforms` in order.
pub fn apply_all<'a>(transforms: &[Transform], value: &'a [u8]) -> Cow<'a, [u8]> {
    let mut out = Cow::Borrowed(value);
    for t in transforms {
        if let Cow::Owned(changed) = t.apply(&out) {
            out = Cow::Owned(changed);
        }
    }
    out
}

/// ASCII white space as PCRE's `\s` (without Unicode) and the regex
/// crate's ASCII `\s` see it.
pub fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

fn hex_value(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// The value of `digits` hexadecimal digits at `at`, if they are all there.
fn hex_at(bytes: &[u8], at: usize, digits: usize) -> Option<u32> {
    let slice = bytes.get(at..at + digits)?;
    slice
        .iter()
        .try_fold(0u32, |acc, &b| Some(acc * 16 + hex_value(b)?))
}

/// Appends code point `cp` (already checked to be a scalar value) as UTF-8,
/// or as its ASCII twin when it is a full-width form.
fn push_code_point(out: &mut Vec<u8>, cp: u32) {
    let cp = if (0xFF01..=0xFF5E).contains(&cp) {
        cp - 0xFEE0
    } else {
        cp
    };
    let c = char::from_u32(cp).expect("a checked scalar value");
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

fn is_scalar(cp: u32) -> bool {
    cp <= 0x10FFFF && !(0xD800..=0xDFFF).contains(&cp)
}

fn url_decode(value: &[u8]) -> Cow<'_, [u8]> {
    let mut current = Cow::Borrowed(value);
    for _ in 0..URL_DECODE_ROUNDS {
        match url_decode_once(&current) {
            Some(next) => current = Cow::Owned(next),
            None => break,
        }
    }
    current
}

/// One round of percent-decoding, or `None` when nothing would change
/// (every escape that decodes changes the value: it gets shorter, or a `+`
/// becomes a space). Bytes between escapes are copied in runs.
fn url_decode_once(value: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    // `value[..copied]` is decoded into `out`; the search goes on at `at`.
    let (mut copied, mut at) = (0, 0);
    while let Some(found) = memchr::memchr2(b'%', b'+', &value[at..]) {
        let i = at + found;
        let (code_point, used) = if value[i] == b'+' {
            (u32::from(b' '), 1)
        } else if let Some(v) = hex_at(value, i + 1, 2) {
            (v, 3)
        } else if matches!(value.get(i + 1), Some(b'u' | b'U'))
            && let Some(cp) = hex_at(value, i + 2, 4).filter(|&cp| is_scalar(cp))
        {
            (cp, 6)
        } else {
            at = i + 1;
            continue;
        };
        let out = out.get_or_insert_with(|| Vec::with_capacity(value.len()));
        out.extend_from_slice(&value[copied..i]);
        if used == 6 {
            push_code_point(out, code_point);
        } else {
            out.push(code_point as u8);
        }
        copied = i + used;
        at = copied;
    }
    let mut out = out?;
    out.extend_from_slice(&value[copied..]);
    Some(out)
}

fn html_entity_decode(value: &[u8]) -> Cow<'_, [u8]> {
    // Copy nothing until the first reference that decodes.
    let mut probe = Vec::new();
    let first = memchr::memchr_iter(b'&', value).find(|&at| {
        probe.clear();
        html_reference(&value[at..], &mut probe).is_some()
    });
    let Some(first) = first else {
        return Cow::Borrowed(value);
    };
    let mut out = Vec::with_capacity(value.len());
    out.extend_from_slice(&value[..first]);
    let mut i = first;
    while i < value.len() {
        if value[i] == b'&'
            && let Some(used) = html_reference(&value[i..], &mut out)
        {
            i += used;
            continue;
        }
        out.push(value[i]);
        i += 1;
    }
    if out == value {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(out)
    }
}

/// Decodes the character reference at the start of `s` (which starts with
/// `&`) into `out`; returns how many bytes it took.
fn html_reference(s: &[u8], out: &mut Vec<u8>) -> Option<usize> {
    if s.get(1) == Some(&b'#') {
        let (radix, start, max_digits) = match s.get(2) {
            Some(b'x' | b'X') => (16, 3, 6),
            _ => (10, 2, 7),
        };
        let digits = s[start..]
            .iter()
            .take(max_digits)
            .take_while(|b| (**b as char).is_digit(radix))
            .count();
        if digits == 0 {
            return None;
        }
        let text = std::str::from_utf8(&s[start..start + digits]).ok()?;
        let cp = u32::from_str_radix(text, radix).ok()?;
        if !is_scalar(cp) {
            return None;
        }
        let mut used = start + digits;
        if s.get(used) == Some(&b';') {
            used += 1;
        }
        if cp < 0x80 {
            out.push(cp as u8);
        } else {
            let c = char::from_u32(cp)?;
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        return Some(used);
    }
    let name_len = s[1..]
        .iter()
        .take(16)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = std::str::from_utf8(&s[1..1 + name_len]).ok()?;
    let (_, text) = NAMED_ENTITIES.iter().find(|(n, _)| *n == name)?;
    let with_semicolon = s.get(1 + name_len) == Some(&b';');
    let legacy = matches!(
        name,
        "lt" | "gt" | "amp" | "quot" | "LT" | "GT" | "AMP" | "QUOT"
    );
    if !with_semicolon && !legacy {
        return None;
    }
    out.extend_from_slice(text.as_bytes());
    Some(1 + name_len + usize::from(with_semicolon))
}

fn js_decode(value: &[u8]) -> Cow<'_, [u8]> {
    if !value.contains(&b'\\') {
        return Cow::Borrowed(value);
    }
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let b = value[i];
        if b != b'\\' || i + 1 >= value.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let e = value[i + 1];
        match e {
            b'x' | b'X' if hex_at(value, i + 2, 2).is_some() => {
                out.push(hex_at(value, i + 2, 2).unwrap_or(0) as u8);
                i += 4;
            }
            b'u' | b'U' if hex_at(value, i + 2, 4).is_some_and(is_scalar) => {
                push_code_point(&mut out, hex_at(value, i + 2, 4).unwrap_or(0));
                i += 6;
            }
            _ => {
                out.push(match e {
                    b'a' => 0x07,
                    b'b' => 0x08,
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'v' => 0x0b,
                    other => other,
                });
                i += 2;
            }
        }
    }
    if out == value {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(out)
    }
}

fn lowercase(value: &[u8]) -> Cow<'_, [u8]> {
    if value.iter().any(u8::is_ascii_uppercase) {
        Cow::Owned(value.to_ascii_lowercase())
    } else {
        Cow::Borrowed(value)
    }
}

fn remove_comments(value: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memmem::find(value, b"/*").is_none() && memchr::memmem::find(value, b"*/").is_none()
    {
        return Cow::Borrowed(value);
    }
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let rest = &value[i..];
        if rest.starts_with(b"/*!") {
            i += 3;
            while i < value.len() && value[i].is_ascii_digit() {
                i += 1;
            }
            out.push(b' ');
        } else if rest.starts_with(b"/*") {
            i = match memchr::memmem::find(&value[i + 2..], b"*/") {
                Some(end) => i + 2 + end + 2,
                None => value.len(),
            };
            out.push(b' ');
        } else if rest.starts_with(b"*/") {
            i += 2;
            out.push(b' ');
        } else {
            out.push(value[i]);
            i += 1;
        }
    }
    Cow::Owned(out)
}

fn compress_whitespace(value: &[u8]) -> Cow<'_, [u8]> {
    let needed = value.windows(2).any(|w| is_space(w[0]) && is_space(w[1]))
        || value.iter().any(|&b| is_space(b) && b != b' ');
    if !needed {
        return Cow::Borrowed(value);
    }
    let mut out = Vec::with_capacity(value.len());
    let mut in_space = false;
    for &b in value {
        if is_space(b) {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            out.push(b);
            in_space = false;
        }
    }
    Cow::Owned(out)
}

fn remove_bytes(value: &[u8], drop: impl Fn(u8) -> bool) -> Cow<'_, [u8]> {
    if value.iter().any(|&b| drop(b)) {
        Cow::Owned(value.iter().copied().filter(|&b| !drop(b)).collect())
    } else {
        Cow::Borrowed(value)
    }
}

fn normalize_path(value: &[u8]) -> Cow<'_, [u8]> {
    let changes = value.contains(&b'\\')
        || memchr::memmem::find(value, b"//").is_some()
        || memchr::memmem::find(value, b"/./").is_some()
        || value.ends_with(b"/.");
    if !changes {
        return Cow::Borrowed(value);
    }
    // Backslashes as slashes, and runs of slashes as one.
    let mut out: Vec<u8> = Vec::with_capacity(value.len());
    for &b in value {
        let b = if b == b'\\' { b'/' } else { b };
        if b == b'/' && out.last() == Some(&b'/') {
            continue;
        }
        out.push(b);
    }
    // `/./` as `/`, until none is left (each removal may expose another).
    while let Some(at) = memchr::memmem::find(&out, b"/./") {
        out.drain(at..at + 2);
    }
    if out.ends_with(b"/.") {
        out.pop();
    }
    if out == value {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(out)
    }
}

fn cmd_line(value: &[u8]) -> Cow<'_, [u8]> {
    // Unchanged unless a step below has something to do.
    let changes = value.iter().enumerate().any(|(i, &b)| {
        matches!(b, b'\\' | b'"' | b'\'' | b'^' | b',' | b';')
            || b.is_ascii_uppercase()
            || (is_space(b)
                && (b != b' ' || matches!(value.get(i + 1), Some(&n) if is_space(n) || n == b'/' || n == b'(')))
    });
    if !changes {
        return Cow::Borrowed(value);
    }
    // In one pass: 1. quotes, backslashes and carets dropped; 2. runs of
    // white space, `,` and `;` as one space; 3. that space dropped before
    // `/` or `(`; 4. lower case.
    let mut out = Vec::with_capacity(value.len());
    let mut pending_space = false;
    for &b in value {
        if matches!(b, b'\\' | b'"' | b'\'' | b'^') {
            continue;
        }
        if is_space(b) || b == b',' || b == b';' {
            pending_space = true;
            continue;
        }
        if pending_space && b != b'/' && b != b'(' {
            out.push(b' ');
        }
        pending_space = false;
        out.push(b.to_ascii_lowercase());
    }
    if pending_space {
        out.push(b' ');
    }
    if out == value {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(transform: Transform, input: &str) -> String {
        String::from_utf8_lossy(&transform.apply(input.as_bytes())).into_owned()
    }

    #[test]
    fn names_round_trip() {
        for (transform, name) in ALL {
            assert_eq!(Transform::from_name(name), Some(*transform));
            assert_eq!(transform.name(), *name);
        }
        assert_eq!(Transform::from_name("rot13"), None);
    }

    #[test]
    fn url_decoding_repeats_and_keeps_malformed_escapes() {
        assert_eq!(t(Transform::UrlDecode, "a%20b+c"), "a b c");
        assert_eq!(t(Transform::UrlDecode, "%2527"), "'");
        assert_eq!(
            t(Transform::UrlDecode, "%25252527"),
            "%27",
            "three rounds at most"
        );
        assert_eq!(t(Transform::UrlDecode, "100%"), "100%");
        assert_eq!(t(Transform::UrlDecode, "%zz%4"), "%zz%4");
        assert_eq!(t(Transform::UrlDecode, "%u0027%uFF1C"), "'<");
        assert_eq!(t(Transform::UrlDecode, "%u00e9"), "é");
        assert_eq!(
            t(Transform::UrlDecode, "%uD800"),
            "%uD800",
            "a surrogate stays"
        );
        assert!(matches!(
            Transform::UrlDecode.apply(b"plain"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn html_references() {
        let d = |s| t(Transform::HtmlEntityDecode, s);
        assert_eq!(d("&lt;script&gt;"), "<script>");
        assert_eq!(d("&#60;&#x3C;&#X3c;&#0000060"), "<<<<");
        assert_eq!(
            d("javascript&colon;alert&lpar;1&rpar;"),
            "javascript:alert(1)"
        );
        assert_eq!(
            d("&colon &lt x"),
            "&colon < x",
            "only the legacy four without ;"
        );
        assert_eq!(
            d("&#xD800;&#1114112;&#;&unknown;"),
            "&#xD800;&#1114112;&#;&unknown;"
        );
        assert_eq!(d("&#233;"), "é");
        assert_eq!(d("&amp;lt;"), "&lt;", "one round");
    }

    #[test]
    fn js_escapes() {
        let d = |s| t(Transform::JsDecode, s);
        assert_eq!(d(r"\x3cscript\x3e"), "<script>");
        assert_eq!(d(r"\u0061lert\u0028\uFF11)"), "alert(1)");
        assert_eq!(d(r"a\'b\\c\n"), "a'b\\c\n");
        assert_eq!(d(r"\xZZ\u12"), "xZZu12");
        assert_eq!(d("end\\"), "end\\");
    }

    #[test]
    fn comments_whitespace_nulls() {
        assert_eq!(
            t(
                Transform::RemoveComments,
                "1/**/UNION/*!50000SELECT*/x/*open"
            ),
            "1 UNION SELECT x "
        );
        assert_eq!(t(Transform::CompressWhitespace, "a \t\n b  c"), "a b c");
        assert_eq!(t(Transform::CompressWhitespace, "a\tb"), "a b");
        assert_eq!(t(Transform::RemoveWhitespace, " a \x0b b\r\n"), "ab");
        assert_eq!(t(Transform::RemoveNulls, "a\0b\0"), "ab");
        assert_eq!(t(Transform::Lowercase, "SeLeCt É"), "select É");
    }

    #[test]
    fn paths() {
        let n = |s| t(Transform::NormalizePath, s);
        assert_eq!(n(r"..\..\windows\win.ini"), "../../windows/win.ini");
        assert_eq!(n("a//b/./c/././d/."), "a/b/c/d/");
        assert_eq!(n("/etc/.//./passwd"), "/etc/passwd");
        assert_eq!(n("../../etc/passwd"), "../../etc/passwd");
    }

    #[test]
    fn shell_evasions() {
        let c = |s| t(Transform::CmdLine, s);
        assert_eq!(c(r#"c\a"t /e't'c/pa^ss\wd"#), "cat/etc/passwd");
        assert_eq!(c("ls;  id,WHOAMI"), "ls id whoami");
        assert_eq!(c("system (id)"), "system(id)");
        assert_eq!(c(" ;'x' , /y  "), " x/y ");
        assert_eq!(c(", (a)"), "(a)");
        assert_eq!(c("A\t\tB"), "a b");
    }

    #[test]
    fn profiles_only_skip_what_changes_nothing() {
        let samples = [
            "plain-value_1.2",
            "Mixed Case",
            "a  b",
            "a\tb",
            "a%41",
            "a+b",
            "&lt;",
            "\\x41",
            "/*x*/",
            "a/./b",
            "a\0b",
            "c'a't; id",
            "x (y)",
            "x /y",
            "100%",
            "*",
        ];
        for sample in samples {
            let profile = Profile::of(sample.as_bytes());
            for (transform, name) in ALL {
                if transform.leaves(profile) {
                    assert!(
                        matches!(transform.apply(sample.as_bytes()), Cow::Borrowed(_)),
                        "{name} changes {sample:?}"
                    );
                }
            }
        }
        let plain = Profile::of(b"plain-value_1.2");
        assert!(ALL.iter().all(|(t, _)| t.leaves(plain)));
        let pipeline = [Transform::UrlDecode, Transform::Lowercase];
        let mixed = Profile::of(b"Plain-Value");
        assert!(mixed.leaves_all(change_mask(&pipeline)) && mixed.has_upper());
        assert!(!Profile::of(b"a%41").leaves_all(change_mask(&pipeline)));
        // Upper case alone lets cmd_line do no more than lower-case.
        assert!(mixed.leaves_all(change_mask(&[Transform::CmdLine])));
        assert_eq!(
            Transform::CmdLine.apply(b"Plain-Value").as_ref(),
            b"plain-value"
        );
        assert!(!Profile::of(b"Plain Value").leaves_all(change_mask(&[Transform::CmdLine])));
        for sample in samples.iter().chain(&["Plain-Value", "MiXeD.Case_1"]) {
            let profile = Profile::of(sample.as_bytes());
            for (transform, name) in ALL {
                if profile.leaves_all(change_mask(&[*transform])) {
                    let out = transform.apply(sample.as_bytes());
                    assert!(
                        out.as_ref() == sample.as_bytes()
                            || out.as_ref() == sample.to_ascii_lowercase().as_bytes(),
                        "{name} does more than lower-case {sample:?}"
                    );
                }
            }
        }
        assert!(!Transform::Lowercase.leaves(Profile::of(b"Mixed")));
        assert!(!Transform::CompressWhitespace.leaves(Profile::of(b"a  b")));
        assert!(Transform::CompressWhitespace.leaves(Profile::of(b"a b c")));
    }

    /// `cmd_line` step by step, as documented, for comparison.
    fn cmd_line_steps(value: &[u8]) -> Vec<u8> {
        let stripped: Vec<u8> = value
            .iter()
            .copied()
            .filter(|b| !matches!(b, b'\\' | b'"' | b'\'' | b'^'))
            .collect();
        let mut spaced = Vec::new();
        for b in stripped {
            if is_space(b) || b == b',' || b == b';' {
                if spaced.last() != Some(&b' ') {
                    spaced.push(b' ');
                }
            } else {
                spaced.push(b);
            }
        }
        let mut out = Vec::new();
        for (i, &b) in spaced.iter().enumerate() {
            if b == b' ' && matches!(spaced.get(i + 1), Some(b'/' | b'(')) {
                continue;
            }
            out.push(b.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn shell_view_in_one_pass_equals_its_steps() {
        let alphabet = b" \t,;'\"\\^/(aB";
        let mut value = Vec::new();
        // Every string of up to 5 bytes over the alphabet.
        fn walk(alphabet: &[u8], value: &mut Vec<u8>, depth: usize) {
            assert_eq!(
                &*Transform::CmdLine.apply(value),
                cmd_line_steps(value).as_slice(),
                "{:?}",
                String::from_utf8_lossy(value)
            );
            if depth == 0 {
                return;
            }
            for &b in alphabet {
                value.push(b);
                walk(alphabet, value, depth - 1);
                value.pop();
            }
        }
        walk(alphabet, &mut value, 5);
    }

    #[test]
    fn pipelines_apply_in_order() {
        let value = b"%253Cscript%253E";
        let out = apply_all(
            &[
                Transform::UrlDecode,
                Transform::HtmlEntityDecode,
                Transform::Lowercase,
            ],
            value,
        );
        assert_eq!(&*out, b"<script>");
        assert!(matches!(
            apply_all(&[Transform::Lowercase], b"abc"),
            Cow::Borrowed(_)
        ));
    }
}
