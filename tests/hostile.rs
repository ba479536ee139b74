//! Hostile and pathological input, one test per finding of the robustness issue: each asserts the exit
//! status, the diagnostic code, that nothing panicked, and (for `-o`) that nothing was left on disk.
//! Limits are in `src/limits.rs` and `docs/limits.md`.

mod common;

use std::io::{BufRead, Read};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{pkwc, stderr, temp_dir};

/// Asserts an exit status and codes, and that no panic was printed.
fn assert_exit(out: &Output, status: i32, codes: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(status), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for code in codes {
        assert!(err.contains(code), "expected `{code}` in:\n{err}");
    }
}

/// The names in `dir` other than `keep`: what a build left behind.
fn left_behind(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pkwc"))
}

// A test input, not a deployment: a top-level app makes the root group, which is fine here.
const GOOD: &str = "app web { image \"nginx\" }\n#![allow(id::root-group)]\n";

// ---- exponential expansion ---------------------------------------------------------------------------

#[test]
fn group_templates_that_double_thirty_times_are_refused_before_expanding() {
    let mut text = String::from("template g0 {\n  app a { image \"x\" }\n}\n");
    for i in 1..=30 {
        text.push_str(&format!("template g{i} {{\n  group a {{ g{} }}\n  group b {{ g{} }}\n}}\n", i - 1, i - 1));
    }
    text.push_str("group top { g30 }\n");
    let dir = temp_dir("exp");
    std::fs::write(dir.join("exp.pkw"), &text).unwrap();
    let out =
        pkwc(&["build", dir.join("exp.pkw").to_str().unwrap(), "-o", dir.join("out.json").to_str().unwrap()], None);
    assert_exit(&out, 1, &["pkw::limit::apps", "1,073,741,824 apps"]);
    assert_eq!(left_behind(&dir, &["exp.pkw"]), Vec::<String>::new());
}

#[test]
fn chains_of_template_uses_count_every_expansion() {
    // Each leaf group is reached through a chain of 21 uses: 2.1 million expansions for 100,000 groups.
    let mut text = String::from("template c0 {\n  group a {}\n}\n");
    for i in 1..=20 {
        text.push_str(&format!("template c{i} {{\n  c{}\n}}\n", i - 1));
    }
    text.push_str(&format!("template f {{\n{}}}\n", "  c20\n".repeat(1000)));
    text.push_str(&format!("template f2 {{\n{}}}\n", "  f\n".repeat(100)));
    text.push_str("group top { f2 }\n");
    assert_exit(&pkwc(&["check", "-"], Some(text.as_bytes())), 1, &["pkw::limit::expansions"]);
}

#[test]
fn group_templates_that_multiply_groups_are_refused_before_expanding() {
    // A thousand groups, used in a thousand groups, used in a thousand groups: a billion groups, no app.
    let groups = |prefix: &str, inner: &str| -> String {
        (0..1000).map(|i| format!("  group {prefix}{i} {{ {inner} }}\n")).collect()
    };
    let text = format!(
        "template t0 {{\n{}}}\ntemplate t1 {{\n{}}}\ntemplate t2 {{\n{}}}\ngroup top {{ t2 }}\n",
        groups("g", ""),
        groups("h", "t0"),
        groups("k", "t1")
    );
    let out = pkwc(&["check", "-"], Some(text.as_bytes()));
    assert_exit(&out, 1, &["pkw::limit::groups", "1,001,001,000 groups"]);
}

#[test]
fn templates_chained_too_deep_are_refused() {
    let mut text = String::from("template t0 {\n  app a { image \"x\" }\n}\n");
    for i in 1..=40 {
        text.push_str(&format!("template t{i} {{\n  t{}\n}}\n", i - 1));
    }
    text.push_str("group top { t40 }\n");
    assert_exit(&pkwc(&["check", "-"], Some(text.as_bytes())), 1, &["pkw::limit::expansion-depth"]);
}

#[test]
fn interpolation_that_doubles_forty_times_is_refused() {
    let mut text = String::from("let s0 \"ab\"\n");
    for i in 1..=40 {
        text.push_str(&format!("let s{i} \"${{s{}}}${{s{}}}\"\n", i - 1, i - 1));
    }
    text.push_str("app a { image \"x\"; cmd \"${s40}\" }\n");
    let out = pkwc(&["build", "-"], Some(text.as_bytes()));
    assert_exit(&out, 1, &["pkw::limit::value-length"]);
    assert!(out.stdout.is_empty());
}

