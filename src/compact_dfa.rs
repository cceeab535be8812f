//! A set of literals as a compact deterministic automaton, ASCII case
//! ignored, for scanners that walk a text a byte at a time: the
//! antivirus's [`LiteralScanner`](crate::malware::literals::LiteralScanner)
//! and the firewall's [`LiteralDfa`](crate::firewall::literal_dfa::LiteralDfa).
//!
//! The `aho-corasick` crate builds the automaton; its transitions are copied
//! into a table over byte classes: bytes that no literal holds share class
//! 0, and a letter's two cases share one class. States are numbered from the
//! start state (0), match states last, so a scanner tells a match state by
//! one comparison. Each scanner lays the table out in its own integer width.

use aho_corasick::automaton::Automaton;
use aho_corasick::{Anchored, MatchKind, dfa};
use foldhash::{HashMap, HashMapExt};

/// The automaton of a set of literals.
pub(crate) struct CompactDfa {
    /// Each byte's class.
    pub classes: [u8; 256],
    /// The number of classes.
    pub stride: usize,
    /// `next[state * stride + class]`: the number of the next state.
    pub next: Vec<u32>,
    /// The number of states.
    pub states: usize,
    /// States numbered from this one on are match states.
    pub first_match: usize,
    /// The literals ending at each match state.
    pub matches: MatchOutputs,
    /// The longest literal's length.
    pub max_len: usize,
}

/// The literals (by index) ending at each match state of a [`CompactDfa`].
#[derive(Clone)]
pub(crate) struct MatchOutputs {
    /// The first match state's number.
    first_match: usize,
    /// Those of match state `first_match + k` are
    /// `literals[ends[k]..ends[k + 1]]`.
    ends: Vec<u32>,
    literals: Vec<u32>,
}

impl MatchOutputs {
    /// The literals ending at match state number `state`.
    pub fn of(&self, state: usize) -> &[u32] {
        let k = state - self.first_match;
        &self.literals[self.ends[k] as usize..self.ends[k + 1] as usize]
    }
}

impl CompactDfa {
    /// The automaton of `literals`; literal `i` is reported as `i`.
    pub fn new<L: AsRef<[u8]>>(literals: &[L]) -> CompactDfa {
        let ac = dfa::Builder::new()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .match_kind(MatchKind::Standard)
            .build(literals)
            .expect("a fixed literal set compiles");
        // One representative byte per class: every lower-cased byte some
        // literal holds has a class of its own (at most 230: no upper-case
        // letters), class 0 is every other byte.
        let mut classes = [0u8; 256];
        let mut representatives = vec![0u8];
        for literal in literals {
            for &b in literal.as_ref() {
                let lower = b.to_ascii_lowercase();
                if classes[usize::from(lower)] == 0 {
                    let class = representatives.len() as u8;
                    classes[usize::from(lower)] = class;
                    classes[usize::from(lower.to_ascii_uppercase())] = class;
                    representatives.push(lower);
                }
            }
        }
        representatives[0] = (0..=255u8)
            .find(|&b| classes[usize::from(b)] == 0)
            .unwrap_or(0);
        let stride = representatives.len();
        // Every state reachable from the start state, in the order found,
        // with its transitions by their numbers in that order.
        let start = ac
            .start_state(Anchored::No)
            .expect("unanchored searches are supported");
        let mut found = vec![start];
        let mut number = HashMap::new();
        number.insert(start, 0usize);
        let mut next = Vec::new();
        let mut i = 0;
        while let Some(&state) = found.get(i) {
            for &b in &representatives {
                let to = ac.next_state(Anchored::No, state, b);
                let n = *number.entry(to).or_insert_with(|| {
                    found.push(to);
                    found.len() - 1
                });
                next.push(n);
            }
            i += 1;
        }
        // Match states last; the start state (never a match: no literal is
        // empty) stays first.
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by_key(|&s| ac.is_match(found[s]));
        let mut renumber = vec![0u32; found.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old] = new as u32;
        }
        let mut table = vec![0u32; found.len() * stride];
        for (old, row) in next.chunks(stride).enumerate() {
            let at = renumber[old] as usize * stride;
            for (class, &to) in row.iter().enumerate() {
                table[at + class] = renumber[to];
            }
        }
        let first_match = order
            .iter()
            .take_while(|&&s| !ac.is_match(found[s]))
            .count();
        let mut ends = vec![0u32];
        let mut outputs = Vec::new();
        for &old in &order[first_match..] {
            let state = found[old];
            outputs.extend((0..ac.match_len(state)).map(|k| ac.match_pattern(state, k).as_u32()));
            ends.push(outputs.len() as u32);
        }
        CompactDfa {
            classes,
            stride,
            next: table,
            states: found.len(),
            first_match,
            matches: MatchOutputs {
                first_match,
                ends,
                literals: outputs,
            },
            max_len: ac.max_pattern_len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_no_literal_holds_never_step_like_one_that_does() {
        // A literal holding NUL: a byte outside every literal (class 0) must
        // not move the automaton as a NUL does.
        let dfa = CompactDfa::new(&[&b"\0x"[..], b"ab"]);
        let step = |state: usize, b: u8| {
            dfa.next[state * dfa.stride + usize::from(dfa.classes[usize::from(b)])] as usize
        };
        assert_eq!(dfa.classes[usize::from(b'q')], 0);
        assert_ne!(dfa.classes[0], 0);
        let after_q = step(0, b'q');
        let after_x = step(after_q, b'x');
        assert!(after_x < dfa.first_match, "\"qx\" holds no literal");
        let after_nul_x = step(step(0, 0), b'x');
        assert!(after_nul_x >= dfa.first_match);
        assert_eq!(dfa.matches.of(after_nul_x), &[0]);
        assert_eq!(
            dfa.classes[usize::from(b'A')],
            dfa.classes[usize::from(b'a')]
        );
        assert_eq!(dfa.max_len, 2);
    }
}
