//! The firewall's rules, compiled once per process from `rules/waf/*.toml`
//! (validated at build time).
//!
//! Rules that share a transformation pipeline form a group, and pipelines
//! that share a prefix share its steps (a trie), so a value is transformed
//! once per distinct step. One automaton over every rule's literals
//! ([`LiteralDfa`]) finds the literals in each distinct transformed value,
//! and only the rules with a literal there run their regex: the cost of an
//! inspection grows with the request, not with the number of rules. Each
//! part of the request also has a [`Plan`]: for a value that none of its
//! rules' pipelines can change beyond lower-casing, one scan of the value
//! as it is picks the rules to run.

use super::literal_dfa::LiteralDfa;
use super::request::Target;
use super::transform::{ChangeMask, Transform, change_mask};
use foldhash::HashMap;
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

/// One step of the transformation trie: the value of `parent` (the input
/// itself when `None`) with `transform` applied. Pipelines that share a
/// prefix share its nodes, so an input is transformed once per prefix.
pub(crate) struct Node {
    /// The node this one transforms further; `None`: the raw input.
    pub parent: Option<usize>,
    /// The transformation applied.
    pub transform: Transform,
}

/// Rules sharing one transformation pipeline.
pub(crate) struct Group {
    /// The trie node whose value the group's rules read; `None`: the raw
    /// input (an empty pipeline).
    pub node: Option<usize>,
    /// What lets its pipeline change a value, lower-casing aside.
    pub change_mask: ChangeMask,
    /// Whether its pipeline lower-cases.
    pub lowercases: bool,
    /// The targets any of its rules reads.
    targets: u16,
    /// The single headers any of its rules reads.
    headers: Vec<&'static str>,
    /// Its rules (indexes into `RULES`), in table order.
    pub rules: Vec<usize>,
    /// Its rules without literals: they always run.
    unfiltered: Vec<usize>,
    /// For each literal, its rules in this group.
    by_literal: LiteralTable,
}

/// For each literal of the rule set (by its index), the rules of a group
/// or plan that hold it, in table order, each as its owner packs it.
#[derive(Default)]
struct LiteralTable {
    /// The entries of literal `l` are `entries[start[l]..start[l + 1]]`.
    start: Vec<u32>,
    entries: Vec<u32>,
}

impl LiteralTable {
    /// The table of the rules `reading` (in table order); `index` numbers
    /// every literal; `pack` makes a rule's entry.
    fn new(
        rules: &[RuleDef],
        reading: &[usize],
        index: &HashMap<&'static str, usize>,
        pack: impl Fn(usize) -> u32,
    ) -> LiteralTable {
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); index.len()];
        for &i in reading {
            for literal in rules[i].literals {
                let list = &mut lists[index[literal]];
                if list.last() != Some(&pack(i)) {
                    list.push(pack(i));
                }
            }
        }
        let mut table = LiteralTable {
            start: vec![0],
            entries: Vec::new(),
        };
        for list in lists {
            table.entries.extend(list);
            table.start.push(table.entries.len() as u32);
        }
        table
    }

    /// Calls `found` with the entries of every literal in `present`.
    fn each(&self, present: &[u32], mut found: impl FnMut(u32)) {
        for &literal in present {
            let literal = literal as usize;
            let (from, to) = (
                self.start[literal] as usize,
                self.start[literal + 1] as usize,
            );
            for &entry in &self.entries[from..to] {
                found(entry);
            }
        }
    }
}

impl Group {
    /// Calls `found` with every rule of the group that may match a value
    /// holding the literals `present` (from [`RuleSet::literals_in`]): the
    /// rules without literals and those with a literal there. A rule may
    /// come more than once.
    pub fn candidates(&self, present: &[u32], mut found: impl FnMut(usize)) {
        for &rule in &self.unfiltered {
            found(rule);
        }
        self.by_literal.each(present, |rule| found(rule as usize));
    }
}

/// What the rules reading one kind of input (a part of the request, or one
/// header that some rules read by name) need from a value that none of
/// their pipelines can change beyond lower-casing: such a value is scanned
/// once, as it is, and each rule with a literal there reads it as it is or
/// lower-cased. Most values of an ordinary request are of that kind.
pub(crate) struct Plan {
    /// What lets any of its rules' pipelines change a value, lower-casing
    /// aside.
    pub change_mask: ChangeMask,
    /// Its rules without literals, as `rule << 1 | lowercases`.
    unfiltered: Vec<u32>,
    /// For each literal, its rules with it, packed as in `unfiltered`.
    by_literal: LiteralTable,
}

