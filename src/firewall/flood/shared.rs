//! The process-shared memory behind the flood table: one anonymous
//! `MAP_SHARED` mapping, made when PHP loads the extension (module
//! start-up runs in the parent before PHP-FPM and Apache fork their
//! workers, which then all see the same slots). Anonymous memory has no
//! file that anyone could truncate under the mapping.

use super::{Hit, Moment, Table};
use std::hash::RandomState;
use std::sync::OnceLock;
use std::sync::atomic::AtomicU64;

/// Slots in the table (8 MiB of address space; pages are only backed once touched).
const SLOTS: usize = 1 << 20;

struct Shared {
    slots: &'static [AtomicU64],
    hasher: RandomState,
}

static SHARED: OnceLock<Option<Shared>> = OnceLock::new();

/// Maps the shared table; called at module start-up so that forked workers
/// inherit it. Later calls do nothing.
pub fn init() {
    SHARED.get_or_init(map);
}

fn map() -> Option<Shared> {
    let bytes = SLOTS * std::mem::size_of::<AtomicU64>();
    // SAFETY: a fresh anonymous mapping, not aliased by any Rust object; it
    // is zero-filled, and zero is a valid AtomicU64. It is never unmapped,
    // so the 'static slice stays valid for the life of the process.
    unsafe {
        let p = libc::mmap(
            std::ptr::null_mut(),
            bytes,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        );
        if p == libc::MAP_FAILED {
            return None;
        }
        Some(Shared {
            slots: std::slice::from_raw_parts(p as *const AtomicU64, SLOTS),
            hasher: RandomState::new(),
        })
    }
}

/// Counts one request of `key` now, in windows of `window_secs`, against
/// `limit`; `None` when the table could not be mapped or has no room for
/// the key (the caller counts another way).
pub fn hit(key: &[u8], limit: u32, window_secs: u32) -> Option<Hit> {
    let shared = SHARED.get_or_init(map).as_ref()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    Table::new(shared.slots, &shared.hasher).hit(key, Moment::at(now, window_secs), limit)
}
