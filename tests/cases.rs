//! Data-driven tests: every example and every case in `tests/cases/{ok,err}` is compiled and its output
//! snapshotted: the JSON in both dialects for examples and ok cases, the rendered diagnostics for err cases.

use std::path::{Path, PathBuf};

use pkwc::diagnostics::{render_human, render_json, RenderOptions};
use pkwc::version::Version;
use pkwc::{compile, Compilation, Options};

/// Reads imports from the directory of the case, so that names in snapshots stay relative.
struct DirLoader(PathBuf);

impl pkwc::Loader for DirLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

fn compile_path(path: &Path, version: &str) -> Compilation {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let bytes = std::fs::read(path).unwrap();
    let loader = DirLoader(path.parent().unwrap().to_path_buf());
    compile(
        &name,
        bytes,
        Options { marathon: Version::parse(version).unwrap(), ..Options::default() },
        pkwc::Inputs { loader: &loader, sets: &[], path: None },
    )
}

fn human(c: &Compilation) -> String {
    render_human(&c.diagnostics, &c.sources, RenderOptions { color: false, width: 100 })
}

fn json(c: &Compilation, version: &str) -> String {
    let bytes =
        c.json(Options { marathon: Version::parse(version).unwrap(), ..Options::default() }).expect("no errors");
    String::from_utf8(bytes).unwrap()
}

#[test]
fn examples() {
    insta::glob!("../examples", "*.pkw", |path| {
        for version in ["0.8", "1.10"] {
            let c = compile_path(path, version);
            assert!(!c.has_errors(), "{}", human(&c));
            let dialect = if version == "0.8" { "legacy" } else { "modern" };
            let stem = path.file_stem().unwrap().to_string_lossy();
            insta::assert_snapshot!(format!("example-{stem}-{dialect}"), json(&c, version));
        }
    });
}

#[test]
fn ok_cases() {
    insta::glob!("cases/ok", "*.pkw", |path| {
        let c = compile_path(path, "1.10");
        assert!(c.diagnostics.is_empty(), "ok cases raise no diagnostic at all:\n{}", human(&c));
        let name = path.file_stem().unwrap().to_string_lossy();
        insta::assert_snapshot!(format!("ok-{name}"), format!("{}{}", human(&c), json(&c, "1.10")));
    });
}

/// Err cases (warnings included) may pick their target version with a first line `# marathon: 1.2`.
#[test]
fn err_cases() {
    insta::glob!("cases/err", "*.pkw", |path| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let version =
            text.lines().next().and_then(|l| l.strip_prefix("# marathon: ")).unwrap_or("1.10").trim().to_string();
        let c = compile_path(path, &version);
        assert!(!c.diagnostics.is_empty(), "{} should raise a diagnostic", path.display());
        let name = path.file_stem().unwrap().to_string_lossy();
        insta::assert_snapshot!(format!("err-{name}"), human(&c));
    });
}

/// The machine rendering of a few err cases.
#[test]
fn err_cases_json() {
    insta::glob!("cases/err", "json-*.pkw", |path| {
        let c = compile_path(path, "1.10");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(
            format!("err-json-{}", name.trim_end_matches(".pkw")),
            render_json(&c.diagnostics, &c.sources, &name)
        );
    });
}
