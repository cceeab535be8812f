//! Flood counting for the firewall agent's native path: a sliding window
//! of requests per key (a site and a client address) in a table of
//! 64-bit slots that every PHP worker of the server shares.
//!
//! A slot packs the key's tag, the window it was last counted in, the
//! counts of that window and the one before, and whether the key has
//! already been reported over the limit in that window, so one
//! compare-and-swap updates it: no lock that a killed worker could leave
//! held, no system call per request. The table is anonymous shared memory
//! mapped when PHP loads the extension ([`shared`]), before PHP-FPM or
//! Apache fork their workers, so the workers count together.
//!
//! The count is the one the PHP agent keeps in files and APCu: this
//! window's requests plus the previous window's, weighted by how much of
//! it still overlaps the sliding window.

pub mod shared;

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts saturate here (17 bits): a limit at or above it is never reached.
pub const MAX_COUNT: u32 = (1 << COUNT_BITS) - 1;
/// How many neighbouring slots a key may take before the table counts as full.
const PROBES: usize = 16;

const TAG_BITS: u32 = 14;
const WINDOW_BITS: u32 = 14;
const COUNT_BITS: u32 = 17;
const TAG_MASK: u64 = (1 << TAG_BITS) - 1;
const WINDOW_MASK: u64 = (1 << WINDOW_BITS) - 1;
const COUNT_MASK: u64 = (1 << COUNT_BITS) - 1;
const WINDOW_SHIFT: u32 = TAG_BITS;
const REPORTED_SHIFT: u32 = WINDOW_SHIFT + WINDOW_BITS;
const CURRENT_SHIFT: u32 = REPORTED_SHIFT + 1;
const PREVIOUS_SHIFT: u32 = CURRENT_SHIFT + COUNT_BITS;

/// What one counted request means for its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// Within the limit.
    Under,
    /// Over the limit, for the first time in this window (log it once).
    FirstOver,
    /// Over the limit again in this window.
    Over,
}

impl Hit {
    /// The number PHP sees: 0 under the limit, 1 first over it, 2 over it again.
    pub fn code(self) -> i64 {
        match self {
            Hit::Under => 0,
            Hit::FirstOver => 1,
            Hit::Over => 2,
        }
    }
}

/// Where a request falls in time: the window's number and how much of it
/// has passed (0 ≤ elapsed < 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moment {
    /// `floor(now / window length)`.
    pub window: u64,
    /// The fraction of the current window that has passed.
    pub elapsed: f64,
}

impl Moment {
    /// The moment `now_secs` (seconds since the epoch) in windows of `length` seconds.
    pub fn at(now_secs: f64, length: u32) -> Moment {
        let length = f64::from(length.max(1));
        let window = (now_secs / length).floor();
        Moment {
            window: window as u64,
            elapsed: ((now_secs - window * length) / length).clamp(0.0, 1.0),
        }
    }
}

/// One slot's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    tag: u64,
    window: u64,
    reported: bool,
    current: u64,
    previous: u64,
}

impl Slot {
    fn unpack(v: u64) -> Slot {
        Slot {
            tag: v & TAG_MASK,
            window: (v >> WINDOW_SHIFT) & WINDOW_MASK,
            reported: (v >> REPORTED_SHIFT) & 1 == 1,
            current: (v >> CURRENT_SHIFT) & COUNT_MASK,
            previous: (v >> PREVIOUS_SHIFT) & COUNT_MASK,
        }
    }

    fn pack(self) -> u64 {
        self.tag
            | (self.window & WINDOW_MASK) << WINDOW_SHIFT
            | u64::from(self.reported) << REPORTED_SHIFT
            | (self.current & COUNT_MASK) << CURRENT_SHIFT
            | (self.previous & COUNT_MASK) << PREVIOUS_SHIFT
    }

    /// Whether the slot's counts still matter at `window` (they are from it or the one before).
    fn live(self, window: u64) -> bool {
        self.tag != 0
            && (self.window == window & WINDOW_MASK
                || self.window == window.wrapping_sub(1) & WINDOW_MASK)
    }
}

/// The slot after counting one request of `tag` at `at` against `limit`
/// (`value` is the slot's current contents: the key's, or a free or
/// expired slot), and what the request means.
fn count(value: u64, tag: u64, at: Moment, limit: u32) -> (u64, Hit) {
    let old = Slot::unpack(value);
    let mut new = Slot {
        tag,
        window: at.window & WINDOW_MASK,
        reported: false,
        current: 0,
        previous: 0,
    };
    if old.tag == tag && old.live(at.window) {
        if old.window == at.window & WINDOW_MASK {
            new = old;
        } else {
            new.previous = old.current;
        }
    }
    new.current = (new.current + 1).min(COUNT_MASK);
    let weighted = new.previous as f64 * (1.0 - at.elapsed) + new.current as f64;
    let hit = if weighted <= f64::from(limit) {
        Hit::Under
    } else if new.reported {
        Hit::Over
    } else {
        new.reported = true;
        Hit::FirstOver
    };
    (new.pack(), hit)
}

/// A table of flood counters over shared slots.
pub struct Table<'a> {
    slots: &'a [AtomicU64],
    hasher: &'a RandomState,
}

