//! The binary as users run it: exit codes, standard input, `-o` all or nothing, and malformed input of
//! every kind (never a panic, always a clear error, nothing on stdout).

mod common;

use common::{pkwc, stderr, temp_dir};

// Test inputs, not deployments: a top-level app makes the root group, which is fine here.
const GOOD: &[u8] = b"app web {\n  image \"nginx\"\n  cpus 0.5\n  mem 128MiB\n}\n#![allow(id::root-group)]\n";
const BAD: &[u8] = b"app web {\n  mem 30s\n}\n#![allow(id::root-group)]\n";

/// Runs `check -` on some bytes and asserts a clean failure: exit 1, no stdout, no panic.
fn assert_rejected(bytes: &[u8], wanted: &str) {
    let out = pkwc(&["build", "-"], Some(bytes));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(wanted), "expected `{wanted}` in:\n{err}");
}

#[test]
fn build_writes_json_to_stdout() {
    let out = pkwc(&["build", "-"], Some(GOOD));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["apps"][0]["id"], "/web");
    assert!(out.stderr.is_empty());
}

#[test]
fn errors_exit_1_with_nothing_on_stdout() {
    let out = pkwc(&["build", "-"], Some(BAD));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("pkw::args::wrong-kind"));
    assert!(stderr(&out).contains("<stdin>:2:7"), "{}", stderr(&out));
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(pkwc(&["build"], None).status.code(), Some(2));
    assert_eq!(pkwc(&["frobnicate"], None).status.code(), Some(2));
    let missing = pkwc(&["build", "/nonexistent/cluster.pkw"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read `/nonexistent/cluster.pkw`"));
}

#[test]
fn unsupported_marathon_version_lists_the_supported_ones() {
    let out = pkwc(&["build", "-", "--marathon", "2.0"], Some(GOOD));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("0.8 to 0.16 and 1.0 to 1.10"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn dialect_follows_marathon_version() {
    let src = b"app web {\n  image \"nginx\"\n  network bridge\n  port 80 service 10080\n}\n";
    let legacy: serde_json::Value =
        serde_json::from_slice(&pkwc(&["build", "-", "--marathon", "0.8"], Some(src)).stdout).unwrap();
    assert_eq!(legacy["apps"][0]["container"]["docker"]["network"], "BRIDGE");
    assert_eq!(legacy["apps"][0]["container"]["docker"]["portMappings"][0]["servicePort"], 10080);
    let modern: serde_json::Value =
        serde_json::from_slice(&pkwc(&["build", "-", "--marathon", "1.5"], Some(src)).stdout).unwrap();
    assert_eq!(modern["apps"][0]["networks"][0]["mode"], "container/bridge");
    assert_eq!(modern["apps"][0]["container"]["portMappings"][0]["servicePort"], 10080);
}

#[test]
fn help_shows_an_example() {
    let out = pkwc(&["--help"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("pkwc build examples/ctrlpkw.pkw"));
}

#[test]
fn output_file_is_all_or_nothing() {
    let dir = temp_dir("out");
    let (good, bad, out) = (dir.join("good.pkw"), dir.join("bad.pkw"), dir.join("group.json"));
    std::fs::write(&good, GOOD).unwrap();
    std::fs::write(&bad, BAD).unwrap();
    std::fs::write(&out, "previous").unwrap();
    let o = pkwc(&["build", bad.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    let o = pkwc(&["build", good.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(std::fs::read_to_string(&out).unwrap().contains("\"/web\""));
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
    let o = pkwc(&["build", good.to_str().unwrap(), "-o", dir.join("no/such/dir/x.json").to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_reports_every_file_and_exits_1_on_any_error() {
    let dir = temp_dir("check");
    let (good, bad) = (dir.join("good.pkw"), dir.join("bad.pkw"));
    std::fs::write(&good, GOOD).unwrap();
    std::fs::write(&bad, BAD).unwrap();
    let o = pkwc(&["check", good.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
    let o = pkwc(&["check", good.to_str().unwrap(), bad.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad.pkw"));
}

#[test]
fn check_json_format_is_one_object_per_line() {
    let o = pkwc(&["check", "--format", "json", "-"], Some(BAD));
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    let d = &lines[0];
    assert_eq!(d["file"], "<stdin>");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "pkw::args::wrong-kind");
    assert_eq!(d["labels"][0]["line"], 2);
    assert_eq!(d["labels"][0]["column"], 7);
    assert_eq!(d["labels"][0]["start"], 16);
    assert_eq!(d["labels"][0]["end"], 19);
}

#[test]
fn no_colour_unless_a_terminal() {
    let o = pkwc(&["build", "-"], Some(BAD));
    assert!(!stderr(&o).contains('\u{1b}'), "escape codes in piped output");
}

#[test]
fn malformed_input_gets_a_clear_error() {
    assert_rejected(b"app web {\n  image \"nginx\xff\"\n}\n", "not valid UTF-8: invalid byte at offset 24 (line 2)");
    assert_rejected(b"app web {\0}\n", "NUL byte at offset 9");
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let out = pkwc(&["build", "-"], Some(&garbage));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_rejected(b"", "declares no apps or groups");
    assert_rejected(b"  # only a comment\n", "declares no apps or groups");
    let deep = "{".repeat(200_000) + &"}".repeat(200_000);
    assert_rejected(deep.as_bytes(), "nested too deeply");
    let deep_call = format!("app a {{ env X {}1 }}", "f(".repeat(200_000));
    assert_rejected(deep_call.as_bytes(), "nested too deeply");
}

#[test]
fn crlf_bom_and_long_lines_just_work() {
    let crlf = b"\xEF\xBB\xBFapp web {\r\n  image \"nginx\" # comment\r\n  cpus 1\r\n}\r\n";
    let out = pkwc(&["build", "-"], Some(crlf));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let long = format!("app web {{\n  image \"{}\"\n}}\n", "x".repeat(2 * 1024 * 1024));
    let out = pkwc(&["build", "-"], Some(long.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let long_ports = format!("app web {{ cmd \"x\"; ports {} }}\n", "0 ".repeat(700_000));
    let out = pkwc(&["check", "-"], Some(long_ports.as_bytes()));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn explain_knows_every_code() {
    let o = pkwc(&["explain", "--list"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("pkw::syntax::unexpected"));
    let o = pkwc(&["explain", "syntax::unexpected"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("## Fix"));
    let o = pkwc(&["explain", "pkw::syntax::unexpectd"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `pkw::syntax::unexpected`"));
}

#[test]
fn seed_cluster_check_reports_its_latent_problems_and_passes() {
    // The example allows what it knows about, with its reasons; without those comments, check says it all.
    let seed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ctrlpkw.pkw")).unwrap();
    let seed = seed.replace("#[allow(", "# was allow(");
    let o = pkwc(&["check", "--format", "json", "-"], Some(seed.as_bytes()));
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    let diags: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let shared = diags.iter().find(|d| d["code"] == "pkw::ports::host-port-shared").expect("shared host ports");
    assert!(shared["help"].as_str().unwrap().contains("at least 3 agents"));
    let lines: Vec<u64> = shared["labels"].as_array().unwrap().iter().map(|l| l["line"].as_u64().unwrap()).collect();
    // The template's ports line and both apps made from it.
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(diags.iter().any(|d| d["code"] == "pkw::health::timeout-exceeds-interval"));
    assert!(diags.iter().all(|d| d["severity"] == "warning"));
    // --deny warnings makes the same file fail.
    assert_eq!(pkwc(&["check", "--deny", "warnings", "-"], Some(seed.as_bytes())).status.code(), Some(1));
}

#[test]
fn set_overrides_a_top_level_param() {
    let src = b"param nodes 1\ngroup db {\n  cassandra seeds 1 nodes $nodes unique-host\n}\n";
    let out = pkwc(&["build", "-", "--set", "nodes=6"], Some(src));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["apps"][1]["id"], "/db/cassandra");
    assert_eq!(json["apps"][1]["instances"], 6);

    let out = pkwc(&["build", "-", "--set", "node=6"], Some(src));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("`--set node` names no top-level `param`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean `nodes`?"));
    let out = pkwc(&["build", "-", "--set", "nodes=6GiB"], Some(src));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("`nodes` takes a number, found a size"), "{}", stderr(&out));
    let out = pkwc(&["build", "-", "--set", "nodes"], Some(src));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("`--set nodes` gives no value, and `nodes` is not a flag"), "{}", stderr(&out));
    // Strings need no quotes on the command line; a bare name sets a flag.
    let src =
        b"param image \"cassandra:3.11\"\nparam tls false\napp a {\n  image $image\n  if $tls { privileged }\n}\n";
    let out = pkwc(&["build", "-", "--set", "image=cassandra:4.1", "--set", "tls"], Some(src));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["apps"][0]["container"]["docker"]["image"], "cassandra:4.1");
    assert_eq!(json["apps"][0]["container"]["docker"]["privileged"], true);
}

#[test]
fn prelude_is_printed_and_parses() {
    let o = pkwc(&["prelude"], None);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("template cassandra"));
    let (_, diags) = pkwc::syntax::parse(&text, pkwc::source::FileId(0));
    assert!(diags.is_empty());
}

#[test]
fn renaming_a_group_renames_every_dns_name() {
    let src = "group shop {\n  group storage { app redis { image \"redis\" } }\n  app web { cmd \"./web\"; env R dns(storage/redis) }\n}\n";
    let out = pkwc(&["build", "-"], Some(src.as_bytes()));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["apps"][0]["env"]["R"], "redis-storage-shop.marathon.mesos");
    let renamed = src.replace("group storage", "group cache");
    let out = pkwc(&["build", "-"], Some(renamed.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "the dangling reference is an error");
    assert!(stderr(&out).contains("pkw::ref::dns-target"));
    let fixed = renamed.replace("dns(storage/redis)", "dns(cache/redis)");
    let out = pkwc(&["build", "-"], Some(fixed.as_bytes()));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["apps"][0]["env"]["R"], "redis-cache-shop.marathon.mesos");
}

#[test]
fn output_to_a_device_writes_in_place() {
    let o = pkwc(&["build", "-", "-o", "/dev/null"], Some(GOOD));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file(), "/dev/null must stay a device");
    // `pkwc import` too (it once renamed its temporary file over the device).
    let dir = std::env::temp_dir().join(format!("pkwc-import-device-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("app.json");
    std::fs::write(&json, r#"{"id": "/web", "cmd": "sleep 1", "cpus": 0.1, "mem": 32}"#).unwrap();
    let o = pkwc(&["import", json.to_str().unwrap(), "-o", "/dev/null"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file(), "/dev/null must stay a device after import");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_library_file_checks_clean_and_has_nothing_to_build() {
    let lib: &[u8] = b"let tag \"1.25\"\ntemplate web { image \"nginx:${tag}\" }\n";
    let check = pkwc(&["check", "-"], Some(lib));
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).is_empty(), "{}", stderr(&check));
    let build = pkwc(&["build", "-"], Some(lib));
    assert_eq!(build.status.code(), Some(1));
    assert!(build.stdout.is_empty());
    assert!(
        stderr(&build).contains("is a library") && stderr(&build).contains("nothing to build"),
        "{}",
        stderr(&build)
    );
    // Its templates are checked although nothing uses them.
    let broken = pkwc(&["check", "-"], Some(b"template web { image \"nginx\"; mem 30s }\n"));
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains("pkw::args::wrong-kind"), "{}", stderr(&broken));
    // A file with nothing at all is still an error.
    let empty = pkwc(&["check", "-"], Some(b"# nothing\n"));
    assert_eq!(empty.status.code(), Some(1));
    assert!(stderr(&empty).contains("pkw::input::empty"), "{}", stderr(&empty));
}

#[test]
fn codes_without_a_case_file_are_covered_here() {
    // Input that cannot live in a case file, and command-line flags.
    let out = pkwc(&["check", "-"], Some(b"app a {\xff}"));
    assert!(stderr(&out).contains("pkw::input::invalid-utf8"));
    let out = pkwc(&["check", "-"], Some(b"app a {\0}"));
    assert!(stderr(&out).contains("pkw::input::nul-byte"));
    // (A first `{` reads as Marathon JSON unless `--input pkw` says otherwise.)
    let out = pkwc(&["check", "--input", "pkw", "-"], Some("{".repeat(100).as_bytes()));
    assert!(stderr(&out).contains("pkw::syntax::too-deep"));
    let out = pkwc(&["check", "-"], Some("[".repeat(1000).as_bytes()));
    assert!(stderr(&out).contains("pkw::json::too-deep"), "{}", stderr(&out));
    let out = pkwc(&["check", "-", "--set", "=6"], Some(GOOD));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("pkw::param::bad-set"), "{}", stderr(&out));
    assert!(stderr(&out).contains("<command line>"), "{}", stderr(&out));
}

#[test]
fn build_reports_many_diagnostics_in_the_order_check_does() {
    // `build` renders diagnostics in chunks on two threads; the text must be what `check` prints at once.
    // Each app its own `mem` line: 300 diagnostics (one template line would fold into one).
    let mut text = String::from("group big {\n");
    for i in 0..300 {
        text.push_str(&format!("  app a{i} {{ image \"nginx\"; mem 16MiB; instances {} }}\n", 1 + i % 3));
    }
    text.push_str("}\n");
    let build = pkwc(&["build", "-"], Some(text.as_bytes()));
    let check = pkwc(&["check", "-"], Some(text.as_bytes()));
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(!build.stdout.is_empty());
    // A person sees the first three and a count of the rest; the machine output lists every one.
    assert_eq!(stderr(&build).matches("warning[pkw::app::mem-low]").count(), 3, "{}", stderr(&build));
    assert!(stderr(&build).contains("297 more `pkw::app::mem-low` warnings"), "{}", stderr(&build));
    assert!(stderr(&build) == stderr(&check), "build and check print different diagnostics");
    let json = pkwc(&["check", "--format", "json", "-"], Some(text.as_bytes()));
    assert_eq!(String::from_utf8_lossy(&json.stdout).lines().count(), 300);
    // Every diagnostic, rendered in chunks on two threads while the JSON is written, comes out in order.
    let render = |d: &[pkwc::diagnostics::Diagnostic], s: &pkwc::source::Sources| {
        pkwc::diagnostics::render_human(d, s, pkwc::diagnostics::RenderOptions { color: false, width: 100 })
    };
    let loader = NoImports;
    let inputs = || pkwc::Inputs { loader: &loader, sets: &[], path: None };
    let options = pkwc::Options::default();
    let written =
        pkwc::compile_and_write("t.pkw", text.clone().into_bytes(), options, inputs(), Some(Vec::new()), Some(&render));
    let once = pkwc::compile("t.pkw", text.into_bytes(), options, inputs());
    assert_eq!(written.rendered.matches("pkw::app::mem-low").count(), 300);
    assert!(written.rendered == pkwc::render_printed(render, &once.diagnostics, &once.sources, false));
}

struct NoImports;

impl pkwc::Loader for NoImports {
    fn load(&self, _: &std::path::Path) -> std::io::Result<Vec<u8>> {
        Err(std::io::ErrorKind::NotFound.into())
    }
}

#[test]
fn every_example_and_the_readme_headline_build_clean_with_deny_warnings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let headline = readme.split("```pkw\n").nth(1).and_then(|rest| rest.split("```").next()).unwrap();
    let out = pkwc(&["build", "--deny", "warnings", "-"], Some(headline.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "the README headline: {}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pkw") {
            let text = std::fs::read_to_string(&path).unwrap();
            // An example that needs newer fields says which versions it is for.
            let versions: Vec<String> = match text.lines().find_map(|l| l.strip_prefix("# versions: ")) {
                Some(list) => list.split('(').next().unwrap().split(',').map(|v| v.trim().to_string()).collect(),
                None => vec!["1.10".into(), "1.4.13".into(), "0.8.2".into()],
            };
            for version in &versions {
                let version = version.as_str();
                let out = pkwc(&["build", "--deny", "warnings", "--marathon", version, path.to_str().unwrap()], None);
                assert_eq!(out.status.code(), Some(0), "{} {version}: {}", path.display(), stderr(&out));
                assert!(stderr(&out).is_empty(), "{}: {}", path.display(), stderr(&out));
            }
        }
    }
}

#[test]
fn allow_warn_and_deny_set_codes_and_topics() {
    let warns =
        b"group g {\n  app a { image \"x\"; mem 16MiB; network host; ports 80; require-ports; instances 2 }\n}\n";
    let codes = |o: &std::process::Output| {
        let e = stderr(o);
        let mut c: Vec<String> = e
            .lines()
            .filter_map(|l| l.split_once("[pkw::").map(|(_, rest)| format!("pkw::{}", rest.trim_end_matches(']'))))
            .collect();
        c.sort();
        c
    };
    let plain = pkwc(&["check", "-"], Some(warns));
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(codes(&plain), ["pkw::app::mem-low", "pkw::ports::host-port-no-unique-host"]);
    // A topic, then a code.
    let out = pkwc(&["check", "--allow", "ports", "-"], Some(warns));
    assert_eq!((out.status.code(), codes(&out)), (Some(0), vec!["pkw::app::mem-low".to_string()]));
    let out = pkwc(&["check", "--allow", "pkw::app::mem-low", "--deny", "ports", "-"], Some(warns));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes(&out), ["pkw::ports::host-port-no-unique-host"]);
    assert!(stderr(&out).contains("× 2 instances"), "denied means error: {}", stderr(&out));
    // `--warn` keeps one a warning under `--deny warnings`.
    let out = pkwc(&["check", "--deny", "warnings", "--warn", "app::mem-low", "--allow", "ports", "-"], Some(warns));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Errors cannot be allowed, and a selector must name something.
    let out = pkwc(&["check", "--allow", "ports::duplicate", "-"], Some(warns));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("errors cannot be allowed"), "{}", stderr(&out));
    let out = pkwc(&["build", "--warn", "portz", "-"], Some(warns));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `ports`?"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn one_template_line_raising_for_many_apps_is_one_diagnostic() {
    let mut text = String::from("template web { image \"nginx\"; mem 16MiB }\ngroup big {\n");
    for i in 0..300 {
        text.push_str(&format!("  app a{i} from web\n"));
    }
    text.push_str("}\n");
    let out = pkwc(&["check", "-"], Some(text.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert_eq!(err.matches("pkw::app::mem-low").count(), 1, "{err}");
    assert!(err.contains("the same line raises this for 300 apps in all"), "{err}");
    assert!(err.lines().count() < 60, "{err}");
    // The JSON has one diagnostic, with a label at every use.
    let json = pkwc(&["check", "--format", "json", "-"], Some(text.as_bytes()));
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&json.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    let uses =
        lines[0]["labels"].as_array().unwrap().iter().filter(|l| l["message"].as_str().unwrap().contains("used here"));
    assert_eq!(uses.count(), 300);
}

#[test]
fn set_without_a_value_says_so_and_a_bare_number_is_mib() {
    let src = b"param nodes 1\nparam mem 512MiB\ngroup g {\n  app a { image \"x\"; instances $nodes; mem $mem }\n}\n";
    let out = pkwc(&["build", "-", "--set", "nodes"], Some(src));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("`--set nodes` gives no value"), "{}", stderr(&out));
    assert!(stderr(&out).contains("write `--set nodes=VALUE` with a number"), "{}", stderr(&out));
    let out = pkwc(&["build", "-", "--set", "mem=4096"], Some(src));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["apps"][0]["mem"], 4096.0);
}

#[test]
fn check_reads_marathon_json_from_files_and_stdin() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/json");
    // A clean file: exit 0, nothing printed.
    let out = pkwc(&["check", &format!("{dir}/group.json")], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    // Errors: exit 1, worded for JSON, at the JSON's line and column.
    let out = pkwc(&["check", &format!("{dir}/check/legacy-group.json"), "--marathon", "1.4"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("legacy-group.json:8:20"), "{err}");
    assert!(err.contains("did you mean `cpus`?"), "{err}");
    assert!(!err.contains("add `unique-host`"), "pkw words in a JSON report:\n{err}");
    assert!(err.contains("\"UNIQUE\"]` to `constraints`"), "{err}");
    // Standard input is pkw unless its first character says JSON, or `--input json` says so.
    let app = br#"{"id": "/web", "cmd": "./web", "instances": -1}"#;
    for args in [&["check", "-"][..], &["check", "--input", "json", "-"][..]] {
        let out = pkwc(args, Some(app));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains("pkw::json::bad-value"), "{args:?}: {}", stderr(&out));
    }
    let out = pkwc(&["check", "--input", "pkw", "-"], Some(app));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("pkw::syntax"), "{}", stderr(&out));
    // `--format json`: one object per diagnostic on stdout, naming the JSON file.
    let out = pkwc(&["check", "--format", "json", &format!("{dir}/check/mixed-dialect.json")], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["code"], "pkw::json::mixed-dialect");
    assert!(first["file"].as_str().unwrap().ends_with("mixed-dialect.json"), "{first}");
}

#[test]
fn import_writes_pkw_that_builds_back_and_nothing_on_failure() {
    let dir = temp_dir("import");
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/json/import/dcos-edge.json");
    let out = dir.join("edge.pkw");
    let run = pkwc(&["import", input, "-o", out.to_str().unwrap()], None);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# Imported from"), "{text}");
    assert!(text.contains("--marathon 1.10"), "{text}");
    let build = pkwc(&["build", out.to_str().unwrap()], None);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    // Broken JSON: exit 1, the reader's error, no file.
    let bad = dir.join("bad.pkw");
    let run = pkwc(&["import", "-", "-o", bad.to_str().unwrap()], Some(b"{\"id\": \"/a\" \"cmd\": 1}"));
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(!bad.exists());
    // Standard output by default.
    let run = pkwc(&["import", "-"], Some(br#"{"id": "/web", "cmd": "./web", "mem": 2048}"#));
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(text.contains("mem 2GiB"), "{text}");
}

#[test]
fn import_verify_builds_the_pkw_back_and_writes_the_same() {
    let input = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/json/import/legacy-cassandra.json");
    let verified = pkwc(&["import", "--verify", input], None);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert!(!stderr(&verified).contains("pkw::import::lost"), "{}", stderr(&verified));
    let text = String::from_utf8(verified.stdout).unwrap();
    assert!(text.starts_with("# Imported from"), "{text}");
    assert!(text.contains("--marathon 1.4.13"), "{text}");
    // The same text as without `--verify`.
    let plain = pkwc(&["import", input], None);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert_eq!(String::from_utf8(plain.stdout).unwrap(), text);
    // Broken JSON: exit 1 and nothing on stdout, with `--verify` too.
    let run = pkwc(&["import", "--verify", "-"], Some(b"{\"id\": \"/a\" \"cmd\": 1}"));
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(run.stdout.is_empty());
}
