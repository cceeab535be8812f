//! A PHP lexer that never executes anything.
//!
//! It splits PHP source (arbitrary bytes, not necessarily UTF-8) into tokens
//! the way the PHP 8 engine does for the parts that matter to static analysis:
//! inline HTML versus code, comments (including `?>` ending a line comment),
//! single- and double-quoted strings with `{$…}` interpolation, heredoc and
//! nowdoc (with PHP 7.3 flexible closing markers), backtick strings, names,
//! variables, numbers and operators. Every input, however malformed, yields a
//! finite token stream that covers the input byte for byte.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Text outside `<?php … ?>`, sent to the client as is.
    InlineHtml,
    /// `<?php` (with the one whitespace character that follows it) or `<?=`.
    OpenTag,
    /// `?>` with an immediately following newline.
    CloseTag,
    /// Spaces, tabs and newlines between code tokens.
    Whitespace,
    /// `// …`, `# …` or `/* … */`.
    Comment,
    /// `/** … */`.
    DocComment,
    /// `$name`.
    Variable,
    /// An identifier or keyword, possibly namespaced (`\Foo\bar`).
    Name,
    /// A single- or double-quoted string without interpolation.
    ConstString,
    /// A double-quoted string with `$var` or `{$…}` interpolation.
    InterpolatedString,
    /// A `<<<ID` heredoc (may interpolate).
    Heredoc,
    /// A `<<<'ID'` nowdoc (never interpolates).
    Nowdoc,
    /// A backtick (shell execution) string.
    Backtick,
    /// An integer or float literal.
    Number,
    /// An operator or punctuation, longest match first.
    Punct,
    /// The raw data after `__halt_compiler();`, which PHP never parses.
    HaltedData,
}

/// One token: its kind, its exact bytes and where it starts (its line is
/// [`line_at`] its offset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// What the token is.
    pub kind: TokenKind,
    /// The token's bytes, exactly as in the source.
    pub text: &'a [u8],
    /// Byte offset of the token's first byte.
    pub offset: usize,
}

/// The 1-based line of byte `offset` in `src`.
pub fn line_at(src: &[u8], offset: usize) -> u32 {
    let end = offset.min(src.len());
    u32::try_from(memchr::memchr_iter(b'\n', &src[..end]).count() + 1).unwrap_or(u32::MAX)
}

impl Token<'_> {
    /// True for whitespace and comments, which never change what code does.
    #[inline]
    pub fn is_trivia(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Whitespace | TokenKind::Comment | TokenKind::DocComment
        )
    }

    /// True when the token is the name `word`, compared ASCII case-insensitively.
    #[inline]
    pub fn is_name(&self, word: &str) -> bool {
        self.kind == TokenKind::Name
            && self.text.len() == word.len()
            && self.text.eq_ignore_ascii_case(word.as_bytes())
    }

    /// True when the token is the punctuation `p`.
    #[inline]
    pub fn is_punct(&self, p: &str) -> bool {
        // Operators are at most three bytes: compare by hand, not with memcmp.
        self.kind == TokenKind::Punct
            && self.text.len() == p.len()
            && self.text.iter().zip(p.bytes()).all(|(&a, b)| a == b)
    }

    /// True when a name right after this token is a member, declaration or
    /// class name rather than the keyword or function it spells: after
    /// `->`, `?->`, `::`, `function`, `fn`, `new` or `const`.
    #[inline]
    pub fn introduces_member_name(&self) -> bool {
        match self.kind {
            TokenKind::Punct => matches!(self.text, b"->" | b"?->" | b"::"),
            TokenKind::Name => match self.text.len() {
                2 => self.text.eq_ignore_ascii_case(b"fn"),
                3 => self.text.eq_ignore_ascii_case(b"new"),
                5 => self.text.eq_ignore_ascii_case(b"const"),
                8 => self.text.eq_ignore_ascii_case(b"function"),
                _ => false,
            },
            _ => false,
        }
    }

    /// The literal value of a string token without interpolation
    /// (single-quoted, double-quoted without variables, or nowdoc), with
    /// escapes decoded as PHP decodes them. `None` for any other token.
    pub fn string_value(&self) -> Option<Vec<u8>> {
        match self.kind {
            TokenKind::ConstString => {
                let t = self.text;
                let (quote, body) = split_quoted(t)?;
                Some(if quote == b'\'' {
                    unescape_single(body)
                } else {
                    unescape_double(body)
                })
            }
            TokenKind::Nowdoc => Some(doc_body(self.text)),
            _ => None,
        }
    }
}

/// Splits a quoted token into its quote byte and its body (closing quote removed if present).
fn split_quoted(t: &[u8]) -> Option<(u8, &[u8])> {
    // A binary-string prefix `b'…'` is allowed by PHP.
    let t = match t.first() {
        Some(b'b' | b'B') => &t[1..],
        _ => t,
    };
    let quote = *t.first()?;
    let body = &t[1..];
    let body = if body.last() == Some(&quote) && !ends_escaped(body) {
        &body[..body.len() - 1]
    } else {
        body
    };
    Some((quote, body))
}