// ---- stack depth -------------------------------------------------------------------------------------

#[test]
fn group_templates_nesting_62_groups_each_are_refused_not_overflowed() {
    let mut text = String::from("template t0 {\n  app a { image \"x\" }\n}\n");
    for i in 1..=5 {
        text.push_str(&format!("template t{i} {{\n{} t{} {}\n}}\n", "group g {".repeat(62), i - 1, "}".repeat(62)));
    }
    text.push_str("group top { t5 }\n");
    assert_exit(&pkwc(&["check", "-"], Some(text.as_bytes())), 1, &["pkw::limit::group-depth"]);
    // The same inside a block large enough to be lowered on two threads, in the second half.
    let mut big = text.replace("group top { t5 }\n", "group top {\n");
    for i in 0..4_000 {
        big.push_str(&format!("  app f{i} {{ image \"x\"; cmd \"run {i}\" }}\n"));
    }
    big.push_str("  group deep { t5 }\n  app last { image \"x\" }\n}\n");
    assert!(big.len() > 128 * 1024);
    assert_exit(&pkwc(&["check", "-"], Some(big.as_bytes())), 1, &["pkw::limit::group-depth"]);
}

#[test]
fn a_chain_of_3000_imports_is_refused_not_overflowed() {
    let dir = temp_dir("chain");
    for i in 0..3000 {
        let next = if i < 2999 { format!("import \"f{}.pkw\"\n", i + 1) } else { String::new() };
        std::fs::write(dir.join(format!("f{i}.pkw")), format!("{next}let v{i} 1\n")).unwrap();
    }
    std::fs::write(dir.join("main.pkw"), format!("import \"f0.pkw\"\n{GOOD}")).unwrap();
    let out = pkwc(&["check", dir.join("main.pkw").to_str().unwrap()], None);
    assert_exit(&out, 1, &["pkw::limit::import-depth"]);
}

// ---- rendering ---------------------------------------------------------------------------------------

#[test]
fn a_label_at_column_70000_is_shown_in_a_window() {
    let text = format!("app a {{ image \"x\"; cmd \"{}\"; cpus 0 }}\n", "y".repeat(70_000));
    let out = pkwc(&["check", "-"], Some(text.as_bytes()));
    assert_exit(&out, 1, &["pkw::app::cpus", "<stdin>:1:70033", "…"]);
    assert!(out.stderr.len() < 2_000, "{} bytes of diagnostics", out.stderr.len());
}

#[test]
fn ten_thousand_stray_braces_on_one_line_print_a_bounded_report() {
    let text = format!("{GOOD}{}\n", "}".repeat(10_000));
    let out = pkwc(&["check", "-"], Some(text.as_bytes()));
    assert_exit(&out, 1, &["pkw::syntax::unmatched-brace", "pkw::limit::diagnostics", "9,000 errors"]);
    assert!(out.stderr.len() < 2_000_000, "{} bytes of diagnostics", out.stderr.len());
    // Every diagnostic stays in the JSON count the summary gives.
    let json = pkwc(&["check", "--format", "json", "-"], Some(text.as_bytes()));
    assert_eq!(json.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&json.stdout).lines().count(), 1_001);
}

#[test]
fn labels_ten_thousand_lines_apart_print_only_their_own_lines() {
    let mut text = String::from("app a { image \"x\"; network host; ports 8080; require-ports }\n");
    for i in 0..10_000 {
        text.push_str(&format!("# filler {i}\n"));
    }
    text.push_str("app b { image \"x\"; network host; ports 8080; require-ports }\n");
    let out = pkwc(&["check", "-"], Some(text.as_bytes()));
    assert_exit(&out, 0, &["pkw::ports::host-port-shared"]);
    assert!(stderr(&out).lines().count() < 40, "{}", stderr(&out));
    assert!(!stderr(&out).contains("filler 5000"));
}

