//! `pkwc fmt` over every example and case: the tokens print back the file, formatting is idempotent and
//! never changes what a file builds to, the examples are in the canonical layout, and the command line's
//! `--check` says which files would change.

mod common;

use std::path::{Path, PathBuf};

use common::{pkwc, stderr, temp_dir};
use pkwc::version::Version;
use pkwc::{compile, format_source, Inputs, Options};

struct DirLoader(PathBuf);

impl pkwc::Loader for DirLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["examples", "examples/lib", "tests/cases/ok", "tests/cases/err"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "pkw") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn json(path: &Path, text: &str, version: &str) -> Option<Vec<u8>> {
    let options = Options { marathon: Version::parse(version).unwrap(), ..Options::default() };
    let loader = DirLoader(path.parent().unwrap().to_path_buf());
    let c = compile("x.pkw", text.as_bytes().to_vec(), options, Inputs { loader: &loader, sets: &[], path: None });
    c.json(options)
}

#[test]
fn tokens_print_back_every_file() {
    for path in inputs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let printed: String = pkwc::syntax::tokens::tokenize(&text).iter().map(|t| t.text(&text)).collect();
        assert_eq!(printed, text, "{}", path.display());
    }
}

#[test]
fn formatting_is_idempotent_and_keeps_what_a_file_builds_to() {
    let mut formatted = 0;
    for path in inputs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(once) = format_source("x.pkw", text.clone().into_bytes()) else { continue };
        let twice = format_source("x.pkw", once.clone().into_bytes()).expect("formatted text formats");
        assert_eq!(once, twice, "{} is not idempotent", path.display());
        for version in ["1.4.13", "1.10"] {
            assert_eq!(
                json(&path, &text, version),
                json(&path, &once, version),
                "{} builds differently",
                path.display()
            );
        }
        formatted += 1;
    }
    assert!(formatted > 100, "{formatted} files formatted");
}

#[test]
fn the_examples_are_in_the_canonical_layout() {
    for path in inputs().into_iter().filter(|p| p.to_string_lossy().contains("/examples/")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let formatted = format_source("x.pkw", text.clone().into_bytes()).unwrap();
        assert_eq!(formatted, text, "`pkwc fmt {}` would change it", path.display());
    }
}

#[test]
fn fmt_rewrites_in_place_and_check_names_what_would_change() {
    let dir = temp_dir("fmt");
    let file = dir.join("messy.pkw");
    std::fs::write(&file, "group   g {\n app a {\n cmd \"./run\"\n }\n}").unwrap();
    let check = pkwc(&["fmt", "--check", file.to_str().unwrap()], None);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("would be reformatted"), "{}", stderr(&check));
    let run = pkwc(&["fmt", file.to_str().unwrap()], None);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "group g {\n  app a {\n    cmd \"./run\"\n  }\n}\n");
    let again = pkwc(&["fmt", "--check", file.to_str().unwrap()], None);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    // Standard input to standard output.
    let out = pkwc(&["fmt", "-"], Some(b"app a {\ncmd \"./run\"\n}\n"));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "app a {\n  cmd \"./run\"\n}\n");
    // Unbalanced braces: the unclosed block (to where its indentation ends it) and the stray `}` stay byte
    // for byte, the rest is formatted, and formatting again changes nothing.
    for (broken, want) in [
        (
            "group shop {\n  app api {\n    image   \"api\"\n      cpus -1\n\n  app worker {\n        cmd   \"./work\"\n  }\n}\n",
            "group shop {\n  app api {\n    image   \"api\"\n      cpus -1\n\n  app worker {\n    cmd \"./work\"\n  }\n}\n",
        ),
        (
            "app a {\n      cmd   \"x\"\n}\n   }\napp   b { cmd \"y\" }\n",
            "app a {\n  cmd \"x\"\n}\n   }\napp b { cmd \"y\" }\n",
        ),
    ] {
        let out = pkwc(&["fmt", "-"], Some(broken.as_bytes()));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let formatted = String::from_utf8(out.stdout).unwrap();
        assert_eq!(formatted, want);
        let again = pkwc(&["fmt", "-"], Some(formatted.as_bytes()));
        assert_eq!(String::from_utf8(again.stdout).unwrap(), formatted);
    }
    // What cannot be laid out at all is refused, and nothing is printed.
    let out = pkwc(&["fmt", "-"], Some(b"app a {\r cmd \"x\" }\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("pkw::input::bare-cr"), "{}", stderr(&out));
}
