//! What the tests of the binary share: running it, reading what it printed, a scratch directory.

#![allow(dead_code)] // each test file uses its own part

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args`, feeding `stdin`.
pub fn pkwc(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pkwc"));
    cmd.args(args).env_remove("NO_COLOR").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("pkwc runs");
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.unwrap_or(b"").to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pkwc-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Compares a checker with a table of Java's verdicts (`OK<TAB>"input"` or
/// `ERR<TAB>"input"<TAB>index<TAB>description`): returns how many entries there are and every one that differs.
pub fn against_java(table: &str, check: impl Fn(&str) -> Result<(), (String, String)>) -> (usize, Vec<String>) {
    let mut wrong = Vec::new();
    let mut count = 0;
    for line in table.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let input: String = serde_json::from_str(fields[1]).unwrap();
        count += 1;
        let ours = check(&input);
        let java = match fields[0] {
            "OK" => Ok(()),
            _ => Err((fields[2].to_string(), fields[3].to_string())),
        };
        if ours != java {
            wrong.push(format!("{}: Java {java:?}, pkwc {ours:?}", fields[1]));
        }
    }
    (count, wrong)
}

/// Every `.pkw` file below these folders of the project (`examples`, `tests/cases`, …), sorted.
pub fn pkw_files(folders: &[&str]) -> Vec<PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = folders.iter().map(|f| root.join(f)).collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "pkw") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
