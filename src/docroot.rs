//! Document-root detection: where the agents of a site are installed.
//!
//! A site's root is its document root (`…/httpdocs`), unless its
//! `public/index.php` loads an autoloader, as PSR-4 frameworks' front
//! controllers do; then `public/` is the root. The decision reads PHP tokens,
//! never raw text, so an autoloader named in a comment, a string, a heredoc or
//! inline HTML does not count. The patterns are data (`rules/docroot/`),
//! compiled and validated by `build.rs`.

use crate::error::Result;
use crate::lexer::{Token, TokenKind, line_at, tokenize};
use crate::paths::validate_absolute_dir;
use std::collections::HashMap;

/// A require/include target that marks an autoloader.
#[derive(Debug)]
pub(crate) struct IncludeRule {
    pub id: &'static str,
    pub path: &'static str,
    pub needs_directory: bool,
    #[allow(dead_code)]
    pub frameworks: &'static [&'static str],
}

/// A global function whose call registers an autoloader.
#[derive(Debug)]
pub(crate) struct CallRule {
    pub id: &'static str,
    pub function: &'static str,
    #[allow(dead_code)]
    pub frameworks: &'static [&'static str],
}

/// A class-name prefix whose static call loads an autoloader.
#[derive(Debug)]
pub(crate) struct ClassPrefixRule {
    pub id: &'static str,
    pub prefix: &'static str,
    #[allow(dead_code)]
    pub frameworks: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/autoloader_rules.rs"));

/// Why a `public/index.php` was judged to load an autoloader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The id of the rule that matched (see `rules/docroot/autoloaders.toml`).
    pub rule: &'static str,
    /// The 1-based line of the statement.
    pub line: u32,
}

/// Returns the directory agents are installed in: `docroot`, or
/// `docroot/public` when `public_index_php` (the contents of
/// `public/index.php`, if it exists) loads an autoloader.
///
/// `docroot` must be an absolute path without `..` segments or control bytes.
pub fn detect_root(docroot: &str, public_index_php: Option<&[u8]>) -> Result<String> {
    let root = validate_absolute_dir("docroot", docroot)?;
    Ok(match public_index_php.and_then(find_autoloader) {
        Some(_) => format!("{root}/public"),
        None => root,
    })
}

/// Finds the first statement in PHP source that loads an autoloader.
pub fn find_autoloader(src: &[u8]) -> Option<Evidence> {
    let tokens: Vec<Token<'_>> = tokenize(src)
        .filter(|t| {
            !t.is_trivia() && t.kind != TokenKind::InlineHtml && t.kind != TokenKind::OpenTag
        })
        .collect();
    let mut vars: HashMap<&[u8], Vec<Piece>> = HashMap::new();
    for i in 0..tokens.len() {
        let t = &tokens[i];
        let prev = i.checked_sub(1).map(|p| &tokens[p]);
        let member = prev.is_some_and(Token::introduces_member_name);
        match t.kind {
            TokenKind::Name if !member && is_include_keyword(t) => {
                let (pieces, _) = eval_concat(&tokens, i + 1, &vars);
                if let Some(rule) = match_include(&pieces) {
                    return Some(Evidence {
                        rule,
                        line: line_at(src, t.offset),
                    });
                }
            }
            TokenKind::Name if !member && tokens.get(i + 1).is_some_and(|n| n.is_punct("(")) => {
                let name = t.text.strip_prefix(b"\\").unwrap_or(t.text);
                if let Some(r) = CALL_RULES
                    .iter()
                    .find(|r| name.eq_ignore_ascii_case(r.function.as_bytes()))
                {
                    return Some(Evidence {
                        rule: r.id,
                        line: line_at(src, t.offset),
                    });
                }
            }
            TokenKind::Name if tokens.get(i + 1).is_some_and(|n| n.is_punct("::")) => {
                let name = t.text.rsplit(|&b| b == b'\\').next().unwrap_or(t.text);
                if let Some(r) = CLASS_PREFIX_RULES.iter().find(|r| {
                    name.len() >= r.prefix.len()
                        && name[..r.prefix.len()].eq_ignore_ascii_case(r.prefix.as_bytes())
                }) {
                    return Some(Evidence {
                        rule: r.id,
                        line: line_at(src, t.offset),
                    });
                }
            }
            TokenKind::Variable
                if tokens.get(i + 1).is_some_and(|n| n.is_punct("=")) && !member =>
            {
                let (pieces, _) = eval_concat(&tokens, i + 2, &vars);
                vars.insert(t.text, pieces);
            }
            _ => {}
        }
    }
    None
}

fn is_include_keyword(t: &Token<'_>) -> bool {
    ["require", "require_once", "include", "include_once"]
        .iter()
        .any(|k| t.is_name(k))
}

/// A part of a statically evaluated string expression.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    /// Known bytes.
    Text(Vec<u8>),
    /// A value that cannot be known statically (a variable, a constant, …).
    Unknown,
}

