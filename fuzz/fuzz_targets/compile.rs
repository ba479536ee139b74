#![no_main]
//! The whole front end on arbitrary bytes: decode, parse, check, render diagnostics (human and JSON) and
//! emit Marathon JSON. Nothing may panic. The first byte picks the Marathon dialect (legacy 0.8 for an odd
//! byte, 1.10 otherwise); the whole input, first byte included, is the source file.

use libfuzzer_sys::fuzz_target;

/// Imports find nothing: the fuzzer exercises one file at a time.
struct NoFiles;

impl pkwc::Loader for NoFiles {
    fn load(&self, _path: &std::path::Path) -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

fuzz_target!(|data: &[u8]| {
    let mut options = pkwc::Options::default();
    if data.first().is_some_and(|b| b & 1 == 1) {
        options.marathon = pkwc::version::Version::parse("0.8").expect("0.8 is a supported version");
    }
    let c = pkwc::compile("fuzz.pkw", data.to_vec(), options, pkwc::Inputs { loader: &NoFiles, sets: &[], path: None });
    let _ = pkwc::diagnostics::render_human(
        &c.diagnostics,
        &c.sources,
        pkwc::diagnostics::RenderOptions::default(),
    );
    let _ = pkwc::diagnostics::render_json(&c.diagnostics, &c.sources, "fuzz.pkw");
    let _ = c.json(options);
});
