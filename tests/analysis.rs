//! The analysis API (`ide::analysis`): definitions, references, rename, hover and completion over files
//! with unsaved text, imports included.

use std::path::{Path, PathBuf};

use pkwc::ide::analysis::{Analysed, Analysis};
use pkwc::Options;

/// No file on disk: everything is open in the "editor".
struct Nothing;

impl pkwc::Loader for Nothing {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} is not open", path.display())))
    }
}

const LIB: &str = "\
template web {
  param port 8080
  param size 512MiB
  image \"nginx\"
  port http $port
  mem $size
}
";

const MAIN: &str = "\
import \"lib.pkw\"
let region \"eu\"
group shop {
  app front from web {
    port 9090
    env REGION \"${region}-1\"
    env API dns(api)
    depends-on api
  }
  app api from web { size 1GiB; label region $region }
}
";

fn analysed(main: &str, lib: &str) -> (Analysis, Analysed) {
    let mut a = Analysis::new(Options::default());
    a.set(Path::new("/ws/main.pkw"), main.to_string());
    a.set(Path::new("/ws/lib.pkw"), lib.to_string());
    let analysed = a.analyse(Path::new("/ws/main.pkw"), &Nothing).expect("open");
    (a, analysed)
}

/// The byte offset of the `n`th (0-based) occurrence of `needle` in `text`, plus `within`.
fn at(text: &str, needle: &str, n: usize, within: usize) -> usize {
    text.match_indices(needle).nth(n).unwrap_or_else(|| panic!("no {needle} #{n}")).0 + within
}

fn show(a: &Analysed, span: pkwc::source::Span) -> String {
    let f = a.compilation.sources.get(span.file);
    let (line, col) = f.line_col(span.start);
    format!("{}:{line}:{col} `{}`", f.name, &f.text[span.start as usize..span.end as usize])
}

#[test]
fn diagnostics_per_file_with_unsaved_imports() {
    let (_, a) = analysed(MAIN, LIB);
    let per_file: Vec<(String, usize)> =
        a.diagnostics().iter().map(|(f, d)| (a.compilation.sources.get(*f).name.clone(), d.len())).collect();
    assert_eq!(per_file, vec![("/ws/main.pkw".to_string(), 0), ("/ws/lib.pkw".to_string(), 0)]);
    // A broken unsaved import: its diagnostic is the import's.
    let (_, a) = analysed(MAIN, &LIB.replace("mem $size", "mem 30s"));
    let lib = a.file(Path::new("/ws/lib.pkw")).expect("lib");
    let codes: Vec<String> = a
        .diagnostics()
        .into_iter()
        .filter(|(f, _)| *f == lib)
        .flat_map(|(_, d)| d.into_iter().map(|d| d.code.as_str().to_string()))
        .collect();
    assert!(!codes.is_empty(), "the import's error is reported in the import");
}

#[test]
fn definition_across_an_import() {
    let (_, a) = analysed(MAIN, LIB);
    let main = a.main;
    // `web` in `from web` → the template's name in lib.pkw.
    let def = a.definition(main, at(MAIN, "from web", 0, 6)).expect("definition");
    assert_eq!(show(&a, def), "/ws/lib.pkw:1:10 `web`");
    // `size` setting → the template's parameter.
    let def = a.definition(main, at(MAIN, "size 1GiB", 0, 1)).expect("definition");
    assert_eq!(show(&a, def), "/ws/lib.pkw:3:9 `size`");
    // `$region` and `${region}` → the let.
    let def = a.definition(main, at(MAIN, "$region", 0, 2)).expect("definition");
    assert_eq!(show(&a, def), "/ws/main.pkw:2:5 `region`");
    let def = a.definition(main, at(MAIN, "${region}", 0, 3)).expect("definition");
    assert_eq!(show(&a, def), "/ws/main.pkw:2:5 `region`");
    // The import's string → the file.
    let def = a.definition(main, at(MAIN, "lib.pkw", 0, 1)).expect("definition");
    assert_eq!(show(&a, def), "/ws/lib.pkw:1:1 ``");
    // `dns(api)` and `depends-on api` → the app.
    let def = a.definition(main, at(MAIN, "dns(api)", 0, 5)).expect("definition");
    assert_eq!(show(&a, def), "/ws/main.pkw:10:7 `api`");
    let def = a.definition(main, at(MAIN, "depends-on api", 0, 12)).expect("definition");
    assert_eq!(show(&a, def), "/ws/main.pkw:10:7 `api`");
    // Inside the imported file: `$port` → its param.
    let lib = a.file(Path::new("/ws/lib.pkw")).expect("lib");
    let def = a.definition(lib, at(LIB, "$port", 0, 1)).expect("definition");
    assert_eq!(show(&a, def), "/ws/lib.pkw:2:9 `port`");
}

