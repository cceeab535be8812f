//! The signature rules as PHP `preg_*` patterns.
//!
//! Rule patterns are written in the regex crate's syntax, kept to the part
//! that PCRE reads the same way, and compiled with byte semantics
//! (`unicode(false)`), as PCRE without the `u` flag. [`to_pcre`] delimits a
//! pattern with `~` and refuses the constructs whose meaning differs, so a
//! rule that PCRE would read differently fails the tests instead of
//! silently matching something else in the agent.

/// `pattern` as a PHP preg pattern `~…~D`: `~` escaped, and the `D`
/// modifier so that `$` without `(?m)` means the end of the text only, as
/// in the regex crate. Refuses (with the reason) what PCRE reads differently:
/// Unicode classes and escapes, `\<`/`\>` and `\b{…}` word boundaries,
/// `\x{…}`, nested classes and class set operations, `{,n}`, the `u` and `R`
/// flags, and non-ASCII characters.
pub fn to_pcre(pattern: &str) -> Result<String, String> {
    if !pattern.is_ascii() {
        return Err("non-ASCII characters".into());
    }
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 4);
    out.push('~');
    // Inside a character class: the index where its items start.
    let mut class: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        match c {
            b'\\' => {
                let Some(e) = next else {
                    return Err("a trailing backslash".into());
                };
                match e {
                    b'p' | b'P' | b'u' | b'U' => {
                        return Err(format!("the escape \\{}", e as char));
                    }
                    b'<' | b'>' => return Err(format!("the word boundary \\{}", e as char)),
                    b'b' | b'B' if bytes.get(i + 2) == Some(&b'{') => {
                        return Err("a \\b{…} word boundary".into());
                    }
                    b'x' if bytes.get(i + 2) == Some(&b'{') => {
                        return Err("a \\x{…} escape".into());
                    }
                    _ => {}
                }
                // An escaped `~` stays as it is: `\~` is a literal `~` in PCRE too.
                out.push('\\');
                out.push(e as char);
                i += 2;
                continue;
            }
            b'~' if class.is_some_and(|start| i > start) && next == Some(b'~') => {
                return Err("the class operation ~~".into());
            }
            b'~' => out.push_str("\\~"),
            b'[' if class.is_none() => {
                // A `]` right after `[` or `[^` is a literal in both syntaxes.
                let mut start = i + 1;
                if bytes.get(start) == Some(&b'^') {
                    start += 1;
                }
                if bytes.get(start) == Some(&b']') {
                    out.push_str(&pattern[i..=start]);
                    class = Some(start + 1);
                    i = start + 1;
                    continue;
                }
                class = Some(start);
                out.push('[');
            }
            b'[' => {
                // Only a POSIX class `[:name:]` may open inside a class.
                let rest = &pattern[i..];
                let Some(end) = rest.strip_prefix("[:").and_then(|r| r.find(":]")) else {
                    return Err("a nested character class".into());
                };
                out.push_str(&rest[..end + 4]);
                i += end + 4;
                continue;
            }
            b']' if class.is_some() => {
                class = None;
                out.push(']');
            }
            b'&' | b'-' if class.is_some() && next == Some(c) => {
                return Err(format!("the class operation {0}{0}", c as char));
            }
            b'{' if class.is_none() && next == Some(b',') => {
                return Err("a {,n} repetition".into());
            }
            b'(' if class.is_none() && next == Some(b'?') => {
                let flags: String = pattern[i + 2..]
                    .chars()
                    .take_while(|f| f.is_ascii_alphabetic() || *f == '-')
                    .collect();
                if let Some(f) = flags.chars().find(|f| matches!(f, 'u' | 'R')) {
                    return Err(format!("the flag {f}"));
                }
                out.push('(');
            }
            _ => out.push(c as char),
        }
        i += 1;
    }
    if class.is_some() {
        return Err("an unclosed character class".into());
    }
    out.push_str("~D");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::malware::rules::definitions;

    #[test]
    fn every_rule_has_a_pcre_form() {
        for rule in definitions() {
            let p = to_pcre(rule.pattern).unwrap_or_else(|e| panic!("{}: {e}", rule.id));
            assert!(p.starts_with('~') && p.ends_with("~D"), "{p}");
        }
    }

    #[test]
    fn every_pcre_form_compiles_in_php() {
        // The real PHP, when there is one (CI has it); PHPUnit checks it too
        // through the agent's `ping`.
        let patterns: Vec<String> = definitions()
            .iter()
            .map(|r| {
                format!(
                    "{} => {}",
                    crate::agent::php_string_literal(r.id),
                    crate::agent::php_string_literal(&to_pcre(r.pattern).unwrap())
                )
            })
            .collect();
        let code = format!(
            "foreach ([{}] as $id => $p) {{ if (@preg_match($p, '') === false) {{ echo $id, ' '; }} }} echo 'checked';",
            patterns.join(", ")
        );
        let Ok(out) = std::process::Command::new("php")
            .args(["-n", "-r", &code])
            .output()
        else {
            eprintln!("php not found: skipped");
            return;
        };
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "checked",
            "rules that do not compile"
        );
    }

    #[test]
    fn escapes_the_delimiter_once() {
        assert_eq!(to_pcre("a~b").unwrap(), r"~a\~b~D");
        assert_eq!(to_pcre(r"a\~b").unwrap(), r"~a\~b~D");
        assert_eq!(to_pcre(r"a\\~b").unwrap(), r"~a\\\~b~D");
        assert_eq!(to_pcre("[~]").unwrap(), r"~[\~]~D");
        assert_eq!(
            to_pcre(r"(?is)x\s+[^\n]{0,9}?$").unwrap(),
            r"~(?is)x\s+[^\n]{0,9}?$~D"
        );
        assert_eq!(
            to_pcre("[]a][^]b][[:alpha:]_]").unwrap(),
            "~[]a][^]b][[:alpha:]_]~D"
        );
    }

    #[test]
    fn refuses_what_pcre_reads_differently() {
        for bad in [
            r"\pL",
            r"\p{Greek}",
            r"\<word\>",
            r"\b{start}x",
            r"\x{263a}",
            r"\u00e9",
            "[a[bc]]",
            "[a&&b]",
            "[a--b]",
            "[a~~b]",
            "x{,3}",
            "(?u)x",
            "(?Ri:x)",
            "é",
            "[abc",
            "abc\\",
        ] {
            assert!(to_pcre(bad).is_err(), "{bad:?} gave {:?}", to_pcre(bad));
        }
    }
}