impl<'a> Table<'a> {
    /// A table over `slots` (a power of two of them), hashing keys with `hasher`.
    pub fn new(slots: &'a [AtomicU64], hasher: &'a RandomState) -> Table<'a> {
        debug_assert!(slots.len().is_power_of_two());
        Table { slots, hasher }
    }

    /// Counts one request of `key` at `at`; `None` when the key has no
    /// slot and all its neighbours are taken by live keys (the caller
    /// counts elsewhere then).
    pub fn hit(&self, key: &[u8], at: Moment, limit: u32) -> Option<Hit> {
        let hash = self.hasher.hash_one(key);
        let mask = self.slots.len() - 1;
        let home = (hash >> TAG_BITS) as usize & mask;
        let tag = (hash & TAG_MASK).max(1);
        let probe = |i: usize| &self.slots[(home + i) & mask];
        // The key's own slot first, so that it is never counted twice.
        let own = (0..PROBES).find(|&i| {
            let s = Slot::unpack(probe(i).load(Ordering::Acquire));
            s.tag == tag && s.live(at.window)
        });
        let candidates = own.into_iter().chain(0..PROBES);
        for i in candidates {
            let slot = probe(i);
            let mut value = slot.load(Ordering::Acquire);
            loop {
                let s = Slot::unpack(value);
                if s.live(at.window) && s.tag != tag {
                    break; // another key's
                }
                let (next, hit) = count(value, tag, at, limit);
                match slot.compare_exchange_weak(value, next, Ordering::AcqRel, Ordering::Acquire) {
                    Ok(_) => return Some(hit),
                    Err(now) => value = now,
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: usize) -> Vec<AtomicU64> {
        (0..n).map(|_| AtomicU64::new(0)).collect()
    }

    fn at(window: u64, elapsed: f64) -> Moment {
        Moment { window, elapsed }
    }

    #[test]
    fn slots_pack_and_unpack_every_field() {
        let s = Slot {
            tag: TAG_MASK,
            window: 12_345,
            reported: true,
            current: MAX_COUNT as u64,
            previous: 77,
        };
        assert_eq!(Slot::unpack(s.pack()), s);
        assert!(s.pack() < 1 << 63);
    }

    #[test]
    fn moments_split_time_into_windows() {
        let m = Moment::at(1_000_050.0, 60);
        assert_eq!(m.window, 16_667);
        assert!((m.elapsed - 0.5).abs() < 1e-9, "{m:?}");
    }

    #[test]
    fn the_limit_is_crossed_once_a_window_and_reported_once() {
        let hasher = RandomState::new();
        let slots = table(64);
        let t = Table::new(&slots, &hasher);
        let hits: Vec<Hit> = (0..13)
            .map(|_| t.hit(b"site|203.0.113.9", at(100, 0.2), 10).unwrap())
            .collect();
        assert_eq!(hits[..10], [Hit::Under; 10]);
        assert_eq!(hits[10..], [Hit::FirstOver, Hit::Over, Hit::Over]);
        // Another key is counted on its own.
        assert_eq!(
            t.hit(b"site|198.51.100.1", at(100, 0.2), 10),
            Some(Hit::Under)
        );
    }

    #[test]
    fn the_previous_window_counts_by_its_overlap() {
        let hasher = RandomState::new();
        let slots = table(64);
        let t = Table::new(&slots, &hasher);
        for _ in 0..10 {
            t.hit(b"k", at(7, 0.9), 10);
        }
        // Next window, a quarter in: 10 × 0.75 = 7.5 still weigh, so the
        // third request of the new window is over 10.
        let hits: Vec<Hit> = (0..4)
            .map(|_| t.hit(b"k", at(8, 0.25), 10).unwrap())
            .collect();
        assert_eq!(hits, [Hit::Under, Hit::Under, Hit::FirstOver, Hit::Over]);
        // Two windows on, nothing of it is left.
        assert_eq!(t.hit(b"k", at(10, 0.0), 1), Some(Hit::Under));
    }

    #[test]
    fn counts_saturate_instead_of_wrapping() {
        let (mut v, mut hit) = (0, Hit::Under);
        for _ in 0..MAX_COUNT + 5 {
            (v, hit) = count(v, 1, at(3, 0.0), u32::MAX);
        }
        assert_eq!(Slot::unpack(v).current, MAX_COUNT as u64);
        assert_eq!(hit, Hit::Under);
    }

    #[test]
    fn a_full_neighbourhood_is_reported_not_overwritten() {
        // One slot: the second live key finds no room; once the first
        // key's counts expire, its slot is taken over.
        let hasher = RandomState::new();
        let slots = table(1);
        let t = Table::new(&slots, &hasher);
        let mut keys = (0u32..).map(|i| i.to_le_bytes());
        let first = keys.next().unwrap();
        assert_eq!(t.hit(&first, at(5, 0.0), 3), Some(Hit::Under));
        let tag_of_first = Slot::unpack(slots[0].load(Ordering::Relaxed)).tag;
        let other = keys
            .find(|k| (t.hasher.hash_one(k) & TAG_MASK).max(1) != tag_of_first)
            .unwrap();
        assert_eq!(t.hit(&other, at(5, 0.0), 3), None);
        assert_eq!(t.hit(&other, at(7, 0.0), 3), Some(Hit::Under));
    }

    #[test]
    fn threads_counting_together_lose_no_request() {
        let hasher = RandomState::new();
        let slots = table(1024);
        let t = Table::new(&slots, &hasher);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..5_000 {
                        t.hit(b"busy", at(42, 0.0), u32::MAX).unwrap();
                    }
                });
            }
        });
        let total: u64 = slots
            .iter()
            .map(|s| Slot::unpack(s.load(Ordering::Relaxed)))
            .filter(|s| s.tag != 0)
            .map(|s| s.current)
            .sum();
        assert_eq!(total, 20_000);
    }
}