#[test]
fn references_and_rename() {
    let (_, a) = analysed(MAIN, LIB);
    let lib = a.file(Path::new("/ws/lib.pkw")).expect("lib");
    let refs: Vec<String> = a.references(lib, at(LIB, "web", 0, 0), true).into_iter().map(|s| show(&a, s)).collect();
    assert_eq!(refs, vec!["/ws/lib.pkw:1:10 `web`", "/ws/main.pkw:4:18 `web`", "/ws/main.pkw:10:16 `web`"]);
    let edits = a.rename(a.main, at(MAIN, "$region", 0, 1), "zone").expect("renamed");
    let shown: Vec<String> = edits.iter().map(|(s, new)| format!("{} → {new}", show(&a, *s))).collect();
    assert_eq!(
        shown,
        vec![
            "/ws/main.pkw:2:5 `region` → zone",
            "/ws/main.pkw:6:19 `region` → zone",
            "/ws/main.pkw:10:47 `region` → zone"
        ]
    );
    // A parameter: its declaration, its use in the body, the setting at a use site.
    let edits = a.rename(lib, at(LIB, "size", 0, 0), "memory").expect("renamed");
    let shown: Vec<String> = edits.iter().map(|(s, _)| show(&a, *s)).collect();
    assert_eq!(shown, vec!["/ws/lib.pkw:3:9 `size`", "/ws/main.pkw:10:22 `size`", "/ws/lib.pkw:6:8 `size`"]);
    // Refusals, with reasons.
    assert!(a.rename(a.main, at(MAIN, "$region", 0, 1), "9lives").unwrap_err().contains("not a name"));
    assert!(a.rename(lib, at(LIB, "size", 0, 0), "port").unwrap_err().contains("already names"));
    assert!(a.rename(a.main, at(MAIN, "app front", 0, 5), "back").unwrap_err().contains("only lets"));
}

#[test]
fn hover_on_apps_calls_and_names() {
    let (_, a) = analysed(MAIN, LIB);
    let (text, _) = a.hover(a.main, at(MAIN, "app api", 0, 5)).expect("hover");
    assert!(text.contains("app `/shop/api`: Mesos-DNS `api-shop.marathon.mesos`"), "{text}");
    assert!(text.contains("\"mem\": 1024"), "the JSON it compiles to: {text}");
    let (text, _) = a.hover(a.main, at(MAIN, "dns(api)", 0, 1)).expect("hover");
    assert_eq!(text, "`dns(api)` → `api-shop.marathon.mesos`\n\n(the app `/shop/api`)");
    let (text, _) = a.hover(a.main, at(MAIN, "$region", 0, 1)).expect("hover");
    assert_eq!(text, "let `region` (defined at /ws/main.pkw:2)");
    let (text, _) = a.hover(a.main, at(MAIN, "1GiB", 0, 1)).expect("hover");
    assert!(text.contains("1024 MiB"), "{text}");
}

