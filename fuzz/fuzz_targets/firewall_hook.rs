//! Hooking the firewall into any index.php: no panic; a file that is
//! hooked unhooks to its original bytes, and hooking twice changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webtotem::firewall::hook::{hook, unhook};

const AGENT: &str = "wt-0123456789abcdef0123456789abcdef.php";

fuzz_target!(|data: &[u8]| {
    if let Ok(hooked) = hook(data, AGENT) {
        assert_eq!(unhook(&hooked).expect("a hooked file unhooks"), data);
        assert_eq!(hook(&hooked, AGENT).expect("hooks again"), hooked);
    }
    let _ = unhook(data);
});
