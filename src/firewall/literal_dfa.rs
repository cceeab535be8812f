//! Finding which of the rules' literals occur in a value, ignoring ASCII
//! case: a deterministic automaton laid out for the one thing the engine
//! asks of it, a walk over every byte of short values.
//!
//! aho-corasick builds the automaton; this module copies its transitions
//! into a flat table whose state numbers are offsets into the table and
//! whose match states come first, so that a step is a class look-up, an
//! index and one comparison. (Walking aho-corasick's own DFA through its
//! `Automaton` trait costs about twice as many instructions a byte.)

use aho_corasick::automaton::Automaton;
use aho_corasick::{Anchored, MatchKind, dfa::DFA};
use foldhash::{HashMap, HashMapExt};

/// The literals' automaton.
pub struct LiteralDfa {
    /// Each byte's class: bytes that no literal holds (in either case)
    /// share one class, and a letter's two cases share theirs.
    classes: [u8; 256],
    /// `trans[state + class]` is the next state; states are offsets into
    /// `trans` (state number × number of classes).
    trans: Vec<u32>,
    /// The state before any byte.
    start: u32,
    /// States below this one are match states.
    match_limit: u32,
    /// The literals ending at match state `s` are
    /// `literals[ends[s / stride]..ends[s / stride + 1]]`.
    ends: Vec<u32>,
    literals: Vec<u32>,
    /// The number of classes.
    stride: u32,
    /// `u64` words in a set of literals.
    words: usize,
}

impl LiteralDfa {
    /// The automaton of `literals` (ASCII case ignored); a literal is
    /// reported by its index in `literals`. `None` when there are none.
    pub fn new(literals: &[&str]) -> Option<LiteralDfa> {
        if literals.is_empty() {
            return None;
        }
        let ac = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(literals)
            .expect("the literals build an automaton");
        let mut classes = [0u8; 256];
        let mut representatives = vec![0u8];
        for literal in literals {
            for &b in literal.as_bytes() {
                let b = b.to_ascii_lowercase();
                if classes[b as usize] == 0 {
                    classes[b as usize] = representatives.len() as u8;
                    classes[b.to_ascii_uppercase() as usize] = representatives.len() as u8;
                    representatives.push(b);
                }
            }
        }
        // Class 0: the bytes no literal holds.
        representatives[0] = (0..=255u8).find(|b| classes[*b as usize] == 0).unwrap_or(0);
        let stride = representatives.len();
        // Every reachable state, numbered in the order found.
        let start = ac.start_state(Anchored::No).expect("unanchored searches");
        let mut found = vec![start];
        let mut number = HashMap::new();
        number.insert(start, 0usize);
        let mut next = Vec::new();
        let mut i = 0;
        while i < found.len() {
            for &b in &representatives {
                let to = ac.next_state(Anchored::No, found[i], b);
                let n = *number.entry(to).or_insert_with(|| {
                    found.push(to);
                    found.len() - 1
                });
                next.push(n);
            }
            i += 1;
        }
        // Match states first.
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by_key(|&s| !ac.is_match(found[s]));
        let mut renumber = vec![0u32; found.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old] = (new * stride) as u32;
        }
        let mut trans = vec![0u32; found.len() * stride];
        for (old, row) in next.chunks(stride).enumerate() {
            let at = renumber[old] as usize;
            for (class, &to) in row.iter().enumerate() {
                trans[at + class] = renumber[to];
            }
        }
        let matching = order.iter().take_while(|&&s| ac.is_match(found[s])).count();
        let mut ends = vec![0u32];
        let mut reported = Vec::new();
        for &old in &order[..matching] {
            let state = found[old];
            for k in 0..ac.match_len(state) {
                reported.push(ac.match_pattern(state, k).as_u32());
            }
            ends.push(reported.len() as u32);
        }
        Some(LiteralDfa {
            classes,
            trans,
            start: renumber[0],
            match_limit: (matching * stride) as u32,
            ends,
            literals: reported,
            stride: stride as u32,
            words: literals.len().div_ceil(64),
        })
    }

    /// Appends the index of every literal in `value` to `found`, each once;
    /// `seen` is a buffer.
    pub fn find_all(&self, value: &[u8], found: &mut Vec<u32>, seen: &mut Vec<u64>) {
        seen.clear();
        seen.resize(self.words, 0);
        // Match states met before in this value (a small direct-mapped
        // memo): their literals are recorded already. Separators such as
        // `=`, `&` or `;` lead to the same state again and again.
        let mut met = [u32::MAX; 32];
        let mut state = self.start;
        for &byte in value {
            state = self.trans[(state + u32::from(self.classes[byte as usize])) as usize];
            if state < self.match_limit {
                let slot = &mut met[(state / self.stride) as usize % 32];
                if *slot == state {
                    continue;
                }
                *slot = state;
                let s = (state / self.stride) as usize;
                for &l in &self.literals[self.ends[s] as usize..self.ends[s + 1] as usize] {
                    let (word, bit) = (l as usize / 64, 1u64 << (l % 64));
                    if seen[word] & bit == 0 {
                        seen[word] |= bit;
                        found.push(l);
                    }
                }
            }
        }
    }

    /// The bytes the automaton holds.
    pub fn memory_usage(&self) -> usize {
        self.trans.len() * 4 + self.literals.len() * 4 + self.ends.len() * 4 + 256
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every literal occurring in `value`, by a plain search.
    fn naive(literals: &[&str], value: &[u8]) -> Vec<u32> {
        let lower = value.to_ascii_lowercase();
        let mut out: Vec<u32> = (0..literals.len() as u32)
            .filter(|&i| {
                let l = literals[i as usize].to_ascii_lowercase();
                lower.windows(l.len()).any(|w| w == l.as_bytes())
            })
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn finds_every_literal_once_ignoring_case() {
        let literals = [
            "or", "order", "union", "select", "<script", ";", "../", "\0", "é",
        ];
        let dfa = LiteralDfa::new(&literals).unwrap();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let alphabet = b"oRdEunISelct<>;./\0 xZ\xc3\xa9";
        for len in 0..200 {
            let mut value = Vec::new();
            for _ in 0..len % 40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                value.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let (mut found, mut seen) = (Vec::new(), Vec::new());
            dfa.find_all(&value, &mut found, &mut seen);
            let mut sorted = found.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), found.len(), "each once: {value:?}");
            assert_eq!(sorted, naive(&literals, &value), "{value:?}");
        }
        let (mut found, mut seen) = (Vec::new(), Vec::new());
        dfa.find_all(b"1 OR 2; UNION SELECT ORDER", &mut found, &mut seen);
        found.sort_unstable();
        assert_eq!(found, vec![0, 1, 2, 3, 5]);
        assert!(LiteralDfa::new(&[]).is_none());
    }
}
