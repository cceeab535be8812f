//! The firewall log reader on any bytes: no panic, every whole line read
//! once, and the resume offset at the end of the last whole line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webtotem::firewall::log::parse_log;

fuzz_target!(|data: &[u8]| {
    let p = parse_log(data, 1000);
    let whole = data.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    assert_eq!(p.offset, 1000 + whole as u64);
    let lines = data[..whole].iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(p.lines, lines);
    assert!(p.events.len() as u64 + p.skipped <= p.lines);
    assert!(p.events.iter().all(|e| e.offset >= 1000 && e.offset < p.offset));
});
