//! A fuzzing smoke test that runs on the stable toolchain, in CI: every example and case file, cut at
//! every statement boundary and mutated a few thousand ways (byte flips, deleted and duplicated lines,
//! inserted braces, quotes and other tokens), goes through `compile` and both renderings. Nothing may
//! panic; a failure prints the input that caused it. The real fuzzing is `fuzz/` (cargo-fuzz, nightly).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pkwc::diagnostics::{render_human, render_json, RenderOptions};
use pkwc::version::Version;
use pkwc::{Inputs, Loader, Options};

/// Every `.pkw` file shipped with the project, by file name (imports are served from these).
fn inputs() -> Vec<(PathBuf, Vec<u8>)> {
    let out: Vec<(PathBuf, Vec<u8>)> = common::pkw_files(&["examples", "tests/cases"])
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    assert!(out.len() > 50, "the inputs are found");
    out
}

/// Serves imports from the shipped files, by file name, never from the file system.
struct Shipped(HashMap<String, Vec<u8>>);

impl Loader for Shipped {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.0.get(&name).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }
}

/// Compiles and renders `bytes` both ways, for both dialects; panics are caught and reported with the input.
fn survives(loader: &Shipped, what: &str, bytes: &[u8]) -> Result<(), String> {
    for version in ["1.10", "0.8"] {
        let options = Options { marathon: Version::parse(version).unwrap(), ..Options::default() };
        let run = std::panic::catch_unwind(|| {
            let c = pkwc::compile("smoke.pkw", bytes.to_vec(), options, Inputs { loader, sets: &[], path: None });
            let _ = render_human(&c.diagnostics, &c.sources, RenderOptions::default());
            let _ = render_json(&c.diagnostics, &c.sources, "smoke.pkw");
            let _ = c.json(options);
        });
        if run.is_err() {
            return Err(format!(
                "pkwc panicked on {what} (--marathon {version}); the input:\n{:?}",
                String::from_utf8_lossy(bytes)
            ));
        }
    }
    Ok(())
}

fn loader(files: &[(PathBuf, Vec<u8>)]) -> Shipped {
    Shipped(files.iter().map(|(p, b)| (p.file_name().unwrap().to_string_lossy().into_owned(), b.clone())).collect())
}

#[test]
fn every_input_cut_at_every_statement_boundary() {
    let files = inputs();
    let loader = loader(&files);
    let mut failures = Vec::new();
    let mut runs = 0;
    for (path, bytes) in &files {
        for (i, b) in bytes.iter().enumerate() {
            if matches!(b, b'\n' | b';' | b'{' | b'}') {
                runs += 1;
                let what = format!("{} cut after byte {i}", path.display());
                if let Err(e) = survives(&loader, &what, &bytes[..=i]) {
                    failures.push(e);
                }
            }
        }
    }
    assert!(runs > 1_000, "only {runs} cuts");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A small deterministic generator (xorshift64*), so that a failure is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens worth inserting: structure, strings, references, calls, units, odd bytes.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"\"",
    b"${",
    b"$",
    b"#",
    b";",
    b"\n",
    b"\r",
    b"(",
    b")",
    b"dns(",
    b"srv(../x)",
    b" from ",
    b" 0",
    b" -1",
    b" 99999999999999999999",
    b"s",
    b"GiB",
    b"%",
    b"/udp",
    b" ../",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\0",
    b"\\",
    b" template t { app a { image \"x\" } }\n",
    b" group g {\n",
    b" if $x {",
    b" import \"lib.pkw\"\n",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                // Delete or duplicate the line around `at`.
                let start = bytes[..at].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                let end = bytes[at..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| at + i + 1);
                let line: Vec<u8> = bytes[start..end].to_vec();
                if rng.below(2) == 0 {
                    bytes.drain(start..end);
                } else {
                    bytes.splice(end..end, line);
                }
            }
            _ => {
                let len = rng.below(16).min(bytes.len().saturating_sub(at));
                bytes.drain(at..at + len);
            }
        }
    }
    bytes
}

#[test]
fn every_input_mutated_many_ways() {
    let files = inputs();
    let loader = loader(&files);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut failures = Vec::new();
    let per_file = 4_000 / files.len() + 1;
    for (path, bytes) in &files {
        for n in 0..per_file {
            let mutated = mutate(&mut rng, bytes);
            let what = format!("{} mutation {n}", path.display());
            if let Err(e) = survives(&loader, &what, &mutated) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