/// True when the last byte of `s` is preceded by an odd number of backslashes.
fn ends_escaped(s: &[u8]) -> bool {
    let n = s.len().saturating_sub(1);
    s[..n].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Decodes `\\` and `\'` in a single-quoted string body.
pub fn unescape_single(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\\' && matches!(body.get(i + 1), Some(b'\\' | b'\'')) {
            out.push(body[i + 1]);
            i += 2;
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

/// Decodes the escapes of a double-quoted string or heredoc body:
/// `\n \t \r \v \e \f \\ \$ \"`, octal `\0`–`\777`, hex `\xHH` and `\u{…}`.
/// Unknown escapes stay as written, as in PHP.
pub fn unescape_double(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'\\' || i + 1 >= body.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let e = body[i + 1];
        i += 2;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'v' => out.push(0x0b),
            b'e' => out.push(0x1b),
            b'f' => out.push(0x0c),
            b'\\' | b'$' | b'"' => out.push(e),
            b'0'..=b'7' => {
                let mut v: u32 = u32::from(e - b'0');
                let mut n = 1;
                while n < 3 && i < body.len() && (b'0'..=b'7').contains(&body[i]) {
                    v = v * 8 + u32::from(body[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' if i < body.len() && body[i].is_ascii_hexdigit() => {
                let mut v: u32 = 0;
                let mut n = 0;
                while n < 2 && i < body.len() && body[i].is_ascii_hexdigit() {
                    v = v * 16 + hex_val(body[i]);
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            b'u' if body.get(i) == Some(&b'{') => {
                let close = body[i..].iter().position(|&c| c == b'}');
                let decoded = close.and_then(|c| {
                    let hex = &body[i + 1..i + c];
                    let s = std::str::from_utf8(hex).ok()?;
                    let cp = u32::from_str_radix(s, 16).ok()?;
                    char::from_u32(cp).map(|ch| (ch, c))
                });
                match decoded {
                    Some((ch, c)) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        i += c + 1;
                    }
                    None => out.extend_from_slice(b"\\u"),
                }
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    out
}

fn hex_val(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'a'..=b'f' => u32::from(b - b'a' + 10),
        _ => u32::from(b - b'A' + 10),
    }
}

/// The body of a heredoc or nowdoc token: the lines between the opening line
/// and the closing marker, with the closing marker's indentation removed.
pub fn doc_body(text: &[u8]) -> Vec<u8> {
    let Some(nl) = text.iter().position(|&b| b == b'\n') else {
        return Vec::new();
    };
    let rest = &text[nl + 1..];
    // The closing marker is the last line; everything before its line break is the body.
    let (body, indent) = match rest.iter().rposition(|&b| b == b'\n') {
        Some(last_nl) => {
            let closing = &rest[last_nl + 1..];
            let indent = closing
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            let body = &rest[..last_nl];
            (body.strip_suffix(b"\r").unwrap_or(body), indent)
        }
        None => (&rest[..0], 0),
    };
    let mut out = Vec::with_capacity(body.len());
    for (n, line) in body.split(|&b| b == b'\n').enumerate() {
        if n > 0 {
            out.push(b'\n');
        }
        let strip = line
            .iter()
            .take(indent)
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        out.extend_from_slice(&line[strip..]);
    }
    out
}

/// Length of the operator or punctuation at the start of `s` (longest match).
fn punct_len(s: &[u8]) -> usize {
    // The most frequent punctuation never starts a longer operator.
    if matches!(
        s[0],
        b'(' | b')' | b';' | b',' | b'[' | b']' | b'{' | b'}' | b'@' | b'~'
    ) {
        return 1;
    }
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let (b1, b2) = (at(1), at(2));
    match (s[0], b1, b2) {
        (b'<', b'=', b'>')
        | (b'*', b'*', b'=')
        | (b'.', b'.', b'.')
        | (b'<', b'<', b'=')
        | (b'>', b'>', b'=') => 3,
        (b'=', b'=', b'=') | (b'!', b'=', b'=') | (b'?', b'?', b'=') | (b'?', b'-', b'>') => 3,
        (b':', b':', _) | (b'-', b'>', _) | (b'=', b'>', _) | (b'+', b'+', _) | (b'-', b'-', _) => {
            2
        }
        (
            b'=' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'.' | b'%' | b'&' | b'|'
            | b'^',
            b'=',
            _,
        ) => 2,
        (b'<', b'>', _) | (b'&', b'&', _) | (b'|', b'|', _) | (b'?', b'?', _) => 2,
        (b'<', b'<', _) | (b'>', b'>', _) | (b'*', b'*', _) | (b'#', b'[', _) => 2,
        _ => 1,
    }
}

/// Options of the PHP engine that change how source is tokenised.
#[derive(Clone, Copy, Debug, Default)]
pub struct LexOptions {
    /// Treat `<?` as an open tag (php.ini `short_open_tag`; off in Debian's
    /// and PHP's production configuration).
    pub short_open_tag: bool,
    /// Start in PHP code rather than inline HTML, as `eval()` does with the
    /// code it is given.
    pub start_in_code: bool,
}

/// An iterator over the tokens of PHP source.
pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    in_code: bool,
    /// How far `__halt_compiler ( ) ;` has been seen: 0 not at all, 1–3 the
    /// name, `(` and `)`; the token after that ends the code.
    halt: u8,
    /// The previous token that is not trivia (an empty inline-HTML token
    /// before the first): a `__halt_compiler` right after `->`, `::`,
    /// `function`… is a member, not the keyword it spells.
    prev: Token<'a>,
    /// Whether white space between code tokens is passed over instead of
    /// being returned (see [`Lexer::without_whitespace`]).
    skip_whitespace: bool,
    options: LexOptions,
}

/// Tokenises `src` with the production defaults of PHP 8.
pub fn tokenize(src: &[u8]) -> Lexer<'_> {
    Lexer::new(src, LexOptions::default())
}

/// A table of 256 flags, one per byte value `$b`, set where `$e` holds.
macro_rules! byte_table {
    ($b:ident => $e:expr) => {{
        let mut t = [false; 256];
        let mut i = 0;
        while i < 256 {
            let $b = i as u8;
            t[i] = $e;
            i += 1;
        }
        t
    }};
}

/// Bytes that may start a name: letters, `_` and any byte from 0x80.
const IDENT_START: [bool; 256] =
    byte_table!(b => b.is_ascii_alphabetic() || b == b'_' || b >= 0x80);
/// Bytes that may continue a name: those and digits.
const IDENT_CHAR: [bool; 256] =
    byte_table!(b => b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80);
/// White space between code tokens.
const SPACE: [bool; 256] =
    byte_table!(b => matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c));

/// How [`Lexer::plain_code_run`] treats a token's first byte.
#[derive(Clone, Copy)]
enum PlainStart {
    /// A name (a letter, `_` or a byte from 0x80).
    Name,
    /// `$`: a variable when a name follows.
    Dollar,
    /// A digit: a number.
    Digit,
    /// `'`: a single-quoted string.
    Quote,
    /// Punctuation that never starts a longer operator.
    Single,
    /// Another operator that starts no comment, tag, string or number.
    Punct,
    /// `.`: an operator, or a number such as `.5`.
    Dot,
    /// `?`: an operator, or a close tag.
    Question,
    /// `/`: an operator, or a comment.
    Slash,
    /// `<`: an operator, or a heredoc.
    Less,
    /// Anything else: left to [`Lexer::next_token`].
    Other,
}

/// [`PlainStart`] by first byte.
const PLAIN: [PlainStart; 256] = {
    let mut t = [PlainStart::Other; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if IDENT_START[i] {
            PlainStart::Name
        } else if b == b'$' {
            PlainStart::Dollar
        } else if b.is_ascii_digit() {
            PlainStart::Digit
        } else if b == b'\'' {
            PlainStart::Quote
        } else if matches!(
            b,
            b'(' | b')' | b';' | b',' | b'[' | b']' | b'{' | b'}' | b'@' | b'~'
        ) {
            PlainStart::Single
        } else if matches!(
            b,
            b'=' | b'!' | b'>' | b'+' | b'-' | b'*' | b'%' | b'&' | b'|' | b'^' | b':'
        ) {
            PlainStart::Punct
        } else if b == b'.' {
            PlainStart::Dot
        } else if b == b'?' {
            PlainStart::Question
        } else if b == b'/' {
            PlainStart::Slash
        } else if b == b'<' {
            PlainStart::Less
        } else {
            PlainStart::Other
        };
        i += 1;
    }
    t
};

fn is_ident_start(b: u8) -> bool {
    IDENT_START[usize::from(b)]
}

fn is_ident_char(b: u8) -> bool {
    IDENT_CHAR[usize::from(b)]
}

fn starts_with_ci(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len() && haystack[..needle.len()].eq_ignore_ascii_case(needle)
}

impl<'a> Lexer<'a> {
    /// A lexer over `src`, starting in inline-HTML mode as the engine does.
    pub fn new(src: &'a [u8], options: LexOptions) -> Self {
        Lexer {
            src,
            pos: 0,
            in_code: options.start_in_code,
            halt: 0,
            prev: Token {
                kind: TokenKind::InlineHtml,
                text: &[],
                offset: 0,
            },
            skip_whitespace: false,
            options,
        }
    }

    /// This lexer without [`TokenKind::Whitespace`] tokens: white space
    /// between code tokens is passed over, every other token is the same.
    /// Cheaper for consumers that drop white space anyway.
    pub fn without_whitespace(mut self) -> Self {
        self.skip_whitespace = true;
        self
    }

    /// Length of an open tag at `at`, if there is one.
    fn open_tag_len(&self, at: usize) -> Option<usize> {
        let rest = &self.src[at..];
        if !rest.starts_with(b"<?") {
            return None;
        }
        if rest.starts_with(b"<?=") {
            return Some(3);
        }
        if starts_with_ci(rest, b"<?php") {
            match rest.get(5) {
                None => return Some(5),
                Some(b' ' | b'\t' | b'\n') => return Some(6),
                Some(b'\r') => return Some(if rest.get(6) == Some(&b'\n') { 7 } else { 6 }),
                _ => {}
            }
        }
        self.options.short_open_tag.then_some(2)
    }

    /// Inline HTML up to the next open tag, or the open tag itself.
    fn scan_html(&mut self) -> (TokenKind, usize) {
        let start = self.pos;
        let mut i = start;
        while let Some(off) = memchr::memchr(b'<', &self.src[i..]) {
            let at = i + off;
            if let Some(len) = self.open_tag_len(at) {
                if at > start {
                    return (TokenKind::InlineHtml, at - start);
                }
                self.in_code = true;
                return (TokenKind::OpenTag, len);
            }
            i = at + 1;
        }
        (TokenKind::InlineHtml, self.src.len() - start)
    }
}

impl Lexer<'_> {
    #[inline]
    fn scan_code(&mut self) -> (TokenKind, usize) {
        let s = &self.src[self.pos..];
        let b = s[0];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                let n = s
                    .iter()
                    .position(|&c| !SPACE[usize::from(c)])
                    .unwrap_or(s.len());
                (TokenKind::Whitespace, n)
            }
            b'?' if s.starts_with(b"?>") => {
                self.in_code = false;
                let n = if s[2..].starts_with(b"\r\n") {
                    4
                } else if matches!(s.get(2), Some(b'\n')) {
                    3
                } else {
                    2
                };
                (TokenKind::CloseTag, n)
            }
            b'#' if s.starts_with(b"#[") => (TokenKind::Punct, 2),
            b'#' => (TokenKind::Comment, line_comment_len(s)),
            b'/' if s.starts_with(b"//") => (TokenKind::Comment, line_comment_len(s)),
            b'/' if s.starts_with(b"/*") => {
                let n = find(&s[2..], b"*/").map_or(s.len(), |p| p + 4);
                let doc =
                    s.starts_with(b"/**") && s.get(3).is_some_and(|c| c.is_ascii_whitespace());
                let kind = if doc {
                    TokenKind::DocComment
                } else {
                    TokenKind::Comment
                };
                (kind, n)
            }
            b'\'' => (TokenKind::ConstString, single_quoted_len(s)),
            b'"' => {
                let (n, interp) = double_quoted_len(s, b'"');
                let kind = if interp {
                    TokenKind::InterpolatedString
                } else {
                    TokenKind::ConstString
                };
                (kind, n)
            }
            b'b' | b'B' if matches!(s.get(1), Some(b'\'' | b'"')) => {
                if s[1] == b'\'' {
                    (TokenKind::ConstString, 1 + single_quoted_len(&s[1..]))
                } else {
                    let (n, interp) = double_quoted_len(&s[1..], b'"');
                    let kind = if interp {
                        TokenKind::InterpolatedString
                    } else {
                        TokenKind::ConstString
                    };
                    (kind, n + 1)
                }
            }
            b'`' => (TokenKind::Backtick, double_quoted_len(s, b'`').0),
            b'<' if s.starts_with(b"<<<") => match heredoc_len(s) {
                Some((n, nowdoc)) => (
                    if nowdoc {
                        TokenKind::Nowdoc
                    } else {
                        TokenKind::Heredoc
                    },
                    n,
                ),
                None => (TokenKind::Punct, 2),
            },
            b'$' if s.get(1).is_some_and(|&c| is_ident_start(c)) => {
                let n = 1 + s[1..].iter().take_while(|&&c| is_ident_char(c)).count();
                (TokenKind::Variable, n)
            }
            b'\\' if s.get(1).is_some_and(|&c| is_ident_start(c)) => (TokenKind::Name, name_len(s)),
            _ if is_ident_start(b) => (TokenKind::Name, name_len(s)),
            b'0'..=b'9' => (TokenKind::Number, number_len(s)),
            b'.' if s.get(1).is_some_and(u8::is_ascii_digit) => (TokenKind::Number, number_len(s)),
            _ => (TokenKind::Punct, punct_len(s)),
        }
    }
}