impl Plan {
    /// Calls `found(rule, lowercases)` for every rule of the plan that may
    /// match a value holding the literals `present`: the rules without
    /// literals and those with a literal there. A rule may come more than
    /// once.
    pub fn candidates(&self, present: &[u32], mut found: impl FnMut(usize, bool)) {
        let mut call = |packed: u32| found((packed >> 1) as usize, packed & 1 != 0);
        for &packed in &self.unfiltered {
            call(packed);
        }
        self.by_literal.each(present, call);
    }

    /// The plan of the rules `reading` (indexes into `rules`, in table
    /// order); `index` numbers every literal.
    fn new(rules: &[RuleDef], reading: &[usize], index: &HashMap<&'static str, usize>) -> Plan {
        let packed = |i: usize| (i as u32) << 1 | u32::from(lowercases(rules[i].transforms));
        let mut plan = Plan {
            change_mask: ChangeMask::default(),
            unfiltered: Vec::new(),
            by_literal: LiteralTable::new(rules, reading, index, packed),
        };
        for &i in reading {
            plan.change_mask = plan.change_mask.with(change_mask(rules[i].transforms));
            if rules[i].literals.is_empty() {
                plan.unfiltered.push(packed(i));
            }
        }
        plan
    }
}

/// Whether a pipeline's result is lower-case (it lower-cases, or folds the
/// command line, which lower-cases too).
fn lowercases(transforms: &[Transform]) -> bool {
    transforms
        .iter()
        .any(|t| matches!(t, Transform::Lowercase | Transform::CmdLine))
}

