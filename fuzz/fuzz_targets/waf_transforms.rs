//! The firewall's transformations on any bytes: no panic, output bounded
//! (decoding never grows a value; lower-casing keeps its length), and a
//! transformation the value's profile says cannot change it does not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webtotem::firewall::transform::{ALL, Profile, Transform, apply_all};

fuzz_target!(|data: &[u8]| {
    let profile = Profile::of(data);
    for (t, name) in ALL {
        let out = t.apply(data);
        if t.leaves(profile) {
            assert_eq!(&*out, data, "{name} changed a value its profile says it leaves");
        }
        match t {
            Transform::Lowercase => assert_eq!(out.len(), data.len()),
            // %uXXXX (6 bytes) may become 3 bytes of UTF-8, never more.
            _ => assert!(out.len() <= data.len(), "{name} grew a value"),
        }
    }
    // A whole pipeline, chosen by the first byte.
    if let Some((&pick, rest)) = data.split_first() {
        let chosen: Vec<Transform> = ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| pick & (1 << (i % 8)) != 0)
            .map(|(_, (t, _))| *t)
            .collect();
        let _ = apply_all(&chosen, rest);
    }
});