/// Length of a name, including namespace separators (`\A\B`, `namespace\x`).
fn name_len(s: &[u8]) -> usize {
    let mut i = 0;
    loop {
        if s.get(i) == Some(&b'\\') {
            i += 1;
        }
        let n = s[i..].iter().take_while(|&&c| is_ident_char(c)).count();
        i += n;
        if n == 0 || s.get(i) != Some(&b'\\') || !s.get(i + 1).is_some_and(|&c| is_ident_start(c)) {
            return i.max(1);
        }
    }
}

fn number_len(s: &[u8]) -> usize {
    let mut i = 0;
    if s.len() > 1 && s[0] == b'0' && matches!(s[1], b'x' | b'X' | b'b' | b'B' | b'o' | b'O') {
        i = 2;
        i += s[i..]
            .iter()
            .take_while(|&&c| c.is_ascii_hexdigit() || c == b'_')
            .count();
        return i;
    }
    i += s
        .iter()
        .take_while(|&&c| c.is_ascii_digit() || c == b'_')
        .count();
    if s.get(i) == Some(&b'.') && s.get(i + 1).is_none_or(|c| c.is_ascii_digit()) {
        i += 1;
        i += s[i..]
            .iter()
            .take_while(|&&c| c.is_ascii_digit() || c == b'_')
            .count();
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if s.get(j).is_some_and(u8::is_ascii_digit) {
            i = j + s[j..].iter().take_while(|&&c| c.is_ascii_digit()).count();
        }
    }
    i.max(1)
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    memchr::memmem::find(h, n)
}

