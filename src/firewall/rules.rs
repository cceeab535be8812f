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
    /// The pipeline's node in [`RuleSet::steps`] ([`ROOT`] for no transformation).
    pub node: usize,
    /// The targets any of its rules reads.
    targets: u16,
    /// Whether any of its rules reads single headers.
    single_headers: bool,
    /// Its rules with literals (indexes into `RULES`), in table order.
    pub filtered: Vec<usize>,
    /// The literals of its filtered rules: none present, none of them runs.
    pub literals: LiteralSet,
    /// Its rules without literals, always tried.
    pub unfiltered: Vec<usize>,
}

impl Group {
    /// Whether any rule of the group may read an input of `target`.
    pub fn may_read(&self, target: Target) -> bool {
        self.targets & target.bit() != 0 || (target == Target::Headers && self.single_headers)
    }
}

/// The node of the untransformed value in [`RuleSet::steps`]' tree.
pub(crate) const ROOT: usize = usize::MAX;

/// One step of the tree of pipeline prefixes: a transformation applied to
/// the value of `parent` (pipelines that start alike share their steps, so
/// a value is put through each step once).
pub(crate) struct Step {
    /// The node this step starts from.
    pub parent: usize,
    /// The transformation.
    pub transform: Transform,
    /// Whether this step or one before it lower-cases.
    pub lowers: bool,
}

/// The most distinct literals a rule set may have.
pub(crate) const MAX_LITERALS: usize = 64 * LITERAL_WORDS;
const LITERAL_WORDS: usize = 8;

/// The tree of the pipelines' prefixes (a step's parent before it), and
/// each pipeline's node in it ([`ROOT`] for no transformation).
pub(crate) fn step_tree(pipelines: &[Pipeline]) -> (Vec<Step>, Vec<usize>) {
    let mut steps: Vec<Step> = Vec::new();
    let nodes = pipelines
        .iter()
        .map(|pipeline| {
            let mut node = ROOT;
            for &transform in pipeline.transforms {
                node = match steps
                    .iter()
                    .position(|s| s.parent == node && s.transform == transform)
                {
                    Some(at) => at,
                    None => {
                        let lowers = transform == Transform::Lowercase
                            || (node != ROOT && steps[node].lowers);
                        steps.push(Step {
                            parent: node,
                            transform,
                            lowers,
                        });
                        steps.len() - 1
                    }
                };
            }
            node
        })
        .collect();
    (steps, nodes)
}

/// Which of the rule set's literals occur in a value: a bit per literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LiteralSet([u64; LITERAL_WORDS]);

/// The compiled rules.
pub(crate) struct RuleSet {
    /// One regex per rule, in table order.
    pub regexes: Vec<Regex>,
    /// The groups, in the order of their first rule.
    pub groups: Vec<Group>,
    /// The tree of pipeline prefixes; a step's parent comes before it.
    pub steps: Vec<Step>,
    /// For each target, an automaton over the literals of the rules that
    /// read it, and the global id of each of its patterns (a long URI is
    /// not searched for the literals of rules that never read it).
    scanners: Vec<Option<(AhoCorasick, Vec<usize>)>>,
    /// For each rule, the bits of its literals.
    rule_masks: Vec<LiteralSet>,
}

impl LiteralSet {
    /// Whether the two sets share a literal.
    pub fn meets(&self, other: &LiteralSet) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }
}

impl RuleSet {
    /// The literals of the rules reading `target` that occur in `value`,
    /// ASCII case-insensitively.
    pub fn literals_in(&self, target: Target, value: &[u8]) -> LiteralSet {
        let mut set = LiteralSet([0; LITERAL_WORDS]);
        if let Some((ac, ids)) = &self.scanners[target as usize] {
            for m in ac.find_overlapping_iter(value) {
                let id = ids[m.pattern().as_usize()];
                set.0[id / 64] |= 1 << (id % 64);
            }
        }
        set
    }

    /// Whether one of rule `rule`'s literals is in `present`.
    pub fn prefilter_passes(&self, rule: usize, present: &LiteralSet) -> bool {
        self.rule_masks[rule].meets(present)
    }
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
    let mut literals: Vec<&'static str> = Vec::new();
    let ids: Vec<Vec<usize>> = rules
        .iter()
        .map(|rule| {
            rule.literals
                .iter()
                .map(|literal| {
                    literals
                        .iter()
                        .position(|l| l == literal)
                        .unwrap_or_else(|| {
                            literals.push(literal);
                            literals.len() - 1
                        })
                })
                .collect()
        })
        .collect();
    assert!(
        literals.len() <= MAX_LITERALS,
        "the rules have more than {MAX_LITERALS} distinct literals"
    );
    let rule_masks: Vec<LiteralSet> = ids
        .iter()
        .map(|ids| {
            let mut mask = LiteralSet([0; LITERAL_WORDS]);
            for id in ids {
                mask.0[id / 64] |= 1 << (id % 64);
            }
            mask
        })
        .collect();
    let pipelines = groups(rules);
    let (steps, nodes) = step_tree(&pipelines);
    let groups = pipelines
        .into_iter()
        .zip(nodes)
        .map(|(pipeline, node)| {
            let mut group = Group {
                node,
                targets: 0,
                single_headers: false,
                filtered: Vec::new(),
                literals: LiteralSet([0; LITERAL_WORDS]),
                unfiltered: Vec::new(),
            };
            for index in pipeline.rules {
                let rule = &rules[index];
                group.targets |= rule.targets.iter().fold(0, |acc, t| acc | t.bit());
                group.single_headers |= !rule.headers.is_empty();
                if rule.literals.is_empty() {
                    group.unfiltered.push(index);
                } else {
                    group.filtered.push(index);
                    for (word, bits) in group.literals.0.iter_mut().zip(rule_masks[index].0) {
                        *word |= bits;
                    }
                }
            }
            group
        })
        .collect();
    let scanners = Target::ALL
        .iter()
        .map(|&(target, _)| {
            let mut ids: Vec<usize> = rules
                .iter()
                .zip(&ids)
                .filter(|(r, _)| {
                    r.targets.contains(&target)
                        || (target == Target::Headers && !r.headers.is_empty())
                })
                .flat_map(|(_, ids)| ids.iter().copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                return None;
            }
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(ids.iter().map(|&id| literals[id]))
                .expect("the literals build an automaton");
            Some((ac, ids))
        })
        .collect();
    RuleSet {
        regexes,
        groups,
        steps,
        scanners,
        rule_masks,
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
            .map(|g| g.unfiltered.len() + g.filtered.len())
            .sum();
        assert_eq!(grouped, RULES.len(), "every rule is in one group");
    }

    #[test]
    fn the_literals_fit_a_literal_set() {
        let mut literals: Vec<&str> = RULES
            .iter()
            .flat_map(|r| r.literals.iter().copied())
            .collect();
        literals.sort_unstable();
        literals.dedup();
        assert!(literals.len() <= MAX_LITERALS, "{}", literals.len());
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
