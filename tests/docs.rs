//! Documentation that must keep up with the code: the language reference names every directive of the
//! schema table, and every diagnostic code has a complete explanation.

use pkwc::diagnostics::Code;
use pkwc::schema::DIRECTIVES;

#[test]
fn language_reference_documents_every_directive() {
    let reference = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md")).unwrap();
    let missing: Vec<&str> =
        DIRECTIVES.iter().map(|d| d.name).filter(|n| !reference.contains(&format!("### `{n}`"))).collect();
    assert!(missing.is_empty(), "docs/language.md lacks a `### \\`NAME\\`` section for: {missing:?}");
}

#[test]
fn every_code_has_a_complete_explanation() {
    for code in Code::ALL {
        let text = code.explanation();
        for section in ["## What it means", "## Why it matters", "## Example", "## Fix"] {
            assert!(text.contains(section), "{} lacks `{section}`", code.as_str());
        }
        assert!(!text.contains("TODO"), "{} is not written yet", code.as_str());
    }
}

#[test]
fn codes_are_unique_and_parse_back() {
    for code in Code::ALL {
        assert_eq!(Code::parse(code.as_str()), Some(*code));
        assert_eq!(Code::ALL.iter().filter(|c| c.as_str() == code.as_str()).count(), 1);
    }
}

#[test]
fn every_code_is_raised_by_a_test() {
    // A code that no case snapshot and no binary test shows has never been seen by anyone.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = String::new();
    for entry in std::fs::read_dir(root.join("tests/snapshots")).unwrap() {
        seen.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    for file in ["tests/cli.rs", "tests/hostile.rs", "tests/json_read.rs", "tests/json_check.rs", "tests/import.rs"] {
        seen.push_str(&std::fs::read_to_string(root.join(file)).unwrap());
    }
    let missing: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).filter(|c| !seen.contains(c)).collect();
    assert!(missing.is_empty(), "no test raises: {missing:?}");
}
