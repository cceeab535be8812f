//! Scanning any file under any of the main file names gives findings with a
//! line inside the file and a short, printable snippet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webtotem::malware::scan::scan_contents;

const NAMES: &[&str] = &["x.php", "x.js", ".htaccess", "x.gif", "x.txt", "x.html"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let scan = scan_contents(name, name.as_bytes(), body);
    let lines = body.iter().filter(|&&b| b == b'\n').count() + 1;
    for f in &scan.findings {
        assert!(
            f.line >= 1 && f.line as usize <= lines + 1,
            "{}: line {} outside 1..={}",
            f.rule,
            f.line,
            lines + 1
        );
        let chars = f.snippet.chars().count();
        assert!(
            chars <= 162,
            "{}: snippet of {chars} chars: {:?}",
            f.rule,
            f.snippet
        );
        assert!(
            !f.snippet.chars().any(char::is_control),
            "{}: control character in snippet {:?}",
            f.rule,
            f.snippet
        );
    }
});
