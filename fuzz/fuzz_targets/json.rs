#![no_main]
//! Marathon JSON on arbitrary bytes: `check` (read, classify, into the model, every rule, rendered) and
//! `import --verify` (written as pkw, built and compared back). Nothing may panic. The first byte picks the version
//! (legacy 1.4 for an odd byte, 1.10 otherwise).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut options = pkwc::Options::default();
    if data.first().is_some_and(|b| b & 1 == 1) {
        options.marathon = pkwc::version::Version::parse("1.4").expect("1.4 is a supported version");
    }
    let c = pkwc::check_json(vec![("fuzz.json".into(), data.to_vec())], options);
    let _ = pkwc::diagnostics::render_human(&c.diagnostics, &c.sources, pkwc::diagnostics::RenderOptions::default());
    let _ = pkwc::diagnostics::render_json(&c.diagnostics, &c.sources, "fuzz.json");
    let import = pkwc::ImportOptions { marathon: Some(options.marathon), verify: true };
    let (_, text) = pkwc::import_json("fuzz.json", data.to_vec(), import);
    let _ = text;
});
