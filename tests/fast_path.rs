//! The fast scan skips work that cannot find anything (rules whose literals
//! occur only in comments, views nobody reads, the PHP analysis where no
//! sink can report). These tests prove that it finds exactly what the plain
//! scan (`malware::reference`, every step in full) finds: same kind, hash,
//! findings (rule, category, severity, description, line, snippet) and
//! sample (also when the hash is taken only for findings), and the same
//! signature matches, on the corpus under every file
//! name, on generated PHP-ish inputs, on mutated corpus files, and on the
//! real code bases (required when WEBTOTEM_REAL_CODE=1); and that wherever
//! the analysis gate (`malware::php_gate`) skips the analysis, the
//! analysis would have found nothing.

#[path = "common/code_bases.rs"]
mod code_bases;

use std::path::Path;
use webtotem::lexer::{LexOptions, Lexer, Token};
use webtotem::malware::{php, php_gate, reference, scan};

/// File names that choose every rule set.
const NAMES: &[&str] = &[
    "x.php",
    "x.js",
    "x.txt",
    "x.gif",
    "x.html",
    ".htaccess",
    "x.inc",
    "README",
];

fn assert_same(name: &str, data: &[u8]) {
    let fast = scan::scan_contents(name, name.as_bytes(), data);
    let plain = reference::scan_contents(name, name.as_bytes(), data);
    let context = || {
        format!(
            "{name}: {:?}",
            String::from_utf8_lossy(&data[..data.len().min(300)])
        )
    };
    assert_eq!(fast.kind, plain.kind, "{}", context());
    assert_eq!(fast.sha256, plain.sha256, "{}", context());
    assert_eq!(fast.findings, plain.findings, "{}", context());
    assert_eq!(fast.sample, plain.sample, "{}", context());
    // Without a baseline the hash is taken only for findings; nothing else changes.
    let unhashed = scan::scan_unhashed(name, name.as_bytes(), data);
    assert_eq!(unhashed.findings, plain.findings, "{}", context());
    assert_eq!(unhashed.sample, plain.sample, "{}", context());
    assert_eq!(
        unhashed.sha256.is_empty(),
        plain.findings.is_empty(),
        "{}",
        context()
    );
    assert_eq!(
        scan::signature_matches(name.as_bytes(), data),
        reference::signature_matches(name.as_bytes(), data),
        "{}",
        context()
    );
}