/// The compiled rules.
pub(crate) struct RuleSet {
    /// One regex per rule, in table order.
    pub regexes: Vec<Regex>,
    /// The groups, in the order of their first rule.
    pub groups: Vec<Group>,
    /// The transformation trie; a node's parent comes before it.
    pub nodes: Vec<Node>,
    /// One automaton over every rule's literals (ASCII case-insensitive),
    /// if any rule has literals; walked a byte at a time by
    /// [`RuleSet::literals_in`].
    prefilter: Option<LiteralDfa>,
    /// For each rule, the bits of the targets it reads.
    target_bits: Vec<u16>,
    /// For each target (by its number), the groups with a rule that reads
    /// all of its inputs.
    by_target: Vec<Vec<usize>>,
    /// The groups with a rule that reads one header, with its name.
    by_header: Vec<(&'static str, usize)>,
    /// For each target (by its number), the plan of the rules reading all
    /// of its inputs.
    plans: Vec<Plan>,
    /// For each header some rule reads by name, the plan of the rules
    /// reading it (those reading every header among them).
    header_plans: Vec<(&'static str, Plan)>,
}

impl RuleSet {
    /// Whether rule `rule` reads an input of `target` named `name`
    /// ([`RuleDef::reads`], faster).
    pub fn reads(&self, rule: usize, target: Target, name: &[u8]) -> bool {
        self.target_bits[rule] & target.bit() != 0
            || (target == Target::Headers
                && RULES[rule].headers.iter().any(|h| h.as_bytes() == name))
    }

    /// Appends the literals that occur in `value` (ignoring ASCII case) to
    /// `found`, each once; `seen` is a buffer.
    pub fn literals_in(&self, value: &[u8], found: &mut Vec<u32>, seen: &mut Vec<u64>) {
        if let Some(dfa) = &self.prefilter {
            dfa.find_all(value, found, seen);
        }
    }

    /// The plan of the rules reading an input of `target` named `name`.
    pub fn plan(&self, target: Target, name: &[u8]) -> &Plan {
        let named = (target == Target::Headers)
            .then(|| self.header_plans.iter().find(|(h, _)| h.as_bytes() == name))
            .flatten();
        match named {
            Some((_, plan)) => plan,
            None => &self.plans[target as usize],
        }
    }

    /// Calls `group` with the index of every group that may read an input
    /// of `target` named `name`, each once.
    pub fn groups_reading(&self, target: Target, name: &[u8], mut group: impl FnMut(usize)) {
        let all = &self.by_target[target as usize];
        for &g in all {
            group(g);
        }
        if target == Target::Headers {
            for &(header, g) in &self.by_header {
                if header.as_bytes() == name && !all.contains(&g) {
                    group(g);
                }
            }
        }
    }
}

static SET: OnceLock<RuleSet> = OnceLock::new();

/// The rules compiled once per process.
pub(crate) fn rule_set() -> &'static RuleSet {
    SET.get_or_init(|| compile(RULES))
}

/// Compiles the rules now rather than at the first inspection (about
/// 0.1 s of regex and automaton building).
pub fn compile_now() {
    rule_set();
}

/// Whether the rules are compiled in this process.
pub fn compiled() -> bool {
    SET.get().is_some()
}

/// Whether PHP's server API `sapi` (its `sapi_module.name`) serves many
/// requests from processes forked after the extension loads (PHP-FPM,
/// Apache's module, FastCGI, LiteSpeed, `php -S`): there the rules are best
/// compiled at module start-up, once, and shared by every worker, instead
/// of by each worker on its first request. A command-line run may never
/// inspect a request, so it compiles them when it first does.
pub fn compile_at_startup(sapi: &[u8]) -> bool {
    !matches!(sapi, b"cli" | b"phpdbg" | b"embed")
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
    for rule in rules {
        for literal in rule.literals {
            if !literals.contains(literal) {
                literals.push(literal);
            }
        }
    }
    let mut nodes: Vec<Node> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut pipelines: Vec<&'static [Transform]> = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        let at = match pipelines.iter().position(|p| *p == rule.transforms) {
            Some(at) => at,
            None => {
                let mut node = None;
                for &transform in rule.transforms {
                    node = Some(
                        match nodes
                            .iter()
                            .position(|n| n.parent == node && n.transform == transform)
                        {
                            Some(existing) => existing,
                            None => {
                                nodes.push(Node {
                                    parent: node,
                                    transform,
                                });
                                nodes.len() - 1
                            }
                        },
                    );
                }
                pipelines.push(rule.transforms);
                groups.push(Group {
                    node,
                    change_mask: change_mask(rule.transforms),
                    lowercases: lowercases(rule.transforms),
                    targets: 0,
                    headers: Vec::new(),
                    rules: Vec::new(),
                    unfiltered: Vec::new(),
                    by_literal: LiteralTable::default(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[at];
        group.targets |= rule.targets.iter().fold(0, |acc, t| acc | t.bit());
        for h in rule.headers {
            if !group.headers.contains(h) {
                group.headers.push(h);
            }
        }
        group.rules.push(index);
        if rule.literals.is_empty() {
            group.unfiltered.push(index);
        }
    }
    let index: HashMap<&'static str, usize> =
        literals.iter().enumerate().map(|(i, l)| (*l, i)).collect();
    for group in &mut groups {
        group.by_literal = LiteralTable::new(rules, &group.rules, &index, |i| i as u32);
    }
    let prefilter = LiteralDfa::new(&literals);
    let target_bits = rules
        .iter()
        .map(|r| r.targets.iter().fold(0, |acc, t| acc | t.bit()))
        .collect();
    let by_target = Target::ALL
        .iter()
        .map(|(t, _)| {
            (0..groups.len())
                .filter(|&g| groups[g].targets & t.bit() != 0)
                .collect()
        })
        .collect();
    let mut by_header = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for h in &group.headers {
            if !by_header.contains(&(*h, g)) {
                by_header.push((*h, g));
            }
        }
    }
    // A part's plan holds the rules reading any of its inputs (build.rs
    // refuses a header named ""), a named header's those reading that one.
    let plan = |target: Target, name: &[u8]| {
        let reading: Vec<usize> = (0..rules.len())
            .filter(|&i| rules[i].reads(target, name))
            .collect();
        Plan::new(rules, &reading, &index)
    };
    let plans = Target::ALL.iter().map(|(t, _)| plan(*t, b"")).collect();
    let mut header_plans: Vec<(&'static str, Plan)> = Vec::new();
    for (header, _) in &by_header {
        if !header_plans.iter().any(|(h, _)| h == header) {
            header_plans.push((header, plan(Target::Headers, header.as_bytes())));
        }
    }
    RuleSet {
        regexes,
        by_target,
        by_header,
        plans,
        header_plans,
        groups,
        nodes,
        prefilter,
        target_bits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_compile_the_rules_at_startup_and_the_command_line_does_not() {
        for sapi in [
            "fpm-fcgi",
            "apache2handler",
            "cgi-fcgi",
            "litespeed",
            "cli-server",
        ] {
            assert!(compile_at_startup(sapi.as_bytes()), "{sapi}");
        }
        for sapi in ["cli", "phpdbg", "embed"] {
            assert!(!compile_at_startup(sapi.as_bytes()), "{sapi}");
        }
    }

    #[test]
    fn every_rule_compiles_and_ids_are_unique() {
        let set = rule_set();
        assert_eq!(set.regexes.len(), RULES.len());
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        let grouped: usize = set.groups.iter().map(|g| g.rules.len()).sum();
        assert_eq!(grouped, RULES.len(), "every rule is in one group");
        for (i, node) in set.nodes.iter().enumerate() {
            assert!(node.parent.is_none_or(|p| p < i), "parents come first");
        }
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