/// A `//` or `#` comment ends before a newline or before `?>`.
fn line_comment_len(s: &[u8]) -> usize {
    let mut i = 0;
    while let Some(p) = memchr::memchr3(b'\n', b'\r', b'?', &s[i..]) {
        let at = i + p;
        if s[at] != b'?' || s.get(at + 1) == Some(&b'>') {
            return at;
        }
        i = at + 1;
    }
    s.len()
}

fn single_quoted_len(s: &[u8]) -> usize {
    let mut i = 1;
    while i < s.len() {
        // Everything but a backslash or the quote is skipped at once.
        let Some(p) = memchr::memchr2(b'\\', b'\'', &s[i..]) else {
            return s.len();
        };
        i += p;
        if s[i] == b'\'' {
            return i + 1;
        }
        i += 2;
    }
    s.len()
}

/// Length of a double-quoted or backtick string, and whether it interpolates.
/// `{$ … }` and `${ … }` parts are lexed as code so that quotes inside them
/// do not end the string.
fn double_quoted_len(s: &[u8], quote: u8) -> (usize, bool) {
    let mut i = 1;
    let mut interp = false;
    while i < s.len() {
        // Bytes other than a backslash, the quote, `$` and a `{` before `$`
        // are skipped at once; such a `{` is found through its `$`.
        let Some(p) = memchr::memchr3(b'\\', quote, b'$', &s[i..]) else {
            return (s.len(), interp);
        };
        i = if p > 0 && s[i + p - 1] == b'{' {
            i + p - 1
        } else {
            i + p
        };
        match s[i] {
            b'\\' => i += 2,
            c if c == quote => return (i + 1, interp),
            b'$' if s.get(i + 1).is_some_and(|&c| is_ident_start(c)) => {
                interp = true;
                i += 1;
            }
            b'{' if s.get(i + 1) == Some(&b'$') => {
                interp = true;
                i = skip_embedded_code(s, i + 1);
            }
            b'$' if s.get(i + 1) == Some(&b'{') => {
                interp = true;
                i = skip_embedded_code(s, i + 2);
            }
            _ => i += 1,
        }
    }
    (s.len().min(i), interp)
}