/// Where the analysis gate says "nothing to find", the analysis finds
/// nothing: no finding, no payload, no dynamic execution (lexed as a file
/// and as eval'd code).
fn assert_gate_sound(data: &[u8]) {
    for start_in_code in [false, true] {
        let options = LexOptions {
            start_in_code,
            ..LexOptions::default()
        };
        let tokens: Vec<Token<'_>> = Lexer::new(data, options).filter(php::is_code).collect();
        if !php_gate::may_act(&tokens) {
            let a = php::analyse_code(&tokens);
            assert!(
                a.findings.is_empty() && a.payloads.is_empty() && !a.dynamic_execution,
                "the gate hides {:?} in {:?}",
                a.findings,
                String::from_utf8_lossy(data)
            );
        }
    }
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces of PHP, of the rules' literals and of the analysis's triggers,
/// in and out of comments and strings.
const FRAGMENTS: &[&str] = &[
    "<?php ",
    "?>",
    "'",
    "\"",
    "{$",
    "}",
    "<<<",
    "EOT\n",
    "'N'\n",
    "/*",
    "*/",
    "//",
    "#",
    "\n",
    "\\",
    "$a",
    "`",
    " ",
    "(",
    ")",
    ";",
    "=",
    ".",
    ",",
    "[",
    "]",
    "->",
    "::",
    "?",
    ":",
    "??",
    "<?=",
    "b\"",
    "$_GET['x']",
    "$_POST",
    "$_REQUEST",
    "$_COOKIE",
    "$_SERVER['HTTP_X']",
    "$_FILES['f']['name']",
    "$_FILES['f']['tmp_name']",
    "$GLOBALS['a']",
    "$GLOBALS['_GET']",
    "${'_GET'}",
    "$$n",
    "eval",
    "assert",
    "system",
    "exec",
    "include",
    "require_once",
    "copy",
    "rename",
    "mail",
    "fwrite",
    "fputs",
    "fopen",
    "file_put_contents",
    "file_get_contents",
    "getenv('HTTP_X')",
    "getallheaders()",
    "'php://input'",
    "base64_decode",
    "gzinflate",
    "str_rot13",
    "strrev",
    "chr(104)",
    "implode",
    "'http://evil.example/x'",
    "'data:,x'",
    "' HT'",
    "'tp://'",
    "$f",
    "$f(",
    "$f = ",
    "$u = 'ht'; ",
    "extract($_REQUEST);",
    "global $x;",
    "function f($a) {",
    "function() {",
    "fn($x) => ",
    "preg_replace('/x/e',",
    "create_function",
    "array_map(",
    "call_user_func(",
    "usort(",
    "move_uploaded_file(",
    "'w'",
    "\\x41",
    "goto a;",
    "$O0O0",
    "$OO00",
    "$O00O",
    "$OOO0",
    "$_0O0",
    "DIRECTORY_SEPARATOR",
    "PHP_EOL",
    "(string)",
    "(int)",
    "@",
    "new ",
    "__halt_compiler();",
    "foreach ($_POST as $k => $v)",
    "display:none",
    "left :",
    "top :",
    "<iframe src=//x width=0>",
    "<script",
    "fromCharCode",
    "document.write(unescape('%41%41%41%41%41%41%41%41%41'))",
    "eval(function(p,a,c,k,e,d)",
    "_0x1234",
    "alfa shell",
    "wso shell",
    "FilesMan",
    "Copyright",
    "#\n",
    "#?>",
    "# x\r",
    "'eval($_GET[1])'",
    "/* eval($_POST[1]) */",
    "AddHandler php5-script .jpg",
];

fn generated(rng: &mut Rng, corpus: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut src = Vec::new();
    if rng.below(3) != 0 {
        src.extend_from_slice(b"<?php ");
    }
    for _ in 0..rng.below(60) {
        if rng.below(20) == 0 {
            let (_, d) = &corpus[rng.below(corpus.len())];
            let at = rng.below(d.len().max(1));
            src.extend_from_slice(&d[at.min(d.len())..(at + 200).min(d.len())]);
        } else {
            src.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes());
        }
    }
    src
}

fn mutated(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    let mut m = data.to_vec();
    for _ in 0..=rng.below(8) {
        if m.is_empty() {
            break;
        }
        let at = rng.below(m.len());
        match rng.below(4) {
            0 => {
                m.remove(at);
            }
            1 => {
                let f = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                m.splice(at..at, f.iter().copied());
            }
            2 => m[at] = rng.next() as u8,
            _ => {
                let end = (at + rng.below(50)).min(m.len());
                m.drain(at..end);
            }
        }
    }
    m
}

#[test]
fn corpus_under_every_name() {
    for (name, data) in corpus() {
        assert_gate_sound(&data);
        assert_same(&name, &data);
        for alt in NAMES {
            assert_same(alt, &data);
        }
    }
}

#[test]
fn generated_and_mutated_inputs() {
    let corpus = corpus();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let src = generated(&mut rng, &corpus);
        assert_gate_sound(&src);
        assert_same(NAMES[rng.below(NAMES.len())], &src);
    }
    for (name, data) in &corpus {
        for _ in 0..20 {
            let m = mutated(&mut rng, data);
            assert_gate_sound(&m);
            assert_same(name, &m);
        }
    }
}

#[test]
fn real_code_bases() {
    let required = std::env::var("WEBTOTEM_REAL_CODE").is_ok_and(|v| v == "1");
    let mut files = 0;
    for path in code_bases::files(false, |_| true) {
        if let Ok(data) = std::fs::read(&path) {
            assert_gate_sound(&data);
            assert_same(&path.to_string_lossy(), &data);
            files += 1;
        }
    }
    assert!(!required || files > 30_000, "only {files} files");
}
