//! The firewall's rules, compiled once per process from `rules/waf/*.toml`
//! (validated at build time).
//!
//! Rules that share a transformation pipeline form a group: a value is
//! transformed once per group, and one Aho-Corasick automaton over the
//! group's literals picks the rules whose regex runs, so the cost of an
//! inspection grows with the request, not with the number of rules.

use super::request::Target;
use super::transform::Transform;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::{Regex, RegexBuilder};
use serde::Serialize;
use std::sync::OnceLock;

/// An attack class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// SQL injection.
    Sqli,
    /// Cross-site scripting.
    Xss,
    /// OS command injection.
    Rce,
    /// PHP code injection.
    Php,
    /// PHP object injection (`unserialize` of request data).
    ObjectInjection,
    /// Server-side template injection and other interpreter injections.
    Ssti,
    /// Java attacks: Log4Shell lookups, deserialization, expression languages.
    Java,
    /// Shellshock: function definitions in headers.
    Shellshock,
    /// Remote file inclusion.
    Rfi,
    /// Path traversal and local file inclusion.
    Lfi,
    /// Vulnerability scanners and bad bots.
    Scanner,
    /// Protocol abuse: smuggling, CRLF injection, malformed requests.
    Protocol,
}

impl Class {
    /// Every class with its name, in the order ties are broken: the classes
    /// that run code first, then file access, then probes.
    pub const ALL: [(Class, &'static str); 12] = [
        (Class::Sqli, "sqli"),
        (Class::Xss, "xss"),
        (Class::Rce, "rce"),
        (Class::Php, "php"),
        (Class::ObjectInjection, "object-injection"),
        (Class::Ssti, "ssti"),
        (Class::Java, "java"),
        (Class::Shellshock, "shellshock"),
        (Class::Rfi, "rfi"),
        (Class::Lfi, "lfi"),
        (Class::Scanner, "scanner"),
        (Class::Protocol, "protocol"),
    ];

    /// Its name in rule files, verdicts and logs.
    pub fn name(self) -> &'static str {
        Class::ALL[self as usize].1
    }
}

/// One rule as compiled from `rules/waf/*.toml`.
#[derive(Debug)]
pub struct RuleDef {
    /// Unique id.
    pub id: &'static str,
    /// The attack class a match points to.
    pub class: Class,
    /// What a match means, in words.
    pub description: &'static str,
    /// The parts of the request it reads.
    pub targets: &'static [Target],
    /// Single headers it reads (lower-case names), besides `targets`.
    pub headers: &'static [&'static str],
    /// Applied in order before the pattern runs.
    pub transforms: &'static [Transform],
    /// Lower-case literals, one of which (ASCII case-insensitively) must
    /// occur in the transformed value for the pattern to be tried; none:
    /// the pattern is always tried.
    pub literals: &'static [&'static str],
    /// The pattern (regex crate syntax, kept PCRE-compatible), with byte
    /// semantics (`unicode(false)`).
    pub pattern: &'static str,
    /// The anomaly score a match adds.
    pub score: u32,
    /// The lowest paranoia level at which it runs (1–4).
    pub paranoia: u8,
}

include!(concat!(env!("OUT_DIR"), "/firewall_rules.rs"));

/// Every rule of this build, in table order (files by name, then as written).
pub fn definitions() -> &'static [RuleDef] {
    RULES
}

impl RuleDef {
    /// Whether the rule reads an input of `target` named `name`.
    pub fn reads(&self, target: Target, name: &[u8]) -> bool {
        self.targets.contains(&target)
            || (target == Target::Headers && self.headers.iter().any(|h| h.as_bytes() == name))
    }
}

/// One rule as `webtotem_waf_rules()` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleInfo {
    /// Unique id.
    pub id: &'static str,
    /// The attack class.
    pub class: &'static str,
    /// What a match means.
    pub description: &'static str,
    /// The parts of the request it reads (`header:NAME` for one header).
    pub targets: Vec<String>,
    /// The transformations, in order.
    pub transforms: Vec<&'static str>,
    /// The score a match adds.
    pub score: u32,
    /// The lowest paranoia level it runs at.
    pub paranoia: u8,
}

/// The rule set as `webtotem_waf_rules()` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleList {
    /// Every rule, in table order.
    pub rules: Vec<RuleInfo>,
    /// The class names, in the order ties are broken.
    pub classes: Vec<&'static str>,
    /// The transformation names.
    pub transforms: Vec<&'static str>,
}

impl RuleList {
    /// The rules of this build.
    pub fn current() -> RuleList {
        RuleList {
            rules: RULES
                .iter()
                .map(|r| RuleInfo {
                    id: r.id,
                    class: r.class.name(),
                    description: r.description,
                    targets: r
                        .targets
                        .iter()
                        .map(|t| t.name().to_string())
                        .chain(r.headers.iter().map(|h| format!("header:{h}")))
                        .collect(),
                    transforms: r.transforms.iter().map(|t| t.name()).collect(),
                    score: r.score,
                    paranoia: r.paranoia,
                })
                .collect(),
            classes: Class::ALL.iter().map(|(_, n)| *n).collect(),
            transforms: super::transform::ALL.iter().map(|(_, n)| *n).collect(),
        }
    }
}

