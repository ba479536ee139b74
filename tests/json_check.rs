//! `pkwc check` on Marathon JSON: the fixtures of `tests/data/json/check/` (written for these tests) read
//! into the model and checked with every rule, as one cluster when several files are given. Each case
//! states the codes it expects; the rendered report, worded for JSON, is a snapshot.

use std::collections::BTreeSet;

use pkwc::diagnostics::{render_human, RenderOptions};
use pkwc::version::Version;
use pkwc::{check_json, Compilation, Options};

fn check(files: &[&str], version: &str) -> Compilation {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/json/check");
    let inputs = files
        .iter()
        .map(|f| (f.to_string(), std::fs::read(format!("{dir}/{f}")).unwrap_or_else(|e| panic!("{f}: {e}"))))
        .collect();
    check_json(inputs, Options { marathon: Version::parse(version).unwrap(), ..Options::default() })
}

fn codes(c: &Compilation) -> BTreeSet<&'static str> {
    c.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn snapshot(name: &str, c: &Compilation) {
    let text = render_human(&c.diagnostics, &c.sources, RenderOptions { color: false, width: 100 });
    insta::with_settings!({ snapshot_path => "data/json/check/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// (files, --marathon, the codes expected)
const CASES: &[(&[&str], &str, &[&str])] = &[
    (
        &["legacy-group.json"],
        "1.10",
        &[
            "pkw::json::unknown-field",
            "pkw::json::wrong-type",
            "pkw::json::dialect",
            "pkw::json::bad-value",
            "pkw::health::timeout-exceeds-interval",
            "pkw::deps::unknown-target",
            "pkw::ports::host-port-no-unique-host",
            "pkw::upgrade::out-of-range",
        ],
    ),
    (
        &["legacy-group.json"],
        "1.4",
        &[
            "pkw::json::unknown-field",
            "pkw::json::wrong-type",
            "pkw::json::bad-value",
            "pkw::health::timeout-exceeds-interval",
            "pkw::deps::unknown-target",
            "pkw::ports::host-port-no-unique-host",
            "pkw::upgrade::out-of-range",
        ],
    ),
    (
        &["dcos-services.json"],
        "1.10",
        &[
            "pkw::app::pull-secret",
            "pkw::app::persistent-volume",
            "pkw::app::unreachable",
            "pkw::health::readiness",
            "pkw::json::undeclared-secret",
            "pkw::app::resource-limit",
        ],
    ),
    (
        &["dcos-services.json"],
        "1.4",
        &[
            "pkw::version::unsupported",
            "pkw::app::pull-secret",
            "pkw::app::persistent-volume",
            "pkw::app::unreachable",
            "pkw::health::readiness",
            "pkw::json::undeclared-secret",
            "pkw::app::resource-limit",
        ],
    ),
    (&["mixed-dialect.json"], "1.10", &["pkw::json::mixed-dialect"]),
    (&["partial.json"], "1.10", &["pkw::json::missing-field", "pkw::json::not-checked"]),
    (
        &["cluster-a.json", "cluster-b.json"],
        "1.10",
        &["pkw::ports::host-port-shared", "pkw::upgrade::needs-spare-agent"],
    ),
];

#[test]
fn every_case_raises_the_codes_it_states() {
    for (files, version, expected) in CASES {
        let c = check(files, version);
        let expected: BTreeSet<&str> = expected.iter().copied().collect();
        assert_eq!(codes(&c), expected, "{files:?} checked as {version}");
        let name = format!("{}-{}", files.join("+").replace(".json", ""), version);
        snapshot(&name, &c);
    }
}

/// Marathon's own answer to `GET /v2/groups`: server-only fields are set aside, nothing is reported.
#[test]
fn a_marathon_answer_checks_clean() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/json");
    for f in ["groups-response.json", "apps-response.json", "app-response.json", "group.json", "app.json"] {
        let bytes = std::fs::read(format!("{dir}/{f}")).unwrap();
        let c = check_json(vec![(f.to_string(), bytes)], Options::default());
        let found: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(found.is_empty(), "{f}: {found:?}");
        assert!(c.cluster.is_some(), "{f}: a model");
    }
}

/// The JSON every example builds to checks clean (warnings aside) when read back: the reader and the
/// emitter agree on every field pkw writes, in both dialects.
#[test]
fn what_pkwc_builds_reads_back_without_errors() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut read = 0;
    for dir in ["examples", "tests/cases/ok"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pkw") {
                continue;
            }
            for version in ["1.4.13", "1.10"] {
                let options = Options { marathon: Version::parse(version).unwrap(), ..Options::default() };
                let loader = DirLoader(path.parent().unwrap().to_path_buf());
                let c = pkwc::compile(
                    "x.pkw",
                    std::fs::read(&path).unwrap(),
                    options,
                    pkwc::Inputs { loader: &loader, sets: &[], path: None },
                );
                let Some(json) = c.json(options) else { continue };
                // A file that declares `external` targets depends on apps outside it: Marathon JSON has no
                // such declaration, so read alone those dependencies name nothing.
                let externals =
                    std::fs::read_to_string(&path).unwrap().lines().any(|l| l.trim_start().starts_with("external "));
                let back = check_json(vec![("built.json".into(), json)], options);
                let errors: Vec<String> = back
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error() || d.code.topic() == "json")
                    .filter(|d| !(externals && d.code.as_str() == "pkw::deps::unknown-target"))
                    .map(|d| format!("{}: {}", d.code.as_str(), d.message))
                    .collect();
                assert!(errors.is_empty(), "{} built for {version} reads back with {errors:?}", path.display());
                read += 1;
            }
        }
    }
    assert!(read > 40, "{read} read back");
}

struct DirLoader(std::path::PathBuf);

impl pkwc::Loader for DirLoader {
    fn load(&self, path: &std::path::Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

/// Every value of every fixture replaced by each JSON kind, and every fixture cut at every byte: the reader
/// and the rules report, and never panic.
#[test]
fn any_value_of_any_type_is_reported_never_a_panic() {
    fn paths(v: &serde_json::Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    at.push(k.clone());
                    paths(x, at, out);
                    at.pop();
                }
            }
            serde_json::Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    at.push(i.to_string());
                    paths(x, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let replacements = ["null", "true", "-1", "0.5", "1e400", "\"\"", "\"x\"", "[]", "[1]", "{}", "{\"a\": 1}"];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/json/check");
    let mut runs = 0;
    for f in ["legacy-group.json", "dcos-services.json", "partial.json", "cluster-b.json"] {
        let text = std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut all = Vec::new();
        paths(&value, &mut Vec::new(), &mut all);
        for path in &all {
            for r in replacements {
                let mut changed = value.clone();
                let mut slot = &mut changed;
                for key in path {
                    slot = match slot {
                        serde_json::Value::Object(m) => m.get_mut(key).unwrap(),
                        serde_json::Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
                        _ => unreachable!(),
                    };
                }
                // `1e400` is not a number serde_json holds: splice it in as text.
                *slot = serde_json::Value::String("\u{1}".into());
                let text = serde_json::to_string(&changed).unwrap().replace("\"\\u0001\"", r);
                let c = check_json(vec![(f.into(), text.into_bytes())], Options::default());
                assert!(c.diagnostics.iter().all(|d| !d.message.is_empty()));
                runs += 1;
            }
        }
        for cut in 0..text.len() {
            if text.is_char_boundary(cut) {
                check_json(vec![(f.into(), text.as_bytes()[..cut].to_vec())], Options::default());
                runs += 1;
            }
        }
    }
    assert!(runs > 4_000, "{runs} runs");
}
