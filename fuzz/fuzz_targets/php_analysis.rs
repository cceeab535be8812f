//! The PHP analysis returns on any input, in HTML and in code mode, and no
//! decoded payload is larger than its limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webtotem::malware::php::{MAX_DECODED_BYTES, analyse};

fuzz_target!(|data: &[u8]| {
    for in_code in [false, true] {
        let a = analyse(data, in_code);
        for p in &a.payloads {
            assert!(
                p.code.len() <= MAX_DECODED_BYTES,
                "payload of {} bytes (in_code={in_code})",
                p.code.len()
            );
        }
    }
});
