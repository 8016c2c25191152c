#![no_main]

use libfuzzer_sys::fuzz_target;

/// libFuzzer's panic hook aborts on every panic, even one that is caught: the reader catches
/// calamine's panics on damaged workbooks (`guarded` in src/io/table/sheet.rs), so those are
/// let unwind to it. Any other panic still aborts.
fn unwind_caught_calamine_panics() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_calamine = info
            .location()
            .is_some_and(|at| at.file().contains("/calamine-"));
        if !in_calamine {
            abort(info);
        }
    }));
}

fuzz_target!(init: unwind_caught_calamine_panics(), |bytes: &[u8]| {
    event_atlas::io::fuzzing::workbook(bytes);
});