/// The rules of one transformation pipeline: the grouping the engine and
/// the PHP agent share.
pub struct Pipeline {
    /// The transformations, in order.
    pub transforms: &'static [Transform],
    /// The rules (indexes into `rules`), in table order.
    pub rules: Vec<usize>,
}

/// `rules` grouped by transformation pipeline, in the order of each
/// pipeline's first rule.
pub fn groups(rules: &'static [RuleDef]) -> Vec<Pipeline> {
    let mut out: Vec<Pipeline> = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        match out.iter_mut().find(|p| p.transforms == rule.transforms) {
            Some(p) => p.rules.push(index),
            None => out.push(Pipeline {
                transforms: rule.transforms,
                rules: vec![index],
            }),
        }
    }
    out
}

/// Rules sharing one transformation pipeline.
pub(crate) struct Group {
    /// The pipeline.
    pub transforms: &'static [Transform],
    /// The targets any of its rules reads.
    targets: u16,
    /// Whether any of its rules reads single headers.
    single_headers: bool,
    /// The automaton over its rules' literals, if any has literals.
    prefilter: Option<AhoCorasick>,
    /// For each automaton pattern, the rules (indexes into `RULES`) it belongs to.
    literal_rules: Vec<Vec<usize>>,
    /// The rules without literals.
    pub unfiltered: Vec<usize>,
}

impl Group {
    /// Whether any rule of the group may read an input of `target`.
    pub fn may_read(&self, target: Target) -> bool {
        self.targets & target.bit() != 0 || (target == Target::Headers && self.single_headers)
    }

    /// Calls `found` with every rule whose literal occurs in `value` (a
    /// rule may come more than once).
    pub fn candidates(&self, value: &[u8], mut found: impl FnMut(usize)) {
        for &rule in &self.unfiltered {
            found(rule);
        }
        if let Some(ac) = &self.prefilter {
            for m in ac.find_overlapping_iter(value) {
                for &rule in &self.literal_rules[m.pattern().as_usize()] {
                    found(rule);
                }
            }
        }
    }
}

/// The compiled rules.
pub(crate) struct RuleSet {
    /// One regex per rule, in table order.
    pub regexes: Vec<Regex>,
    /// The groups, in the order of their first rule.
    pub groups: Vec<Group>,
}

/// The rules compiled once per process.
pub(crate) fn rule_set() -> &'static RuleSet {
    static SET: OnceLock<RuleSet> = OnceLock::new();
    SET.get_or_init(|| compile(RULES))
}

fn compile(rules: &'static [RuleDef]) -> RuleSet {
    let regexes = rules
        .iter()
        .map(|r| {
            RegexBuilder::new(r.pattern)
                .unicode(false)
                .size_limit(1 << 22)
                .build()
                .expect("rules are validated by build.rs")
        })
        .collect();
    let mut compiled = Vec::new();
    for pipeline in groups(rules) {
        let mut group = Group {
            transforms: pipeline.transforms,
            targets: 0,
            single_headers: false,
            prefilter: None,
            literal_rules: Vec::new(),
            unfiltered: Vec::new(),
        };
        let mut literals: Vec<&'static str> = Vec::new();
        for index in pipeline.rules {
            let rule = &rules[index];
            group.targets |= rule.targets.iter().fold(0, |acc, t| acc | t.bit());
            group.single_headers |= !rule.headers.is_empty();
            if rule.literals.is_empty() {
                group.unfiltered.push(index);
                continue;
            }
            for literal in rule.literals {
                match literals.iter().position(|l| *l == *literal) {
                    Some(p) => group.literal_rules[p].push(index),
                    None => {
                        literals.push(literal);
                        group.literal_rules.push(vec![index]);
                    }
                }
            }
        }
        if !literals.is_empty() {
            group.prefilter = Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&literals)
                    .expect("the literals build an automaton"),
            );
        }
        compiled.push(group);
    }
    RuleSet {
        regexes,
        groups: compiled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles_and_ids_are_unique() {
        let set = rule_set();
        assert_eq!(set.regexes.len(), RULES.len());
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        let grouped: usize = set
            .groups
            .iter()
            .map(|g| {
                g.unfiltered.len()
                    + g.literal_rules
                        .iter()
                        .flatten()
                        .collect::<std::collections::BTreeSet<_>>()
                        .len()
            })
            .sum();
        assert!(grouped >= RULES.len(), "every rule is in a group");
    }

    #[test]
    fn class_names_are_in_order() {
        for (i, (class, name)) in Class::ALL.iter().enumerate() {
            assert_eq!(*class as usize, i);
            assert_eq!(class.name(), *name);
        }
    }

    #[test]
    fn every_class_and_paranoia_level_one_has_rules() {
        for (class, name) in Class::ALL {
            assert!(
                RULES.iter().any(|r| r.class == class && r.paranoia == 1),
                "no level-1 rule for {name}"
            );
        }
    }
}
