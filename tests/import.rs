//! `pkwc import`: Marathon JSON written back as pkw. The round trip over every example and ok case, in both
//! dialects: `build → import → build` gives the identical JSON.

use std::path::{Path, PathBuf};

use pkwc::version::Version;
use pkwc::{compile, import_json, Inputs, Options};

struct DirLoader(PathBuf);

impl pkwc::Loader for DirLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
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
                let (c, text) = import_json("built.json", first.clone(), Some(version));
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
