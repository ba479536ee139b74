//! `pkwc import`: Marathon JSON written back as pkw. The round trip over every example and ok case, in three
//! dialects: `build → import → build` gives the identical JSON. Every import here but the last test's runs with
//! `verify`, so the guarantee that plain `pkwc import` relies on is checked on every fixture and round trip.

use std::path::{Path, PathBuf};

use pkwc::version::Version;
use pkwc::{compile, import_json, ImportOptions, Inputs, Options};

struct DirLoader(PathBuf);

impl pkwc::Loader for DirLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

/// Every import here is verified: the pkw written is built and compared with the file (a difference is an
/// error), so that the guarantee default imports rely on is checked on every fixture and round trip.
fn verified(marathon: Option<Version>) -> ImportOptions {
    ImportOptions { marathon, verify: true }
}

fn build(name: &str, bytes: Vec<u8>, version: Version, dir: &Path) -> Result<Vec<u8>, String> {
    let options = Options { marathon: version, ..Options::default() };
    let loader = DirLoader(dir.to_path_buf());
    let c = compile(name, bytes, options, Inputs { loader: &loader, sets: &[], path: None });
    c.json(options).ok_or_else(|| {
        let errors: Vec<String> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.code.as_str(), d.message))
            .collect();
        errors.join("\n")
    })
}

#[test]
fn build_import_build_gives_the_same_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in ["examples", "tests/cases/ok"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pkw") {
                continue;
            }
            for version in ["0.8.2", "1.4.13", "1.10"] {
                let version = Version::parse(version).unwrap();
                let dir = path.parent().unwrap();
                let Ok(first) = build("x.pkw", std::fs::read(&path).unwrap(), version, dir) else { continue };
                let (c, text) = import_json("built.json", first.clone(), verified(Some(version)));
                let Some(text) = text else {
                    let d: Vec<String> =
                        c.diagnostics.iter().map(|d| format!("{}: {}", d.code.as_str(), d.message)).collect();
                    failures.push(format!("{} ({version}): import failed: {d:?}", path.display()));
                    continue;
                };
                match build("imported.pkw", text.clone().into_bytes(), version, dir) {
                    Ok(second) => {
                        let a: serde_json::Value = serde_json::from_slice(&first).unwrap();
                        let b: serde_json::Value = serde_json::from_slice(&second).unwrap();
                        if a != b {
                            failures.push(format!("{} ({version}): JSON differs\n{text}", path.display()));
                        }
                    }
                    Err(e) => {
                        failures.push(format!("{} ({version}): the import does not build: {e}\n{text}", path.display()))
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} round trips failed:\n{}", failures.len(), failures.join("\n\n"));
    assert!(checked > 60, "{checked} round trips");
}

fn import_fixture(name: &str) -> (pkwc::Compilation, Option<String>) {
    let path = format!("{}/tests/data/json/{name}", env!("CARGO_MANIFEST_DIR"));
    import_json(name, std::fs::read(&path).unwrap(), verified(None))
}

/// Each input form and dialect imports (the import checks its own round trip: a difference is an error),
/// and what it writes is a snapshot, reviewed.
#[test]
fn every_fixture_imports_and_builds_back_equal() {
    for name in [
        "import/dcos-edge.json",
        "import/legacy-cassandra.json",
        "app.json",
        "apps.json",
        "group.json",
        "app-response.json",
        "apps-response.json",
        "groups-response.json",
        "trailing-comma.json",
        "check/cluster-b.json",
    ] {
        let (c, text) = import_fixture(name);
        let errors: Vec<String> = c.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
        let Some(text) = text else { panic!("{name}: {errors:?}") };
        // Without `verify`, the same text.
        let path = format!("{}/tests/data/json/{name}", env!("CARGO_MANIFEST_DIR"));
        let (_, unverified) = import_json(name, std::fs::read(&path).unwrap(), ImportOptions::default());
        assert_eq!(unverified.as_deref(), Some(text.as_str()), "{name}");
        let snapshot = name.replace(['/', '.'], "-");
        insta::with_settings!({ snapshot_path => "data/json/import/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(snapshot, text);
        });
    }
}

/// A group of 100 apps that differ only in their instances and one env value: one template, 100 uses.
#[test]
fn a_hundred_similar_apps_share_a_template() {
    let apps: Vec<String> = (0..100)
        .map(|i| {
            format!(
                r#"{{"id": "/fleet/worker-{i}", "container": {{"type": "DOCKER", "docker": {{"image": "registry.example.com/worker:7"}}}},
                "cpus": 0.25, "mem": 256, "instances": {}, "env": {{"SHARD": "{i}", "QUEUE": "jobs"}},
                "constraints": [["hostname", "UNIQUE"]], "healthChecks": [{{"protocol": "COMMAND", "command": {{"value": "./ok"}}}}]}}"#,
                1 + i % 3
            )
        })
        .collect();
    let json = format!(r#"{{"id": "/fleet", "apps": [{}]}}"#, apps.join(","));
    let (c, text) = import_json("fleet.json", json.into_bytes(), verified(None));
    let text = text.unwrap_or_else(|| panic!("{:?}", c.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()));
    assert_eq!(text.matches("template worker {").count(), 1, "{text}");
    assert_eq!(text.matches(" from worker").count(), 100, "{text}");
    // What every app shares is written once.
    assert_eq!(text.matches("image \"registry.example.com/worker:7\"").count(), 1, "{text}");
    assert_eq!(text.matches("env QUEUE").count(), 1, "{text}");
    assert_eq!(text.matches("env SHARD").count(), 100, "{text}");
}

/// What pkw cannot write back is an error, and nothing is written.
#[test]
fn what_cannot_be_kept_is_an_error_never_a_silent_loss() {
    let json = br#"{"id": "/jobs/report", "cmd": "./report", "executorResources": {"cpus": [0.1]}}"#;
    let (c, text) = import_json("report.json", json.to_vec(), verified(None));
    assert!(text.is_none());
    assert!(c.diagnostics.iter().any(|d| d.code.as_str() == "pkw::import::lost"), "{:?}", c.diagnostics);
    // Broken JSON: the reader's error, nothing written.
    let (c, text) = import_json("broken.json", b"{\"id\": \"/a\" \"cmd\": 1}".to_vec(), verified(None));
    assert!(text.is_none());
    assert!(c.diagnostics.iter().any(|d| d.code.as_str() == "pkw::json::syntax"));
}

/// Without `verify`, a field of the model the import cannot write is an error all the same: the import names
/// every field (the compiler holds it to that), and reports those pkw has no way to say.
#[test]
fn an_unverified_import_reports_what_it_cannot_write() {
    for (json, what) in [
        (
            r#"{"id": "/db", "cmd": "./db", "container": {"type": "MESOS", "volumes": [{"containerPath": "data", "mode": "RO", "persistent": {"size": 100}}]}}"#,
            "a read-only persistent volume",
        ),
        (
            r#"{"id": "/db", "cmd": "./db", "container": {"type": "MESOS", "volumes": [{"containerPath": "data", "hostPath": "/x", "mode": "RW", "persistent": {"size": 100}}]}}"#,
            "a host path on a persistent",
        ),
    ] {
        for verify in [false, true] {
            let (c, text) = import_json("db.json", json.as_bytes().to_vec(), ImportOptions { marathon: None, verify });
            assert!(text.is_none(), "{json}");
            assert!(
                c.diagnostics.iter().any(|d| d.code.as_str() == "pkw::import::lost" && d.message.contains(what)),
                "{json}: {:?}",
                c.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
        }
    }
}
