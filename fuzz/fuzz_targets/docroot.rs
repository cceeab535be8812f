//! Looking for an autoloader in any `public/index.php` never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(e) = webtotem::docroot::find_autoloader(data) {
        assert!(e.line >= 1, "line {} of rule {}", e.line, e.rule);
    }
});
