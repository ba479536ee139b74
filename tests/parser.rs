//! The lossless tree (`syntax::cst`): parse-tree snapshots of `tests/data/parser/{ok,err}` in the style of
//! rust-analyzer's parser tests (each input with its tree, and for err inputs the codes raised), and the
//! round trip: printing the tree's tokens gives back the file byte for byte, over every example, case and
//! parser input, and every prefix of each (a file cut anywhere: unclosed blocks, strings, comments).

mod common;

use std::path::{Path, PathBuf};

use pkwc::source::FileId;
use pkwc::syntax::{cst, parse};

fn tree_of(text: &str) -> (String, Vec<String>) {
    let (tree, diags) = parse(text, FileId(0));
    let node = cst::build(text, &tree);
    let mut codes: Vec<String> = diags.iter().map(|d| d.code.as_str().to_string()).collect();
    codes.sort();
    codes.dedup();
    (cst::dump(&node, text), codes)
}

fn lossless(text: &str) -> bool {
    let (tree, _) = parse(text, FileId(0));
    let node = cst::build(text, &tree);
    let printed: String = cst::tokens(&node).iter().map(|t| t.text(text)).collect();
    printed == text
}

/// Snapshots live beside the inputs, in `tests/data/parser/snapshots`.
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("data/parser/snapshots");
    s
}

#[test]
fn ok_trees() {
    settings().bind(|| {
        insta::glob!("data/parser/ok", "*.pkw", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (tree, codes) = tree_of(&text);
            assert!(codes.is_empty(), "{}: {codes:?}", path.display());
            insta::assert_snapshot!(tree);
        });
    });
}

#[test]
fn err_trees() {
    settings().bind(|| {
        insta::glob!("data/parser/err", "*.pkw", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (tree, codes) = tree_of(&text);
            assert!(!codes.is_empty(), "{} parses without a syntax error", path.display());
            insta::assert_snapshot!(format!("{tree}\ncodes: {}\n", codes.join(", ")));
        });
    });
}

/// Every parse-tree snapshot is one of an input that exists.
#[test]
fn no_tree_snapshot_is_unreferenced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("tests/data/parser/snapshots")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let input = text.lines().find_map(|l| l.strip_prefix("input_file: ")).map(str::trim).unwrap_or("");
        let file = Path::new(input).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let kind = if input.contains("/parser/ok/") { "ok" } else { "err" };
        assert!(
            root.join(input).exists() && name == format!("parser__{kind}_trees@{file}.snap"),
            "snapshot no test reads: {name}"
        );
    }
}

fn inputs() -> Vec<PathBuf> {
    common::pkw_files(&["examples", "tests/cases", "tests/data/parser"])
}

#[test]
fn the_tree_prints_back_every_file_and_every_prefix() {
    let mut files = 0;
    for path in inputs() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(lossless(&text), "{}", path.display());
        // Cut anywhere (on a character boundary): whatever the parser recovers, no byte is lost.
        for cut in (1..text.len()).step_by(89).filter(|&c| text.is_char_boundary(c)) {
            assert!(lossless(&text[..cut]), "{} cut at {cut}", Path::new(&path).display());
        }
        files += 1;
    }
    assert!(files > 100, "only {files} inputs");
}

/// Reparsing after an edit gives the tree a full parse gives: over every clean input, edits at many places
/// (a character typed, a word deleted, a line added, a brace or quote or `#` typed), whenever the
/// incremental path takes the edit.
#[test]
fn a_reparse_after_an_edit_is_the_full_parse() {
    let (mut incremental, mut whole) = (0, 0);
    for path in inputs() {
        let old = std::fs::read_to_string(&path).unwrap();
        let (tree, diags) = parse(&old, FileId(0));
        if !diags.is_empty() {
            continue;
        }
        let positions: Vec<usize> = (1..old.len()).step_by(37).filter(|&c| old.is_char_boundary(c)).collect();
        for (k, &at) in positions.iter().enumerate() {
            let edits = ["x", " 2", "\n    cpus 1\n", "}", "{", "\"", "# ", ";"];
            let insert = edits[k % edits.len()];
            let mut candidates = vec![format!("{}{insert}{}", &old[..at], &old[at..])];
            // A deletion of a few bytes.
            let end = (at + 1 + k % 7).min(old.len());
            if old.is_char_boundary(end) {
                candidates.push(format!("{}{}", &old[..at], &old[end..]));
            }
            for new in candidates {
                let Some((fast, fast_diags)) = pkwc::syntax::reparse(&old, tree.clone(), &new, FileId(0)) else {
                    whole += 1;
                    continue;
                };
                let (full, full_diags) = parse(&new, FileId(0));
                assert!(
                    full_diags.is_empty() && fast_diags.is_empty(),
                    "{}: reparse took an edit with errors:\n{new}",
                    path.display()
                );
                assert_eq!(
                    format!("{fast:?}"),
                    format!("{full:?}"),
                    "{}: reparse differs from a full parse:\n{new}",
                    path.display()
                );
                incremental += 1;
            }
        }
    }
    eprintln!("incremental {incremental}, whole {whole}");
    assert!(incremental > 1000 && whole > 1000, "incremental {incremental}, whole {whole}");
}