#[test]
fn completion_of_names() {
    let (_, a) = analysed(MAIN, LIB);
    let labels =
        |offset: usize| -> Vec<String> { a.completions(a.main, offset).into_iter().map(|c| c.label).collect() };
    // After `$`: the lets and params.
    let dollar = at(MAIN, "$region", 0, 1);
    assert!(labels(dollar).contains(&"region".to_string()));
    // A new statement in the group: directives and the templates.
    let start = at(MAIN, "  app api", 0, 2);
    let l = labels(start);
    assert!(l.contains(&"web".to_string()) && l.contains(&"app".to_string()), "{l:?}");
    // In the block of `app front from web`: web's parameters; on a use line, those not given yet.
    let in_block = at(MAIN, "    port 9090", 0, 4);
    let l = labels(in_block);
    assert!(l.contains(&"port".to_string()) && l.contains(&"size".to_string()), "{l:?}");
    let main = MAIN.replace("app api from web { size 1GiB;", "app api from web size 1GiB {");
    let (_, b) = analysed(&main, LIB);
    let use_line = b.compilation.sources.get(b.main).text.find("size 1GiB ").unwrap() + "size 1GiB ".len();
    let l: Vec<String> = b.completions(b.main, use_line).into_iter().map(|c| c.label).collect();
    assert!(l.contains(&"port".to_string()) && !l.contains(&"size".to_string()), "{l:?}");
    // After `from`: the templates, and nothing else.
    let l = labels(at(MAIN, "from web {", 0, 5));
    assert_eq!(l, vec!["web".to_string()], "{l:?}");
    // Inside `dns(`: app paths.
    let inside = at(MAIN, "dns(api)", 0, 4);
    let main = MAIN.replace("dns(api)", "dns(\"\")");
    let (_, b) = analysed(&main, LIB);
    let l: Vec<String> = b.completions(b.main, inside + 1).into_iter().map(|c| c.label).collect();
    assert!(l.contains(&"/shop/api".to_string()), "{l:?}");
}

#[test]
fn every_example_resolves_its_names() {
    // Over every example: each use's definition lies in a file of the compilation, and the names of lets,
    // params and templates it points at are the names written at the use.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    struct Disk;
    impl pkwc::Loader for Disk {
        fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            std::fs::read(path)
        }
    }
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pkw") {
            continue;
        }
        let mut an = Analysis::new(Options::default());
        an.set(&path, std::fs::read_to_string(&path).unwrap());
        let a = an.analyse(&path, &Disk).unwrap();
        for u in &a.compilation.names.uses {
            if let pkwc::check::uses::Target::Name(_, def) = &u.target {
                let used = a.compilation.sources.text(u.at);
                let defined = a.compilation.sources.text(*def);
                assert!(used.contains(defined), "{}: `{used}` resolved to `{defined}`", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} uses");
}

/// Every fix offered in every err case fixes what it was offered for: with the edit applied, the file no
/// longer raises that code at that place, and no new error appears.
#[test]
fn every_fix_fixes_its_diagnostic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases/err");
    struct Dir(PathBuf);
    impl pkwc::Loader for Dir {
        fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            std::fs::read(self.0.join(path))
        }
    }
    let compile = |text: &str, version: pkwc::version::Version| {
        let options = Options { marathon: version, ..Options::default() };
        let loader = Dir(dir.clone());
        pkwc::compile(
            "case.pkw",
            text.as_bytes().to_vec(),
            options,
            pkwc::Inputs { loader: &loader, sets: &[], path: None },
        )
    };
    let mut fixed = std::collections::BTreeMap::<String, usize>::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pkw") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let version = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# marathon: "))
            .map_or(pkwc::version::Version::NEWEST, |v| pkwc::version::Version::parse(v.trim()).unwrap());
        let before = compile(&text, version);
        let errors_before = before.diagnostics.iter().filter(|d| d.is_error()).count();
        for d in &before.diagnostics {
            for fix in &d.fixes {
                let Some((span, new)) = pkwc::ide::fixes::text_edit(fix, &before.sources) else { continue };
                if before.sources.get(span.file).name != "case.pkw" {
                    continue;
                }
                let edited = pkwc::ide::fixes::apply(&text, &[(span, new.clone())]);
                let after = compile(&edited, version);
                let moved = new.len() as i64 - (span.end - span.start) as i64;
                let still = after.diagnostics.iter().any(|a| {
                    a.code == d.code
                        && a.labels.first().zip(d.labels.first()).is_some_and(|(x, y)| {
                            x.span.file == y.span.file
                                && (x.span.start == y.span.start || x.span.start as i64 == y.span.start as i64 + moved)
                        })
                        && a.message == d.message
                });
                assert!(!still, "{}: fix `{}` did not fix `{}`:\n{edited}", path.display(), fix.title, d.message);
                let errors_after = after.diagnostics.iter().filter(|d| d.is_error()).count();
                assert!(
                    errors_after <= errors_before,
                    "{}: fix `{}` made new errors:\n{edited}\n{:?}",
                    path.display(),
                    fix.title,
                    after.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
                );
                *fixed.entry(d.code.as_str().to_string()).or_default() += 1;
            }
        }
    }
    // The codes whose help is an edit, each offered and applied at least once.
    for code in [
        "pkw::directive::unknown",
        "pkw::args::unknown-option",
        "pkw::args::wrong-kind",
        "pkw::ref::unknown",
        "pkw::value::unknown-unit",
        "pkw::value::fractional-seconds",
        "pkw::template::unknown",
        "pkw::param::unknown",
        "pkw::id::invalid-segment",
        "pkw::ports::host-port-no-unique-host",
    ] {
        assert!(fixed.contains_key(code), "no err case exercises a fix for {code}: {fixed:?}");
    }
}

