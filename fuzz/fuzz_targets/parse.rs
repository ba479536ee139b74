#![no_main]
//! The parser on arbitrary text: it must never panic, whatever the input.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pkwc::syntax::parse(text, pkwc::source::FileId(0));
    }
});
