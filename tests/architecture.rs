//! The arrows of ARCHITECTURE.md, checked on the source: the rules read only the model, the emitter only
//! the model, the field table only versions. A `use` that breaks an arrow fails here, not in review.

use std::path::Path;

/// The modules of `src/check/` that hold Marathon's rules (everything but the lowering).
const RULES: &[&str] = &[
    "app",
    "cluster",
    "constraints",
    "deps",
    "expand",
    "health",
    "names",
    "passthrough",
    "ports",
    "readiness",
    "upgrade",
    "versions",
    "volumes",
    "java_regex",
    "java_uri",
];

/// What the rules never name: the syntax tree, the lowering, argument matching, directive semantics.
const NOT_FOR_RULES: &[&str] =
    &["crate::syntax", "super::lower", "super::apply", "super::args", "crate::check::lower", "crate::check::apply"];

fn source(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// Every path a file names: `crate::…` and `super::…`, in `use` lines and inline.
fn named_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for start in ["crate::", "super::"] {
        let mut rest = text;
        while let Some(at) = rest.find(start) {
            let tail = &rest[at..];
            let len = tail.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(tail.len());
            paths.push(tail[..len].trim_end_matches(':').to_string());
            rest = &rest[at + start.len()..];
        }
    }
    paths
}

#[test]
fn rules_read_only_the_model() {
    for rule in RULES {
        let file = format!("src/check/{rule}.rs");
        for path in named_paths(&source(&file)) {
            let forbidden = NOT_FOR_RULES.iter().any(|f| path.starts_with(f));
            // The schema table's directives are not the rules' business; only its "did you mean" helper is.
            let schema = path.starts_with("crate::schema") && path != "crate::schema::closest";
            assert!(!forbidden && !schema, "{file} names `{path}`: the rules read only the model");
        }
    }
}

#[test]
fn the_emitter_reads_only_the_model() {
    for path in named_paths(&source("src/marathon/emit.rs")) {
        assert!(
            path.starts_with("crate::model") || path.starts_with("crate::version") || path.starts_with("super"),
            "src/marathon/emit.rs names `{path}`"
        );
    }
    for path in named_paths(&source("src/marathon/fields.rs")) {
        assert!(
            path.starts_with("crate::version") || path.starts_with("super"),
            "src/marathon/fields.rs names `{path}`"
        );
    }
}

#[test]
fn the_model_depends_on_nothing_but_spans() {
    for path in named_paths(&source("src/model.rs")) {
        assert!(path.starts_with("crate::source"), "src/model.rs names `{path}`");
    }
}

#[test]
fn the_path_scanner_sees_uses() {
    let paths = named_paths("use crate::syntax::{Arg, Value};\nlet x = super::lower::f();");
    assert_eq!(paths, ["crate::syntax", "super::lower::f"]);
}

#[test]
fn the_json_reader_knows_nothing_of_pkw_syntax() {
    for file in ["src/json/read.rs", "src/json/shape.rs", "src/json/tree.rs", "src/json/model.rs"] {
        for path in named_paths(&source(file)) {
            let pkw = path.starts_with("crate::syntax")
                || path.starts_with("crate::check::lower")
                || path.starts_with("crate::check::apply")
                || path.starts_with("crate::check::args")
                || (path.starts_with("crate::schema") && path != "crate::schema::closest");
            assert!(!pkw, "{file} names `{path}`: JSON is not pkw");
        }
    }
}

/// The editor side of the library (`src/ide/`) takes text and gives plain data: no threads, no file
/// system, no protocol types (those stay in `src/lsp.rs`, in the binary). And name resolution
/// (`check::uses`) is data the lowering fills, which nothing in the compiler reads back.
#[test]
fn the_ide_layer_has_no_threads_io_or_protocol() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ide")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for forbidden in
            ["lsp_types", "lsp_server", "std::thread", "thread::spawn", "thread::scope", "std::fs", "std::io::stdin"]
        {
            assert!(!text.contains(forbidden), "{} names `{forbidden}`", path.display());
        }
    }
    for rule in RULES {
        let text = source(&format!("src/check/{rule}.rs"));
        assert!(!text.contains("uses::"), "src/check/{rule}.rs reads name resolution: the rules read only the model");
    }
    assert!(!source("src/lib.rs").contains("lsp_"), "the library names protocol types");
}
