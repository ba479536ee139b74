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

/// The JSON for `version`, checked against pkwc's table of the fields that version of Marathon reads: no
/// field it lacks or deprecates, every value of the right JSON type.
fn json(c: &Compilation, version: &str) -> String {
    let version = Version::parse(version).unwrap();
    let bytes = c.json(Options { marathon: version, ..Options::default() }).expect("no errors");
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let problems = pkwc::marathon::fields::group_problems(&value, version);
    assert!(problems.is_empty(), "JSON Marathon {version} would not read as written:\n{}", problems.join("\n"));
    String::from_utf8(bytes).unwrap()
}

/// The versions an example is built for: its `# versions: A, B` line (one legacy, one modern), or 0.8.2
/// and 1.10 for one that every Marathon can run.
fn example_versions(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match text.lines().find_map(|l| l.strip_prefix("# versions: ")) {
        Some(list) => list.split(['(']).next().unwrap_or("").split(',').map(|v| v.trim().to_string()).collect(),
        None => vec!["0.8.2".to_string(), "1.10".to_string()],
    }
}

#[test]
fn examples() {
    insta::glob!("../examples", "*.pkw", |path| {
        for version in example_versions(path) {
            let version = version.as_str();
            let c = compile_path(path, version);
            assert!(!c.has_errors(), "{}", human(&c));
            let dialect = if Version::parse(version).unwrap().is_legacy() { "legacy" } else { "modern" };
            let stem = path.file_stem().unwrap().to_string_lossy();
            insta::assert_snapshot!(format!("example-{stem}-{dialect}"), json(&c, version));
        }
    });
}

#[test]
fn ok_cases() {
    insta::glob!("cases/ok", "*.pkw", |path| {
        let version = case_version(path);
        let c = compile_path(path, &version);
        assert!(c.diagnostics.is_empty(), "ok cases raise no diagnostic at all:\n{}", human(&c));
        let name = path.file_stem().unwrap().to_string_lossy();
        insta::assert_snapshot!(format!("ok-{name}"), format!("{}{}", human(&c), json(&c, &version)));
    });
}

/// The target version a case picks with a first line `# marathon: 1.4.13` (default 1.10).
fn case_version(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines().next().and_then(|l| l.strip_prefix("# marathon: ")).unwrap_or("1.10").trim().to_string()
}

/// Err cases (warnings included) may pick their target version (`case_version`), and state the codes
/// they raise in a line `# expect: topic::name, …` (at the end, so that it moves no span).
#[test]
fn err_cases() {
    insta::glob!("cases/err", "*.pkw", |path| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let c = compile_path(path, &case_version(path));
        assert!(!c.diagnostics.is_empty(), "{} should raise a diagnostic", path.display());
        // The codes the case is about, stated in it: exactly these are raised.
        let expected: std::collections::BTreeSet<String> = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect:"))
            .unwrap_or_else(|| panic!("{} states no `# expect: CODE, …` line", path.display()))
            .split(',')
            .map(|c| format!("pkw::{}", c.trim().trim_start_matches("pkw::")))
            .collect();
        let raised: std::collections::BTreeSet<String> =
            c.diagnostics.iter().map(|d| d.code.as_str().to_string()).collect();
        assert_eq!(raised, expected, "{}: the codes raised differ from its `# expect:` line", path.display());
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

/// Every snapshot belongs to an input that exists and to a test above: no test reads a stale one.
#[test]
fn no_snapshot_is_unreferenced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/snapshots")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let input = text.lines().find_map(|l| l.strip_prefix("input_file: ")).map(str::trim);
        let referenced = input.is_some_and(|input| {
            let file = Path::new(input).file_name().unwrap().to_string_lossy().into_owned();
            let stem = file.trim_end_matches(".pkw");
            let wanted = match Path::new(input).parent().and_then(|p| p.to_str()) {
                Some("examples") => vec![format!("example-{stem}-legacy"), format!("example-{stem}-modern")],
                Some("tests/cases/ok") => vec![format!("ok-{stem}")],
                Some("tests/cases/err") => vec![format!("err-{stem}"), format!("err-json-{stem}")],
                _ => Vec::new(),
            };
            root.join(input).exists() && wanted.iter().any(|w| name == format!("cases__{w}@{file}.snap"))
        });
        if !referenced {
            stale.push(name);
        }
    }
    assert!(stale.is_empty(), "snapshots no test reads: {stale:?}");
}

/// The JSON paths of a group's fields and of its apps' (`container.X`, `container.docker.X`), as
/// `passthrough::COVERED` names them.
fn field_paths(group: &serde_json::Value, into: &mut std::collections::BTreeSet<String>) {
    let Some(group) = group.as_object() else { return };
    into.extend(group.keys().cloned());
    for app in group.get("apps").and_then(|a| a.as_array()).into_iter().flatten() {
        for (key, value) in app.as_object().into_iter().flatten() {
            into.insert(key.clone());
            if key == "container" {
                for (k, v) in value.as_object().into_iter().flatten() {
                    into.insert(format!("container.{k}"));
                    if k == "docker" {
                        into.extend(v.as_object().into_iter().flatten().map(|(d, _)| format!("container.docker.{d}")));
                    }
                }
            }
        }
    }
    for g in group.get("groups").and_then(|g| g.as_array()).into_iter().flatten() {
        field_paths(g, into);
    }
}

/// Every example and ok case, built for a version of each dialect and field history, writes only fields
/// that version reads, with values of the right JSON type (`json` checks; snapshots stay at two versions).
/// And every Marathon field a pkw directive covers is written by some example or case: no directive's
/// field is unreachable.
#[test]
fn every_dialect_writes_only_fields_marathon_reads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let mut written = std::collections::BTreeSet::new();
    for dir in ["examples", "tests/cases/ok"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pkw") {
                continue;
            }
            for version in ["0.8.2", "0.15", "1.0", "1.3", "1.4.5", "1.4.13", "1.5", "1.10"] {
                let c = compile_path(&path, version);
                if !c.has_errors() {
                    let value: serde_json::Value = serde_json::from_str(&json(&c, version)).unwrap();
                    field_paths(&value, &mut written);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked} builds checked");
    let unwritten: Vec<&str> = pkwc::check::passthrough::COVERED
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| !written.contains(*path))
        .collect();
    assert!(unwritten.is_empty(), "no example or ok case writes these fields a directive covers: {unwritten:?}");
}