/// Evaluates the concatenation expression starting at `start` as far as it
/// is statically known, stopping at the end of the expression (`;`, `,`, `?>`,
/// an unmatched `)`, or an operator other than `.`). Returns the pieces and
/// the index after the expression.
fn eval_concat(
    tokens: &[Token<'_>],
    start: usize,
    vars: &HashMap<&[u8], Vec<Piece>>,
) -> (Vec<Piece>, usize) {
    let mut pieces = Vec::new();
    let mut i = start;
    loop {
        i = eval_term(tokens, i, vars, &mut pieces);
        match tokens.get(i) {
            Some(t) if t.is_punct(".") => i += 1,
            _ => return (pieces, i),
        }
    }
}

/// Evaluates one operand of a concatenation into `out`, returning the index after it.
fn eval_term(
    tokens: &[Token<'_>],
    i: usize,
    vars: &HashMap<&[u8], Vec<Piece>>,
    out: &mut Vec<Piece>,
) -> usize {
    let Some(t) = tokens.get(i) else { return i };
    match t.kind {
        TokenKind::ConstString | TokenKind::Nowdoc => {
            out.push(Piece::Text(t.string_value().unwrap_or_default()));
            i + 1
        }
        TokenKind::InterpolatedString | TokenKind::Heredoc => {
            out.push(Piece::Unknown);
            out.push(Piece::Text(literal_tail(t.text)));
            i + 1
        }
        TokenKind::Variable => {
            let mut j = i + 1;
            // Property fetches, array offsets and calls on the variable make it unknown.
            let mut accessed = false;
            while let Some(n) = tokens.get(j) {
                if (n.is_punct("->") || n.is_punct("?->") || n.is_punct("::"))
                    && tokens.get(j + 1).is_some()
                {
                    j += 2;
                    accessed = true;
                } else if n.is_punct("[") || n.is_punct("(") {
                    j = skip_group(tokens, j);
                    accessed = true;
                } else {
                    break;
                }
            }
            match vars.get(t.text) {
                Some(v) if !accessed => out.extend(v.iter().cloned()),
                _ => out.push(Piece::Unknown),
            }
            j
        }
        TokenKind::Punct if t.is_punct("(") => {
            let (inner, j) = eval_concat(tokens, i + 1, vars);
            out.extend(inner);
            skip_to_close(tokens, j)
        }
        TokenKind::Name
            if t.is_name("DIRECTORY_SEPARATOR") || t.is_name("\\DIRECTORY_SEPARATOR") =>
        {
            out.push(Piece::Text(b"/".to_vec()));
            i + 1
        }
        TokenKind::Name if tokens.get(i + 1).is_some_and(|n| n.is_punct("(")) => {
            // A path helper (dirname, realpath, rtrim, …): its first argument is the path.
            let (inner, j) = eval_concat(tokens, i + 2, vars);
            let name = t.text.strip_prefix(b"\\").unwrap_or(t.text);
            let keeps_path = ["dirname", "realpath", "rtrim", "trim", "strval"]
                .iter()
                .any(|f| name.eq_ignore_ascii_case(f.as_bytes()));
            if keeps_path {
                out.extend(inner);
            } else {
                out.push(Piece::Unknown);
            }
            skip_to_close(tokens, j)
        }
        TokenKind::Name if tokens.get(i + 1).is_some_and(|n| n.is_punct("::")) => {
            // A class constant or static property.
            out.push(Piece::Unknown);
            (i + 3).min(tokens.len())
        }
        TokenKind::Name => {
            // A constant: __DIR__, __FILE__, FCPATH, ROOT …
            out.push(Piece::Unknown);
            i + 1
        }
        _ => i,
    }
}

/// The literal text after the last interpolation in a double-quoted string or
/// heredoc, escapes decoded: for `"{$dir}/vendor/autoload.php"` this is
/// `/vendor/autoload.php`.
fn literal_tail(text: &[u8]) -> Vec<u8> {
    let body = if text.starts_with(b"<<<") {
        crate::lexer::doc_body(text)
    } else {
        let t = text
            .strip_prefix(b"b")
            .or_else(|| text.strip_prefix(b"B"))
            .unwrap_or(text);
        let t = t.strip_prefix(b"\"").unwrap_or(t);
        t.strip_suffix(b"\"").unwrap_or(t).to_vec()
    };
    let cut = body
        .iter()
        .rposition(|&b| b == b'}' || b == b'$')
        .map_or(0, |p| p + 1);
    let tail = &body[cut..];
    // After `$name` the identifier characters still belong to the variable.
    let skip = if body.get(cut.wrapping_sub(1)) == Some(&b'$') {
        tail.iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count()
    } else {
        0
    };
    crate::lexer::unescape_double(&tail[skip..])
}

/// Given the index of an opening `(` or `[`, returns the index after its match.
fn skip_group(tokens: &[Token<'_>], open: usize) -> usize {
    let mut depth = 0usize;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        if t.is_punct("(") || t.is_punct("[") || t.is_punct("{") {
            depth += 1;
        } else if t.is_punct(")") || t.is_punct("]") || t.is_punct("}") {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return j + 1;
            }
        }
    }
    tokens.len()
}

/// Skips the rest of a parenthesised argument list from `i` to after its `)`.
fn skip_to_close(tokens: &[Token<'_>], i: usize) -> usize {
    let mut depth = 0usize;
    for (j, t) in tokens.iter().enumerate().skip(i) {
        if t.is_punct("(") || t.is_punct("[") {
            depth += 1;
        } else if t.is_punct(")") || t.is_punct("]") {
            if depth == 0 {
                return j + 1;
            }
            depth -= 1;
        } else if t.is_punct(";") || t.kind == TokenKind::CloseTag {
            return j;
        }
    }
    tokens.len()
}

/// Matches an evaluated include target against the include rules.
fn match_include(pieces: &[Piece]) -> Option<&'static str> {
    // The statically known tail of the path, after the last unknown piece.
    let mut tail = Vec::new();
    let mut has_prefix = false;
    for p in pieces {
        match p {
            Piece::Text(t) => tail.extend_from_slice(t),
            Piece::Unknown => {
                tail.clear();
                has_prefix = true;
            }
        }
    }
    let path: String = String::from_utf8_lossy(&tail)
        .replace('\\', "/")
        .to_lowercase();
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    INCLUDE_RULES
        .iter()
        .find(|rule| {
            let want: Vec<&str> = rule.path.split('/').collect();
            if segments.len() < want.len() || segments[segments.len() - want.len()..] != want[..] {
                return false;
            }
            let has_directory = has_prefix || segments.len() > want.len() || path.starts_with('/');
            !rule.needs_directory || has_directory
        })
        .map(|rule| rule.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(src: &str) -> Option<&'static str> {
        find_autoloader(src.as_bytes()).map(|e| e.rule)
    }

    #[test]
    fn recognises_common_forms() {
        assert_eq!(
            rule("<?php require __DIR__.'/../vendor/autoload.php';"),
            Some("composer-autoload")
        );
        assert_eq!(
            rule("<?php require_once dirname(__DIR__).'/vendor/autoload_runtime.php';"),
            Some("symfony-runtime")
        );
        assert_eq!(
            rule("<?php $a = require_once 'autoload.php';"),
            Some("composer-autoload")
        );
        assert_eq!(
            rule("<?php REQUIRE_ONCE(__DIR__ . \"/../VENDOR/AUTOLOAD.PHP\");"),
            Some("composer-autoload")
        );
        assert_eq!(
            rule("<?php \\spl_autoload_register(function ($c) {});"),
            Some("spl-autoload-register")
        );
        assert_eq!(
            rule("<?php $y = dirname(__FILE__).'/../framework/yii.php'; require_once($y);"),
            Some("yii1-framework")
        );
        assert_eq!(
            rule("<?php require \"{$root}/vendor/autoload.php\";"),
            Some("composer-autoload")
        );
        assert_eq!(
            rule("<?php require $paths->systemDirectory . '/Boot.php';"),
            Some("codeigniter-boot")
        );
        assert_eq!(
            rule(
                "<?php $app = require rtrim($p->systemDirectory, '\\\\/ ') . DIRECTORY_SEPARATOR . 'bootstrap.php';"
            ),
            Some("framework-bootstrap")
        );
    }

    #[test]
    fn ignores_non_code() {
        assert_eq!(rule("<?php // require 'vendor/autoload.php';"), None);
        assert_eq!(rule("<?php echo \"require 'vendor/autoload.php';\";"), None);
        assert_eq!(
            rule("<?php $x = <<<EOT\nrequire 'vendor/autoload.php';\nEOT;\n"),
            None
        );
        assert_eq!(rule("require 'vendor/autoload.php';"), None);
        assert_eq!(rule("<?php // x ?> require 'vendor/autoload.php';"), None);
        assert_eq!(
            rule("<?php $o->spl_autoload_register(function () {});"),
            None
        );
        assert_eq!(rule("<?php require 'bootstrap.php';"), None);
        assert_eq!(rule("<?php require 'my_autoload.php';"), None);
    }

    #[test]
    fn detect_root_joins_public() {
        let laravel = b"<?php\nrequire __DIR__.'/../vendor/autoload.php';\n";
        assert_eq!(
            detect_root("/var/www/a/httpdocs/", Some(laravel)).unwrap(),
            "/var/www/a/httpdocs/public"
        );
        assert_eq!(
            detect_root("/var/www/a/httpdocs", None).unwrap(),
            "/var/www/a/httpdocs"
        );
        assert!(detect_root("var/www", None).is_err());
    }
}
