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
