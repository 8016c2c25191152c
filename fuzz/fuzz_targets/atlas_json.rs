#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    event_atlas::io::fuzzing::atlas_json(bytes);
});