/// `unique-host` lands after the statement that binds the ports: on its own line at its indentation, or
/// after a `;` in a one-line app.
#[test]
fn a_statement_fix_is_placed_after_its_statement() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/err/quick-fix-statement.pkw"))
        .unwrap();
    let c = pkwc::compile(
        "case.pkw",
        text.as_bytes().to_vec(),
        Options::default(),
        pkwc::Inputs { loader: &Nothing, sets: &[], path: None },
    );
    let edits: Vec<_> = c
        .diagnostics
        .iter()
        .flat_map(|d| &d.fixes)
        .filter_map(|f| pkwc::ide::fixes::text_edit(f, &c.sources))
        .collect();
    assert_eq!(edits.len(), 2);
    let fixed = pkwc::ide::fixes::apply(&text, &edits);
    assert!(fixed.contains("    ports 80 443\n    unique-host\n    require-ports\n"), "{fixed}");
    assert!(fixed.contains("port 8080 host 8080; unique-host; instances 2 }"), "{fixed}");
}

/// An edit inside one block reparses only that block: the analysis after it answers as a fresh one does.
#[test]
fn an_edit_answers_as_a_fresh_analysis() {
    let (mut editing, _) = analysed(MAIN, LIB);
    let edits =
        [MAIN.replace("port 9090", "port 9191"), MAIN.replace("port 9090", "port 9191; mem 30s"), MAIN.to_string()];
    for text in edits {
        editing.set(Path::new("/ws/main.pkw"), text.clone());
        let a = editing.analyse(Path::new("/ws/main.pkw"), &Nothing).unwrap();
        let (_, b) = analysed(&text, LIB);
        let codes =
            |x: &Analysed| x.compilation.diagnostics.iter().map(|d| (d.code, d.labels[0].span)).collect::<Vec<_>>();
        assert_eq!(codes(&a), codes(&b), "{text}");
        let at = at(&text, "dns(api)", 0, 5);
        assert_eq!(a.definition(a.main, at), b.definition(b.main, at));
        assert_eq!(a.compilation.names.uses, b.compilation.names.uses);
    }
}

/// On Marathon JSON a fix is written in JSON: an invalid id segment's fix is the whole id string, quoted.
#[test]
fn a_json_fix_writes_json() {
    let text = r#"{"id": "/shop/Web_Tier", "cmd": "sleep 1", "cpus": 0.1, "mem": 32}"#;
    let check = |t: &str| pkwc::check_json(vec![("app.json".into(), t.as_bytes().to_vec())], Options::default());
    let c = check(text);
    let d = c.diagnostics.iter().find(|d| d.code.as_str() == "pkw::id::invalid-segment").expect("the id is refused");
    let edit = pkwc::ide::fixes::text_edit(&d.fixes[0], &c.sources).expect("a fix");
    assert_eq!(edit.1, "\"/shop/web-tier\"");
    let fixed = pkwc::ide::fixes::apply(text, &[edit]);
    assert!(check(&fixed).diagnostics.iter().all(|d| d.code.as_str() != "pkw::id::invalid-segment"), "{fixed}");
}
