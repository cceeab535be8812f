//! The decoding layers, reached through the analysis the way malware nests
//! them: `<?php eval(F(G('data')));` with F and G picked by the first two
//! bytes. Decoding must stay within its limits and never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webtotem::malware::php::{MAX_DECODED_BYTES, analyse};
use webtotem::malware::scan::scan_contents;

const DECODERS: &[&str] = &[
    "base64_decode",
    "gzinflate",
    "gzuncompress",
    "gzdecode",
    "str_rot13",
    "strrev",
    "urldecode",
    "hex2bin",
];

fuzz_target!(|data: &[u8]| {
    let [f, g, lit @ ..] = data else {
        return;
    };
    let f = DECODERS[usize::from(*f) % DECODERS.len()];
    let g = DECODERS[usize::from(*g) % DECODERS.len()];
    // A single-quoted PHP literal whose value is exactly `lit`.
    let mut src = format!("<?php eval({f}({g}('").into_bytes();
    for &b in lit {
        if b == b'\\' || b == b'\'' {
            src.push(b'\\');
        }
        src.push(b);
    }
    src.extend_from_slice(b"')));");

    let a = analyse(&src, false);
    for p in &a.payloads {
        assert!(
            p.code.len() <= MAX_DECODED_BYTES,
            "payload of {} bytes",
            p.code.len()
        );
    }
    // The scanner analyses the decoded payloads again, recursively.
    let _ = scan_contents("x.php", b"x.php", &src);
});
