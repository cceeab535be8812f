//! The firewall engine on any raw HTTP request: reading it and inspecting
//! it never panics, the limits hold, and the verdict is consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webtotem::firewall::request::{MAX_INPUTS, MAX_VALUE_BYTES};
use webtotem::firewall::{Options, http, inspect};

fuzz_target!(|data: &[u8]| {
    let Ok(request) = http::parse_request(data) else {
        return;
    };
    let inputs = request.inputs();
    assert!(inputs.list.len() <= MAX_INPUTS);
    assert!(inputs.list.iter().all(|i| i.value.len() <= MAX_VALUE_BYTES));
    for paranoia in [1, 4] {
        let options = Options {
            paranoia,
            ..Options::default()
        };
        let v = inspect(&request, &options);
        assert_eq!(v.score, v.matches.iter().map(|m| m.score).sum::<u32>());
        assert_eq!(v.blocked, v.score >= options.threshold);
        assert_eq!(v.class.is_some(), !v.rules.is_empty());
    }
});