/// Skips code embedded in a string from `start` to the `}` that closes it,
/// returning the index after that `}` (or the end of input).
fn skip_embedded_code(s: &[u8], start: usize) -> usize {
    let mut depth = 1usize;
    let mut i = start;
    while i < s.len() {
        match s[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'\'' => {
                i += single_quoted_len(&s[i..]);
                continue;
            }
            b'"' => {
                i += double_quoted_len(&s[i..], b'"').0;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    s.len()
}

/// Length of a heredoc or nowdoc starting at `<<<`, and whether it is a nowdoc.
/// `None` when `<<<` does not start a valid heredoc label.
fn heredoc_len(s: &[u8]) -> Option<(usize, bool)> {
    let mut i = 3;
    while matches!(s.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    let quote = match s.get(i) {
        Some(&q @ (b'\'' | b'"')) => {
            i += 1;
            Some(q)
        }
        _ => None,
    };
    let label_start = i;
    if !s.get(i).is_some_and(|&c| is_ident_start(c)) {
        return None;
    }
    i += s[i..].iter().take_while(|&&c| is_ident_char(c)).count();
    let label = &s[label_start..i];
    if let Some(q) = quote {
        if s.get(i) != Some(&q) {
            return None;
        }
        i += 1;
    }
    match s.get(i) {
        Some(b'\n') => i += 1,
        Some(b'\r') => i += if s.get(i + 1) == Some(&b'\n') { 2 } else { 1 },
        _ => return None,
    }
    // Scan line by line for the closing label: optional indentation, the
    // label, then a byte that cannot continue an identifier.
    let mut line_start = i;
    loop {
        let mut j = line_start;
        while matches!(s.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        if s[j..].starts_with(label) && !s.get(j + label.len()).is_some_and(|&c| is_ident_char(c)) {
            return Some((j + label.len(), quote == Some(b'\'')));
        }
        match s[line_start..].iter().position(|&b| b == b'\n') {
            Some(p) => line_start += p + 1,
            None => return Some((s.len(), quote == Some(b'\''))),
        }
    }
}

impl<'a> Lexer<'a> {
    /// Follows `__halt_compiler();` (or `__halt_compiler() ?>`): once it is
    /// complete, the rest of the input is data.
    #[inline]
    fn track_halt_compiler(&mut self, token: &Token<'a>) {
        if token.is_trivia() {
            return;
        }
        let prev = std::mem::replace(&mut self.prev, *token);
        if self.halt == 0 {
            // The common case: only the name itself starts anything.
            if token.kind == TokenKind::Name
                && token.text.len() == 15
                && token.is_name("__halt_compiler")
                && !prev.introduces_member_name()
            {
                self.halt = 1;
            }
            return;
        }
        if !matches!(
            token.kind,
            TokenKind::Name | TokenKind::Punct | TokenKind::CloseTag
        ) {
            self.halt = if self.halt == 4 { 4 } else { 0 };
            return;
        }
        self.halt = match (self.halt, token) {
            (1, t) if t.is_punct("(") => 2,
            (2, t) if t.is_punct(")") => 3,
            (3, t) if t.is_punct(";") || t.kind == TokenKind::CloseTag => 4,
            (4, _) => 4,
            _ => 0,
        };
    }
}

impl<'a> Lexer<'a> {
    /// Calls `found` with every token, in order: the tokens the iterator
    /// gives, in one loop that the compiler can keep tight (the lexer's
    /// state stays in registers between tokens).
    #[inline]
    pub fn for_each_token(mut self, mut found: impl FnMut(Token<'a>)) {
        loop {
            if self.skip_whitespace && self.in_code && self.halt == 0 {
                self.plain_code_run(&mut found);
            }
            match self.next_token() {
                Some(t) => found(t),
                None => return,
            }
        }
    }

    /// Lexes, without white space, the run of plain code tokens that starts
    /// here: names, variables, numbers, single-quoted strings and the
    /// operators that start nothing else. It stops before any other token
    /// (comments, other strings, tags, `__halt_compiler`, namespaced names)
    /// and leaves that one to [`Lexer::next_token`], so every token is the
    /// one `next_token` would give; only the bookkeeping per token is less.
    #[inline(always)]
    fn plain_code_run(&mut self, found: &mut impl FnMut(Token<'a>)) {
        let src = self.src;
        let mut pos = self.pos;
        let mut prev = self.prev;
        loop {
            while pos < src.len() && SPACE[usize::from(src[pos])] {
                pos += 1;
            }
            let Some(&b) = src.get(pos) else { break };
            let s = &src[pos..];
            let (kind, len) = match PLAIN[usize::from(b)] {
                PlainStart::Name => {
                    let n = 1 + s[1..].iter().take_while(|&&c| is_ident_char(c)).count();
                    let binary_string = n == 1 && matches!(s.get(1), Some(b'\'' | b'"'));
                    if binary_string || s.get(n) == Some(&b'\\') || n == 15 {
                        break;
                    }
                    (TokenKind::Name, n)
                }
                PlainStart::Dollar if s.get(1).is_some_and(|&c| is_ident_start(c)) => {
                    let n = 2 + s[2..].iter().take_while(|&&c| is_ident_char(c)).count();
                    (TokenKind::Variable, n)
                }
                PlainStart::Digit => (TokenKind::Number, number_len(s)),
                PlainStart::Quote => (TokenKind::ConstString, single_quoted_len(s)),
                PlainStart::Single => (TokenKind::Punct, 1),
                PlainStart::Punct => (TokenKind::Punct, punct_len(s)),
                // `.` and `?` start a number (`.5`) or a close tag (`?>`)
                // only before those bytes; `/` a comment only before
                // `/` or `*`; `<` a heredoc only as `<<<`.
                PlainStart::Dot if !s.get(1).is_some_and(u8::is_ascii_digit) => {
                    (TokenKind::Punct, punct_len(s))
                }
                PlainStart::Question if s.get(1) != Some(&b'>') => (TokenKind::Punct, punct_len(s)),
                PlainStart::Slash if !matches!(s.get(1), Some(b'/' | b'*')) => {
                    (TokenKind::Punct, punct_len(s))
                }
                PlainStart::Less if !s.starts_with(b"<<<") => (TokenKind::Punct, punct_len(s)),
                PlainStart::Dollar
                | PlainStart::Dot
                | PlainStart::Question
                | PlainStart::Slash
                | PlainStart::Less
                | PlainStart::Other => break,
            };
            let token = Token {
                kind,
                text: &s[..len],
                offset: pos,
            };
            pos += len;
            prev = token;
            found(token);
        }
        self.pos = pos;
        self.prev = prev;
    }

    #[inline(always)]
    fn next_token(&mut self) -> Option<Token<'a>> {
        if self.skip_whitespace
            && self.in_code
            && self.halt != 4
            && self
                .src
                .get(self.pos)
                .is_some_and(|&b| SPACE[usize::from(b)])
        {
            let rest = &self.src[self.pos + 1..];
            self.pos += 1 + rest
                .iter()
                .position(|&c| !SPACE[usize::from(c)])
                .unwrap_or(rest.len());
        }
        if self.pos >= self.src.len() {
            return None;
        }
        let (kind, len) = if self.halt == 4 {
            (TokenKind::HaltedData, self.src.len() - self.pos)
        } else if self.in_code {
            self.scan_code()
        } else {
            self.scan_html()
        };
        let len = len.clamp(1, self.src.len() - self.pos);
        let text = &self.src[self.pos..self.pos + len];
        let token = Token {
            kind,
            text,
            offset: self.pos,
        };
        self.pos += len;
        self.track_halt_compiler(&token);
        Some(token)
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        self.next_token()
    }
}

/// Deterministic pseudo-random inputs for tests: `count` texts, each
/// `prefix` followed by up to `max_parts - 1` of `fragments` (PHP-ish
/// pieces) in an order a xorshift generator picks.
#[cfg(test)]
pub(crate) fn fragment_mixes(
    prefix: &[u8],
    fragments: &[&[u8]],
    count: usize,
    max_parts: u64,
) -> Vec<Vec<u8>> {
    let mut rng = crate::test_random::XorShift(0x9E37_79B9_7F4A_7C15);
    (0..count)
        .map(|_| {
            let mut src = prefix.to_vec();
            for _ in 0..(rng.0 % max_parts) {
                src.extend_from_slice(rng.pick(fragments));
            }
            src
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, String)> {
        tokenize(src.as_bytes())
            .filter(|t| t.kind != TokenKind::Whitespace)
            .map(|t| (t.kind, String::from_utf8_lossy(t.text).into_owned()))
            .collect()
    }

    fn assert_covers(src: &[u8]) {
        let mut next = 0;
        for t in tokenize(src) {
            assert_eq!(t.offset, next, "gap or overlap at {next}");
            assert!(!t.text.is_empty());
            next += t.text.len();
        }
        assert_eq!(next, src.len());
    }

    #[test]
    fn html_and_tags() {
        use TokenKind::*;
        assert_eq!(
            kinds("<p>hi</p><?php echo 1; ?>\n<b><?= $x ?>"),
            vec![
                (InlineHtml, "<p>hi</p>".into()),
                (OpenTag, "<?php ".into()),
                (Name, "echo".into()),
                (Number, "1".into()),
                (Punct, ";".into()),
                (CloseTag, "?>\n".into()),
                (InlineHtml, "<b>".into()),
                (OpenTag, "<?=".into()),
                (Variable, "$x".into()),
                (CloseTag, "?>".into()),
            ]
        );
        // `<?` is text unless short_open_tag is on; `<?phpx` is not a tag.
        assert_eq!(kinds("<? echo 1; <?phpx")[0].0, InlineHtml);
        assert_eq!(kinds("<?PHP\necho")[0], (OpenTag, "<?PHP\n".into()));
    }

    #[test]
    fn comments_end_at_close_tag() {
        use TokenKind::*;
        let k = kinds("<?php // note ?> require 'x';");
        assert_eq!(k[1], (Comment, "// note ".into()));
        assert_eq!(k[2], (CloseTag, "?>".into()));
        assert_eq!(k[3], (InlineHtml, " require 'x';".into()));
        assert_eq!(kinds("<?php #[Attr] # c\n")[1], (Punct, "#[".into()));
        assert_eq!(kinds("<?php /** doc */ /* c */")[1].0, DocComment);
        assert_eq!(kinds("<?php /** doc */ /* c */")[2].0, Comment);
    }

    #[test]
    fn strings_and_interpolation() {
        use TokenKind::*;
        let k = kinds(r#"<?php 'a\'b' "x{$a["k"]}y" "plain\n" b'z' `ls`"#);
        assert_eq!(k[1], (ConstString, r"'a\'b'".into()));
        assert_eq!(k[2], (InterpolatedString, r#""x{$a["k"]}y""#.into()));
        assert_eq!(k[3], (ConstString, r#""plain\n""#.into()));
        assert_eq!(k[4], (ConstString, "b'z'".into()));
        assert_eq!(k[5], (Backtick, "`ls`".into()));
        let t: Vec<Token> = tokenize(br#"<?php "a\x41\101\u{1F600}\$" 'q\\\'\n'"#)
            .filter(|t| t.kind == ConstString)
            .collect();
        assert_eq!(t[0].string_value().unwrap(), "aAA\u{1F600}$".as_bytes());
        assert_eq!(t[1].string_value().unwrap(), br"q\'\n");
    }

    #[test]
    fn heredoc_and_nowdoc() {
        use TokenKind::*;
        let src = "<?php $a = <<<EOT\n  one\n  EOTX\n  EOT;\n$b = <<<'N'\nraw $x\nN;\n";
        let k = kinds(src);
        assert_eq!(k[3], (Heredoc, "<<<EOT\n  one\n  EOTX\n  EOT".into()));
        assert_eq!(k[7].0, Nowdoc);
        let body = tokenize(src.as_bytes())
            .find(|t| t.kind == Heredoc)
            .unwrap();
        assert_eq!(doc_body(body.text), b"one\nEOTX");
        let now = tokenize(src.as_bytes()).find(|t| t.kind == Nowdoc).unwrap();
        assert_eq!(now.string_value().unwrap(), b"raw $x");
    }

    #[test]
    fn names_numbers_operators() {
        use TokenKind::*;
        let k = kinds(r"<?php \Foo\Bar::x(0x1F, 1_000.5e-3, .5) ?-> <=> **= ...");
        assert_eq!(k[1], (Name, r"\Foo\Bar".into()));
        assert_eq!(k[2], (Punct, "::".into()));
        assert_eq!(k[5], (Number, "0x1F".into()));
        assert_eq!(k[7], (Number, "1_000.5e-3".into()));
        assert_eq!(k[9], (Number, ".5".into()));
        let ops: Vec<_> = k[11..].iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(ops, ["?->", "<=>", "**=", "..."]);
    }

    #[test]
    fn halt_compiler_ends_the_code() {
        let k = kinds("<?php echo 1; __HALT_COMPILER(); require 'x'; <?php");
        assert_eq!(
            k.last().unwrap(),
            &(TokenKind::HaltedData, " require 'x'; <?php".into())
        );
        // A method named like it does not halt anything.
        assert!(
            kinds("<?php $a->__halt_compiler(); require 'x';")
                .iter()
                .all(|(k, _)| *k != TokenKind::HaltedData)
        );
    }

    #[test]
    fn lines_are_counted() {
        let src = b"<?php\n/* a\nb */\n$x;";
        let t: Vec<Token> = tokenize(src).collect();
        let x = t.iter().find(|t| t.kind == TokenKind::Variable).unwrap();
        assert_eq!(line_at(src, x.offset), 4);
        assert_eq!(line_at(src, 0), 1);
        assert_eq!(line_at(src, 1000), 4);
    }

    #[test]
    fn any_bytes_are_covered_exactly() {
        // Deterministic pseudo-random inputs built from PHP-ish fragments.
        let fragments: [&[u8]; 22] = [
            b"<?php ",
            b"?>",
            b"'",
            b"\"",
            b"{$",
            b"}",
            b"<<<",
            b"EOT\n",
            b"'N'\n",
            b"/*",
            b"*/",
            b"//",
            b"#",
            b"\n",
            b"\\",
            b"$a",
            b"`",
            b"\xff\xfe",
            b"0x",
            b"1e",
            b"<?=",
            b"b\"",
        ];
        for src in fragment_mixes(b"", &fragments, 3000, 40) {
            assert_covers(&src);
            assert_covers(&[b"<?php ".as_slice(), &src].concat());
            assert_same_without_whitespace(&src);
            assert_same_without_whitespace(&[b"<?php ".as_slice(), &src].concat());
        }
    }

    /// The lexer without white space gives every other token unchanged.
    fn assert_same_without_whitespace(src: &[u8]) {
        let all: Vec<Token> = tokenize(src)
            .filter(|t| t.kind != TokenKind::Whitespace)
            .collect();
        let without: Vec<Token> = tokenize(src).without_whitespace().collect();
        assert_eq!(without, all, "{:?}", String::from_utf8_lossy(src));
        let mut each = Vec::new();
        tokenize(src)
            .without_whitespace()
            .for_each_token(|t| each.push(t));
        assert_eq!(each, all);
    }

    #[test]
    fn the_plain_code_run_gives_the_tokens_of_next_token() {
        // Code built from the tokens the run lexes itself and those it
        // leaves to `next_token` at its edges: binary strings, namespaced
        // names, 15-byte names, `__halt_compiler` after `->` and alone,
        // close tags, comments, casts and every operator byte.
        let fragments: [&[u8]; 41] = [
            b" ",
            b"\t",
            b"\n",
            b"$a",
            b"$",
            b"foo",
            b"b'x'",
            b"B\"y\"",
            b"b",
            b"'q\\'r'",
            b"'",
            b"\\Ns\\f",
            b"Ns\\g",
            b"abcdefghijklmno",
            b"__halt_compiler",
            b"->",
            b"(",
            b")",
            b";",
            b"?>",
            b"<?php ",
            b"// c\n",
            b"/* d */",
            b"#[A]",
            b"# e\n",
            b"(int)",
            b"1.5e3",
            b"0x1F",
            b".5",
            b"===",
            b"<=>",
            b"??=",
            b"...",
            b"\xff",
            b"__HALT_COMPILER();",
            b"$o->__halt_compiler();",
            b".",
            b"?",
            b"/",
            b"<",
            b"<<<X\nX;\n",
        ];
        for src in fragment_mixes(b"<?php ", &fragments, 4000, 50) {
            assert_same_without_whitespace(&src);
        }
    }

    #[test]
    fn white_space_is_passed_over_only_in_code() {
        // Inline HTML and halted data keep their spaces; a method named
        // `__halt_compiler` halts nothing in either mode.
        for src in [
            &b"  <p> x </p>\n<?php  echo  1 ;\n ?>\n  <b> <?php $a->__halt_compiler ( ) ;  x"[..],
            b"<?php __halt_compiler ( ) ;  raw  ",
            b"<?php function __halt_compiler() {} x;",
            b"<?php \t\r\n",
        ] {
            assert_same_without_whitespace(src);
        }
        let last = tokenize(b"<?php __halt_compiler ( ) ;  raw  ")
            .without_whitespace()
            .last()
            .unwrap();
        assert_eq!(
            (last.kind, last.text),
            (TokenKind::HaltedData, &b"  raw  "[..])
        );
    }
}