#[test]
fn a_dependency_cycle_through_5000_apps_is_named_briefly() {
    let mut text = String::from("group c {\n");
    for i in 0..5_000 {
        text.push_str(&format!("  app a{i} {{ image \"x\"; depends-on a{} }}\n", (i + 1) % 5_000));
    }
    text.push_str("}\n");
    let out = pkwc(&["check", "-"], Some(text.as_bytes()));
    assert_exit(&out, 1, &["pkw::deps::cycle", "(5,000 apps", "more places not shown"]);
    assert!(stderr(&out).lines().count() < 80, "{}", stderr(&out));
    let json = pkwc(&["check", "--format", "json", "-"], Some(text.as_bytes()));
    let labels = String::from_utf8_lossy(&json.stdout).matches("\"primary\"").count();
    assert_eq!(labels, 5_000, "the JSON keeps every label");
}

// ---- files that are not files ------------------------------------------------------------------------

#[test]
fn devices_are_refused_as_input_and_as_imports() {
    let out = pkwc(&["build", "/dev/zero"], None);
    assert_exit(&out, 2, &["not a regular file (a device)"]);
    let out = pkwc(&["check", "-"], Some(format!("import \"/dev/zero\"\n{GOOD}").as_bytes()));
    assert_exit(&out, 1, &["pkw::import::not-found", "not a regular file"]);
}

