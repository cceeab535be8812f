//! Finding which of the rules' literals occur in a value, ignoring ASCII
//! case: the literals' [`CompactDfa`] laid out for the one thing the engine
//! asks of it, a walk over every byte of short values. Its states are
//! offsets into one flat table (state number × number of classes), so a
//! step is a class look-up, an index and one comparison. (Walking
//! aho-corasick's own DFA through its `Automaton` trait costs about twice
//! as many instructions a byte; the antivirus's 16-bit table is too small
//! for the firewall's several thousand states.)

use crate::compact_dfa::{CompactDfa, MatchOutputs};

/// The literals' automaton.
pub struct LiteralDfa {
    /// Each byte's class.
    classes: [u8; 256],
    /// `trans[state + class]` is the next state; states are offsets into
    /// `trans`, the start state 0.
    trans: Vec<u32>,
    /// States from this one on are match states.
    first_match: u32,
    /// The number of classes.
    stride: u32,
    /// The literals ending at each match state (by its number).
    matches: MatchOutputs,
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
        let dfa = CompactDfa::new(literals);
        let stride = dfa.stride;
        Some(LiteralDfa {
            classes: dfa.classes,
            trans: dfa
                .next
                .iter()
                .map(|&to| (to as usize * stride) as u32)
                .collect(),
            first_match: (dfa.first_match * stride) as u32,
            stride: stride as u32,
            matches: dfa.matches,
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
        let mut state = 0;
        for &byte in value {
            state = self.trans[(state + u32::from(self.classes[usize::from(byte)])) as usize];
            if state >= self.first_match {
                let number = (state / self.stride) as usize;
                let slot = &mut met[number % met.len()];
                if *slot == state {
                    continue;
                }
                *slot = state;
                self.report(number, found, seen);
            }
        }
    }

    /// Appends the literals ending at match state `number` that `seen`
    /// does not hold yet, and marks them there.
    #[inline(never)]
    fn report(&self, number: usize, found: &mut Vec<u32>, seen: &mut [u64]) {
        for &l in self.matches.of(number) {
            let (word, bit) = (l as usize / 64, 1u64 << (l % 64));
            if seen[word] & bit == 0 {
                seen[word] |= bit;
                found.push(l);
            }
        }
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
        let mut rng = crate::test_random::XorShift(0x9e37_79b9_7f4a_7c15);
        let alphabet = b"oRdEunISelct<>;./\0 xZ\xc3\xa9";
        for len in 0..200 {
            let value = rng.text(alphabet, len % 40);
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
