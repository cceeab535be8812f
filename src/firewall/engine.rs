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

use super::request::{Request, Target};
use super::rules::{Class, LiteralSet, ROOT, RuleSet, Step, definitions, rule_set};
use super::transform::{Shape, Transform};
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

/// The source of a plain input's lower case (see [`Values::plain`]).
const LOWER: usize = usize::MAX - 1;

/// A value at one node of the tree of pipeline prefixes.
enum Slot {
    /// Not computed yet.
    Pending,
    /// The same bytes as another node's (or the input's, [`ROOT`]).
    Same(usize),
    /// Changed bytes.
    Changed {
        bytes: Vec<u8>,
        shape: Shape,
        /// The source with the same bytes but for ASCII case (the one
        /// whose literals these bytes have), or this node itself.
        case_of: usize,
    },
}

/// The values of one input at the nodes of the pipeline tree, computed on
/// demand, each step at most once; a step whose transformation cannot
/// change its value (by the value's [`Shape`]) costs nothing, and the
/// literals of each distinct value (up to ASCII case) are looked up once.
struct Values<'a> {
    input: &'a [u8],
    shape: Shape,
    /// Whether only lower-casing can change the input (the common case of
    /// plain text): then a node's value is the input or its lower case.
    plain: bool,
    /// The input in lower case, once needed in the plain case.
    lower: Option<(Vec<u8>, Shape)>,
    slots: Vec<Slot>,
    /// The literals found at each source (the input's last), if looked up.
    literals: Vec<Option<LiteralSet>>,
    /// Transformations already applied to a source: (source, transformation,
    /// the source of the result), so that, say, lower-casing the same bytes
    /// at several nodes happens once.
    applied: Vec<(usize, Transform, usize)>,
}

impl<'a> Values<'a> {
    fn new(steps: usize) -> Self {
        Values {
            input: b"",
            shape: Shape::default(),
            plain: false,
            lower: None,
            slots: (0..steps).map(|_| Slot::Pending).collect(),
            literals: vec![None; steps + 1],
            applied: Vec::new(),
        }
    }

    fn reset(&mut self, input: &'a [u8]) {
        self.input = input;
        self.shape = Shape::of(input);
        self.plain = crate::firewall::transform::ALL
            .iter()
            .all(|(t, _)| *t == Transform::Lowercase || t.leaves(self.shape));
        self.lower = None;
        if !self.plain {
            self.slots.iter_mut().for_each(|s| *s = Slot::Pending);
            self.applied.clear();
        }
        self.literals.iter_mut().for_each(|l| *l = None);
    }

    /// The node whose slot holds `node`'s bytes ([`ROOT`] or a changed node).
    fn source(&mut self, steps: &[Step], node: usize) -> usize {
        if node == ROOT {
            return ROOT;
        }
        if self.plain {
            if !steps[node].lowers || Transform::Lowercase.leaves(self.shape) {
                return ROOT;
            }
            if self.lower.is_none() {
                let lower = self.input.to_ascii_lowercase();
                let shape = Shape::of(&lower);
                self.lower = Some((lower, shape));
            }
            return LOWER;
        }
        if let Slot::Pending = self.slots[node] {
            let from = self.source(steps, steps[node].parent);
            let t = steps[node].transform;
            let (bytes, shape) = self.get(from);
            self.slots[node] = if t.leaves(shape) {
                Slot::Same(from)
            } else if let Some(&(_, _, done)) =
                self.applied.iter().find(|(f, d, _)| *f == from && *d == t)
            {
                Slot::Same(done)
            } else {
                let slot = match t.apply(bytes) {
                    Cow::Borrowed(_) => Slot::Same(from),
                    Cow::Owned(changed) => Slot::Changed {
                        shape: Shape::of(&changed),
                        bytes: changed,
                        case_of: if t == Transform::Lowercase {
                            self.case_of(from)
                        } else {
                            node
                        },
                    },
                };
                let result = match slot {
                    Slot::Same(f) => f,
                    _ => node,
                };
                self.applied.push((from, t, result));
                slot
            };
        }
        match self.slots[node] {
            Slot::Same(from) => from,
            _ => node,
        }
    }

    /// The source with `source`'s bytes but for ASCII case.
    fn case_of(&self, source: usize) -> usize {
        if source == LOWER {
            return ROOT;
        }
        match self.slots.get(source) {
            Some(Slot::Changed { case_of, .. }) => *case_of,
            _ => source,
        }
    }

    /// The bytes and shape of a source node.
    fn get(&self, source: usize) -> (&[u8], Shape) {
        if source == LOWER
            && let Some((bytes, shape)) = &self.lower
        {
            return (bytes, *shape);
        }
        match self.slots.get(source) {
            Some(Slot::Changed { bytes, shape, .. }) => (bytes, *shape),
            _ => (self.input, self.shape),
        }
    }

    /// The literals of `set`'s rules reading `target` in a source's bytes
    /// (ASCII case-insensitively); an input has one target.
    fn literals(&mut self, set: &RuleSet, target: Target, source: usize) -> LiteralSet {
        let key = self.case_of(source);
        let at = if key == ROOT { self.slots.len() } else { key };
        if let Some(found) = self.literals[at] {
            return found;
        }
        let found = set.literals_in(target, self.get(key).0);
        self.literals[at] = Some(found);
        found
    }
}

/// Inspects `request` under `options`.
pub fn inspect(request: &Request, options: &Options) -> Verdict {
    let rules = definitions();
    let set = rule_set();
    let enabled = |r: &super::rules::RuleDef| {
        r.paranoia <= options.paranoia
            && (options.disabled_rules.is_empty()
                || !options.disabled_rules.iter().any(|d| d == r.id))
    };
    let inputs = request.inputs();
    let mut found: Vec<Option<Match>> = vec![None; rules.len()];
    // Per input: each pipeline step computed once, and the literals of each
    // distinct value looked up once.
    let mut values = Values::new(set.steps.len());
    for input in &inputs.list {
        values.reset(&input.value);
        for group in &set.groups {
            if !group.may_read(input.target) {
                continue;
            }
            let source = values.source(&set.steps, group.node);
            let mut try_rule = |i: usize, value: &[u8]| {
                let rule = &rules[i];
                if found[i].is_none()
                    && enabled(rule)
                    && rule.reads(input.target, &input.name)
                    && set.regexes[i].is_match(value)
                {
                    found[i] = Some(Match {
                        rule: rule.id,
                        class: rule.class.name(),
                        score: rule.score,
                        target: input.target.name(),
                        name: Bytes(input.name.to_vec()),
                    });
                }
            };
            for &i in &group.unfiltered {
                try_rule(i, values.get(source).0);
            }
            if group.filtered.is_empty() {
                continue;
            }
            let present = values.literals(set, input.target, source);
            if !group.literals.meets(&present) {
                continue;
            }
            for &i in &group.filtered {
                if set.prefilter_passes(i, &present) {
                    try_rule(i, values.get(source).0);
                }
            }
        }
    }
    let mut by_class = [0u32; Class::ALL.len()];
    for (rule, _) in rules.iter().zip(&found).filter(|(_, m)| m.is_some()) {
        by_class[rule.class as usize] += rule.score;
    }
    let matches: Vec<Match> = found.into_iter().flatten().collect();
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
