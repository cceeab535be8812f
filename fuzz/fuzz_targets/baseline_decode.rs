//! Decoding a baseline manifest never panics, and what it accepts encodes
//! and decodes back to the same manifest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use webtotem::baseline::Manifest;

fn check(bytes: &[u8]) {
    let Ok(m) = Manifest::decode(bytes) else {
        return;
    };
    let encoded = m.encode();
    let again = Manifest::decode(&encoded).expect("an encoded manifest decodes");
    assert_eq!(again.encode(), encoded, "encode/decode does not round-trip");
    assert_eq!(again, m);
}

fuzz_target!(|data: &[u8]| {
    check(data);
    // The trailing checksum stops almost every mutation before the parser:
    // also try the input with a valid checksum appended.
    let mut sealed = data.to_vec();
    sealed.extend_from_slice(&Sha256::digest(data));
    check(&sealed);
});
