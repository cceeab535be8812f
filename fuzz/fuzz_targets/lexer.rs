//! The lexer covers every input byte for byte, in order, and the string
//! helpers never panic, in both the default and the eval/short-tag modes.
//! Without white space (as the scanner lexes), and in one loop, it gives
//! the same tokens less the white space.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webtotem::lexer::{LexOptions, Lexer, Token, TokenKind, doc_body, line_at, tokenize};

fn check<'a>(data: &'a [u8], tokens: impl Iterator<Item = Token<'a>>) {
    let mut pos = 0usize;
    let mut line = 1u32;
    for t in tokens {
        assert!(!t.text.is_empty(), "empty token {t:?} at {pos}");
        assert_eq!(
            t.offset, pos,
            "token {t:?} does not start where the last ended"
        );
        assert_eq!(
            t.text,
            &data[pos..pos + t.text.len()],
            "token text is not the source"
        );
        assert_eq!(
            line_at(data, t.offset),
            line,
            "token {t:?} is on the wrong line"
        );
        line += t.text.iter().filter(|&&b| b == b'\n').count() as u32;
        pos += t.text.len();
        let _ = t.string_value();
        // doc_body() is public and takes any bytes: try it on every token.
        let _ = doc_body(t.text);
    }
    assert_eq!(pos, data.len(), "tokens do not cover the input");
}

/// The lexer without white space, iterated and in one loop, gives the
/// tokens of `full` that are not white space.
fn check_without_whitespace(data: &[u8], opts: LexOptions) {
    let full: Vec<Token<'_>> = Lexer::new(data, opts)
        .filter(|t| t.kind != TokenKind::Whitespace)
        .collect();
    let iterated: Vec<Token<'_>> = Lexer::new(data, opts).without_whitespace().collect();
    assert_eq!(iterated, full, "without white space, iterated");
    let mut looped = Vec::new();
    Lexer::new(data, opts)
        .without_whitespace()
        .for_each_token(|t| looped.push(t));
    assert_eq!(looped, full, "without white space, in one loop");
}

fuzz_target!(|data: &[u8]| {
    check(data, tokenize(data));
    let opts = LexOptions {
        start_in_code: true,
        short_open_tag: true,
    };
    check(data, Lexer::new(data, opts));
    check_without_whitespace(data, LexOptions::default());
    check_without_whitespace(data, opts);
});
