//! The firewall against the team's corpus, `tests/corpus/waf/` (see its
//! README.md): at the default options every attack is blocked and named
//! with its file's class (an attack marked with a higher `paranoia`: at
//! that level), and no benign request is blocked.

#[path = "common/waf_corpora.rs"]
mod waf_corpora;

use waf_corpora::team_corpus;
use webtotem::firewall::rules::Class;
use webtotem::firewall::{Options, inspect};

#[test]
fn every_attack_is_blocked_with_its_class() {
    let corpus = team_corpus().unwrap();
    let options = Options::default();
    let mut wrong = Vec::new();
    let mut attacks = 0;
    for entry in corpus.iter().filter(|e| e.class.is_some()) {
        attacks += 1;
        let class = entry.class.as_deref().unwrap();
        assert!(
            Class::ALL.iter().any(|(_, n)| *n == class),
            "{}: unknown class {class}",
            entry.id
        );
        let v = inspect(
            &entry.request,
            &Options {
                paranoia: entry.paranoia,
                ..options.clone()
            },
        );
        if !v.blocked || v.class != Some(class) {
            wrong.push(format!(
                "{}: blocked {} class {:?} rules {:?}",
                entry.id, v.blocked, v.class, v.rules
            ));
        }
    }
    assert!(attacks >= 100, "only {attacks} attacks");
    assert!(
        wrong.is_empty(),
        "{} of {attacks} attacks missed or misnamed:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_class_has_attacks() {
    let corpus = team_corpus().unwrap();
    for (_, class) in Class::ALL {
        let n = corpus
            .iter()
            .filter(|e| e.class.as_deref() == Some(class))
            .count();
        assert!(n >= 3, "only {n} attacks of class {class}");
    }
}

#[test]
fn no_benign_request_is_blocked() {
    let corpus = team_corpus().unwrap();
    let options = Options::default();
    let benign: Vec<_> = corpus.iter().filter(|e| e.class.is_none()).collect();
    assert!(benign.len() >= 40, "only {} benign requests", benign.len());
    let blocked: Vec<String> = benign
        .iter()
        .filter_map(|entry| {
            let v = inspect(&entry.request, &options);
            v.blocked.then(|| format!("{}: {:?}", entry.id, v.matches))
        })
        .collect();
    assert!(
        blocked.is_empty(),
        "{} benign requests blocked:\n{}",
        blocked.len(),
        blocked.join("\n")
    );
}