#[test]
fn a_file_past_the_size_limit_is_refused_without_reading_it_all() {
    let dir = temp_dir("huge");
    let file = std::fs::File::create(dir.join("huge.pkw")).unwrap();
    // Sparse: it takes no room on disk.
    file.set_len(pkwc::limits::MAX_FILE_BYTES + 1).unwrap();
    let out = pkwc(&["check", dir.join("huge.pkw").to_str().unwrap()], None);
    assert_exit(&out, 1, &["pkw::limit::file-size", "256 MiB"]);
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("cluster.pkw");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path that lives across the call.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let mut child = bin().args(["check", fifo.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("pkwc waits on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("a FIFO"), "{err}");
}

// ---- silent data loss --------------------------------------------------------------------------------

#[test]
fn carriage_returns_alone_are_refused_not_swallowed_by_a_comment() {
    let text = "# web tier\rapp web { image \"nginx\" }\rapp api { image \"api\" }\r";
    let out = pkwc(&["build", "-"], Some(text.as_bytes()));
    assert_exit(&out, 1, &["pkw::input::bare-cr"]);
    assert!(out.stdout.is_empty());
    // CR LF is fine.
    let out = pkwc(&["build", "-"], Some(b"# web tier\r\napp web { image \"nginx\" }\r\n"));
    assert_exit(&out, 0, &[]);
}

#[test]
fn a_byte_order_mark_inside_a_block_is_an_error_in_a_small_and_a_large_file() {
    for apps in [3, 10_000] {
        let mut text = String::from("group big {\u{FEFF}\n");
        for i in 0..apps {
            text.push_str(&format!("  app a{i} {{ image \"x\" }}\n"));
        }
        text.push_str("}\n");
        assert!(text.len() > 128 * 1024 || apps == 3, "the large file is parsed on two threads");
        let out = pkwc(&["build", "-"], Some(text.as_bytes()));
        assert_exit(&out, 1, &["pkw::syntax::unexpected"]);
    }
}

// ---- values ------------------------------------------------------------------------------------------

#[test]
fn negative_zero_is_written_as_zero() {
    let out = pkwc(&["build", "-"], Some(b"app a { image \"x\"; mem -0; disk -0; upgrade min-health -0% }\n"));
    assert_exit(&out, 0, &[]);
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("\"mem\": 0.0") && json.contains("\"minimumHealthCapacity\": 0.0"), "{json}");
    assert!(!json.contains("-0"), "{json}");
}

#[test]
fn a_nul_in_a_set_value_is_refused_by_the_library() {
    struct NoFiles;
    impl pkwc::Loader for NoFiles {
        fn load(&self, _: &Path) -> std::io::Result<Vec<u8>> {
            Err(std::io::ErrorKind::NotFound.into())
        }
    }
    let text = b"param name \"x\"\napp a { image \"x\"; env N $name }\n".to_vec();
    for set in ["name=\"\u{0}1\u{0}\"", "name=a\u{0}b"] {
        let sets = [set.to_string()];
        let c = pkwc::compile(
            "t.pkw",
            text.clone(),
            pkwc::Options::default(),
            pkwc::Inputs { loader: &NoFiles, sets: &sets, path: None },
        );
        assert!(c.has_errors(), "{set:?} was accepted");
        assert!(c.diagnostics.iter().any(|d| d.code.as_str() == "pkw::param::bad-set"), "{:?}", c.diagnostics);
    }
}

#[test]
fn output_past_the_limit_is_an_error_and_is_not_published() {
    struct NoFiles;
    impl pkwc::Loader for NoFiles {
        fn load(&self, _: &Path) -> std::io::Result<Vec<u8>> {
            Err(std::io::ErrorKind::NotFound.into())
        }
    }
    let options = pkwc::Options { max_output_bytes: 64, ..pkwc::Options::default() };
    let inputs = pkwc::Inputs { loader: &NoFiles, sets: &[], path: None };
    let w = pkwc::compile_and_write("t.pkw", GOOD.as_bytes().to_vec(), options, inputs, Some(Vec::new()), None);
    assert!(w.out.is_none(), "the JSON was handed out");
    assert!(w.compilation.diagnostics.iter().any(|d| d.code.as_str() == "pkw::limit::output-size"));
    assert!(w.compilation.has_errors());
}

// ---- output plumbing ---------------------------------------------------------------------------------

#[test]
fn an_output_name_of_236_characters_works() {
    let dir = temp_dir("longname");
    std::fs::write(dir.join("c.pkw"), GOOD).unwrap();
    let name = format!("{}.json", "a".repeat(231));
    let out = pkwc(&["build", dir.join("c.pkw").to_str().unwrap(), "-o", dir.join(&name).to_str().unwrap()], None);
    assert_exit(&out, 0, &[]);
    assert_eq!(left_behind(&dir, &["c.pkw"]), vec![name]);
}

#[test]
fn a_build_killed_while_writing_leaves_no_temporary_file() {
    let dir = temp_dir("killed");
    let mut text = String::from("group big {\n");
    for i in 0..20_000 {
        text.push_str(&format!("  app a{i} {{ image \"x\"; cmd \"run {i}\"; env A \"{i}\" }}\n"));
    }
    text.push_str("}\n");
    std::fs::write(dir.join("c.pkw"), text).unwrap();
    for delay in [20, 80, 200] {
        let mut child = bin()
            .args(["build", dir.join("c.pkw").to_str().unwrap(), "-o", dir.join("out.json").to_str().unwrap()])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let left: Vec<String> = left_behind(&dir, &["c.pkw", "out.json"]);
        assert!(left.is_empty(), "left behind after {delay} ms: {left:?}");
    }
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    for args in [&["explain", "--list"][..], &["prelude"][..]] {
        let mut child = bin().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        // The pipe is closed here, with most of the output unread.
        let out = child.wait_with_output().unwrap();
        assert!(!first.is_empty());
        assert_exit(&out, 0, &[]);
    }
}

/// Runs pkwc with standard input or output closed (`fd`), as `<&-` or `>&-` in a shell.
fn with_closed(fd: i32, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = bin();
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: close(2) is async-signal-safe, as `pre_exec` requires.
    unsafe {
        cmd.pre_exec(move || {
            libc::close(fd);
            Ok(())
        });
    }
    cmd.output().unwrap()
}

#[test]
fn a_closed_standard_output_or_input_is_an_error() {
    let dir = temp_dir("closed");
    std::fs::write(dir.join("c.pkw"), GOOD).unwrap();
    let out = with_closed(1, &["build", dir.join("c.pkw").to_str().unwrap()]);
    assert_exit(&out, 2, &["cannot write standard output"]);
    let out = with_closed(0, &["check", "-"]);
    assert_exit(&out, 2, &["cannot read standard input"]);
    // `> /dev/null` and `< /dev/null` are not closed, nor is a read-write `/dev/null` (Python's DEVNULL).
    let out = bin().args(["build", dir.join("c.pkw").to_str().unwrap()]).stdout(Stdio::null()).output().unwrap();
    assert_exit(&out, 0, &[]);
    let null = std::fs::OpenOptions::new().read(true).write(true).open("/dev/null").unwrap();
    let out = bin().args(["build", dir.join("c.pkw").to_str().unwrap()]).stdout(null).output().unwrap();
    assert_exit(&out, 0, &[]);
}

#[test]
fn a_full_disk_on_standard_output_is_an_error() {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let bad = b"app a { image \"x\"; cpus 0 }\n";
    let dir = temp_dir("full");
    std::fs::write(dir.join("bad.pkw"), bad).unwrap();
    std::fs::write(dir.join("c.pkw"), GOOD).unwrap();
    let check = |file: &str| {
        bin().args(["check", "--format", "json", dir.join(file).to_str().unwrap()]).stdout(full()).output().unwrap()
    };
    assert_exit(&check("bad.pkw"), 2, &["No space left on device"]);
    let out = bin().args(["build", dir.join("c.pkw").to_str().unwrap()]).stdout(full()).output().unwrap();
    assert_exit(&out, 2, &["No space left on device"]);
    let out = bin().args(["explain", "--list"]).stdout(full()).output().unwrap();
    assert_exit(&out, 2, &["No space left on device"]);
}

#[test]
fn dash_o_dash_is_standard_output() {
    let out = pkwc(&["build", "-", "-o", "-"], Some(GOOD.as_bytes()));
    assert_exit(&out, 0, &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"/web\""));
}

// ---- imports -----------------------------------------------------------------------------------------

#[test]
fn imports_resolve_under_a_directory_whose_name_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let root = temp_dir("non-utf8");
    let dir = root.join(std::ffi::OsStr::from_bytes(b"d\xff"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("lib.pkw"), "template web { image \"nginx\" }\n").unwrap();
    std::fs::write(dir.join("main.pkw"), "import \"lib.pkw\"\napp a from web\n").unwrap();
    let out = bin().arg("build").arg(dir.join("main.pkw")).output().unwrap();
    assert_exit(&out, 0, &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nginx"));
}

#[test]
fn a_symlink_back_to_its_directory_is_an_import_cycle() {
    let dir = temp_dir("symlink");
    std::os::unix::fs::symlink(".", dir.join("link")).unwrap();
    std::fs::write(dir.join("s.pkw"), "import \"link/s.pkw\"\nlet q 1\n").unwrap();
    std::fs::write(dir.join("main.pkw"), format!("import \"s.pkw\"\n{GOOD}")).unwrap();
    let out = pkwc(&["check", dir.join("main.pkw").to_str().unwrap()], None);
    assert_exit(&out, 1, &["pkw::import::cycle"]);
    assert_eq!(stderr(&out).matches("pkw::").count(), 1, "{}", stderr(&out));
}

// ---- quadratic corners -------------------------------------------------------------------------------

#[test]
fn an_app_with_twenty_thousand_env_keys_overrides_its_template_per_key() {
    let keys = |value: &str| (0..20_000).map(|i| format!("    K{i} \"{value}{i}\"\n")).collect::<String>();
    let text = format!(
        "template t {{\n  image \"x\"\n  env {{\n{}  }}\n}}\napp a from t {{\n  env {{\n{}  }}\n  env K0 \"again\"\n}}\n",
        keys("t"),
        keys("a")
    );
    let out = pkwc(&["build", "-"], Some(text.as_bytes()));
    assert_exit(&out, 1, &["pkw::directive::duplicate", "`env K0` is set twice"]);
    let text = text.replace("  env K0 \"again\"\n", "");
    let out = pkwc(&["build", "-"], Some(text.as_bytes()));
    assert_exit(&out, 0, &[]);
    let json = String::from_utf8_lossy(&out.stdout);
    assert_eq!(json.matches("\"K").count(), 20_000);
    assert!(json.contains("\"K19999\": \"a19999\"") && !json.contains("\"t19999\""));
}

#[test]
fn ten_thousand_misspelt_references_are_each_reported() {
    let mut text: String = (0..10_000).map(|i| format!("let v{i} \"x\"\n")).collect();
    text.push_str("#![allow(id::root-group)]\napp a {\n  image \"x\"\n");
    for i in 0..10_000 {
        text.push_str(&format!("  env E{i} $v{i}x\n  env F{i} $v{i}\n"));
    }
    text.push_str("}\n");
    let out = pkwc(&["check", "--format", "json", "-"], Some(text.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let json = String::from_utf8_lossy(&out.stdout);
    // The first ones come with a suggestion; the print limit holds the rest in its summary.
    assert!(json.contains("did you mean `v0`?"), "{}", &json[..json.len().min(2000)]);
    assert_eq!(json.matches("pkw::ref::unknown").count(), 1_000);
    assert!(json.contains("pkw::limit::diagnostics"));
}
