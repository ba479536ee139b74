//! Reading Marathon JSON files back: the fixtures of `tests/data/json/` through `json::read` and
//! `json::classify`, with the code, severity and line/column of every diagnostic, and the rendered report
//! of each kind of problem as a snapshot.

use pkwc::diagnostics::{render_human, Diagnostic, RenderOptions, Severity};
use pkwc::json::{classify, read, Kind, Shape};
use pkwc::source::{SourceFile, Sources};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/data/json/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A file read: its sources (for line/column and rendering), its tree and its diagnostics.
struct Read {
    sources: Sources,
    root: Option<pkwc::json::JNode>,
    diagnostics: Vec<Diagnostic>,
}

fn read_text(name: &str, text: &str) -> Read {
    let mut sources = Sources::default();
    let file = sources.add(SourceFile::new(name, text));
    let (root, diagnostics) = read(file, text);
    Read { sources, root, diagnostics }
}

fn read_fixture(name: &str) -> Read {
    read_text(name, &fixture(name))
}

impl Read {
    /// (code, severity, line, column) of each diagnostic's primary label.
    fn found(&self) -> Vec<(&'static str, Severity, usize, usize)> {
        self.diagnostics
            .iter()
            .map(|d| {
                let l = d.labels.iter().find(|l| l.primary).expect("a primary label");
                let (line, col) = self.sources.get(l.span.file).line_col(l.span.start);
                (d.code.as_str(), d.severity, line, col)
            })
            .collect()
    }

    /// Line and column of every label of diagnostic `i`, primary first as written.
    fn labels(&self, i: usize) -> Vec<(bool, usize, usize)> {
        self.diagnostics[i]
            .labels
            .iter()
            .map(|l| {
                let (line, col) = self.sources.get(l.span.file).line_col(l.span.start);
                (l.primary, line, col)
            })
            .collect()
    }

    fn rendered(&self) -> String {
        render_human(&self.diagnostics, &self.sources, RenderOptions { color: false, width: 100 })
    }

    fn classified(&self) -> (Option<Kind>, Vec<&'static str>, Vec<&'static str>) {
        let root = self.root.as_ref().expect("a tree");
        let (c, d) = classify(root);
        let ignored = c.as_ref().map(|c| c.ignored.iter().map(|i| i.field).collect()).unwrap_or_default();
        (c.map(|c| c.kind), ignored, d.iter().map(|d| d.code.as_str()).collect())
    }
}

/// The rendered report, as a snapshot beside the fixtures (`tests/data/json/snapshots/`).
fn snapshot(name: &str, rendered: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("data/json/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, rendered));
}

const ERROR: Severity = Severity::Error;
const WARNING: Severity = Severity::Warning;

#[test]
fn valid_files_read_clean_and_keep_their_spans() {
    for name in ["app.json", "apps.json", "group.json"] {
        let r = read_fixture(name);
        assert!(r.diagnostics.is_empty(), "{name}: {}", r.rendered());
    }
    let r = read_fixture("app.json");
    let root = r.root.as_ref().unwrap();
    let file = r.sources.get(root.span.file);
    let env = root.get("env").unwrap();
    assert_eq!(env.get("GREETING").and_then(|g| g.as_str()), Some("h\u{e9}llo \"world\""));
    let instances = root.member("instances").unwrap();
    assert_eq!(file.line_col(instances.key_span.start), (4, 3));
    assert_eq!(file.line_col(instances.value.span.start), (4, 16));
    assert_eq!(instances.value.as_num().map(|n| (n.text(), n.is_integer())), Some(("2", true)));
    assert_eq!(root.get("mem").and_then(|m| m.as_num()).map(|n| (n.text(), n.is_integer())), Some(("128.0", false)));
    let health = &root.get("healthChecks").and_then(|h| h.items()).unwrap()[0];
    assert_eq!(file.line_col(health.span.start), (10, 21));
    // The span ends right after the closing `}`, at column 97.
    assert_eq!(file.line_col(health.span.end), (10, 98));
}

#[test]
fn each_shape_is_classified() {
    assert_eq!(read_fixture("app.json").classified(), (Some(Kind::App), vec![], vec![]));
    assert_eq!(read_fixture("apps.json").classified(), (Some(Kind::AppList), vec![], vec![]));
    assert_eq!(read_fixture("group.json").classified(), (Some(Kind::Group), vec![], vec![]));
    assert_eq!(
        read_fixture("apps-response.json").classified(),
        (Some(Kind::AppsResponse), vec!["version", "tasksRunning", "deployments", "lastTaskFailure"], vec![])
    );
    assert_eq!(
        read_fixture("app-response.json").classified(),
        (Some(Kind::AppResponse), vec!["tasks", "readinessCheckResults", "taskStats"], vec![])
    );
    let r = read_fixture("not-marathon.json");
    assert_eq!(r.classified(), (None, vec![], vec!["pkw::json::shape"]));
    let (_, d) = classify(r.root.as_ref().unwrap());
    let shape = Read { sources: r.sources, root: None, diagnostics: d };
    snapshot("shape", shape.rendered());
}

#[test]
fn a_groups_response_lists_its_server_fields_with_spans() {
    let r = read_fixture("groups-response.json");
    assert!(r.diagnostics.is_empty(), "{}", r.rendered());
    let root = r.root.as_ref().unwrap();
    let (c, d) = classify(root);
    assert!(d.is_empty());
    let c = c.unwrap();
    assert_eq!(c.kind, Kind::GroupResponse);
    let Shape::Group(group) = c.shape else { panic!("not a group: {:?}", c.shape) };
    assert_eq!(group.get("id").and_then(|i| i.as_str()), Some("/"));
    let file = r.sources.get(root.span.file);
    let ignored: Vec<(&str, (usize, usize))> =
        c.ignored.iter().map(|i| (i.field, file.line_col(i.key_span.start))).collect();
    assert_eq!(
        ignored,
        [
            ("version", (6, 3)),
            ("version", (11, 7)),
            ("version", (21, 11)),
            ("versionInfo", (22, 11)),
            ("tasksStaged", (26, 11)),
            ("tasksRunning", (27, 11)),
            ("tasksHealthy", (28, 11)),
            ("tasksUnhealthy", (29, 11)),
            ("deployments", (30, 11)),
        ]
    );
    // A server-only field's value spans all of it, nested objects included.
    let info = &c.ignored[3];
    assert_eq!((file.line_col(info.value_span.start), file.line_col(info.value_span.end)), ((22, 26), (25, 12)));
}

#[test]
fn trailing_commas_warn_at_each_comma_and_the_tree_is_kept() {
    let r = read_fixture("trailing-comma.json");
    assert_eq!(
        r.found(),
        [("pkw::json::trailing-comma", WARNING, 6, 27), ("pkw::json::trailing-comma", WARNING, 8, 17)]
    );
    assert_eq!(r.labels(1), [(true, 8, 17), (false, 9, 1)]);
    let root = r.root.as_ref().unwrap();
    assert_eq!(root.get("constraints").and_then(|c| c.items()).map(|c| c.len()), Some(1));
    assert_eq!(r.classified().0, Some(Kind::App));
    snapshot("trailing_comma", r.rendered());
}

#[test]
fn broken_json_is_an_error_at_the_byte_with_the_member_before_it() {
    let r = read_fixture("broken.json");
    assert!(r.root.is_none());
    assert_eq!(r.found(), [("pkw::json::syntax", ERROR, 5, 3)]);
    assert_eq!(r.labels(0), [(true, 5, 3), (false, 4, 16)]);
    assert_eq!(r.diagnostics[0].message, "expected `,` or `}` after this member, found a string");
    assert!(r.diagnostics[0].help.is_some());
    snapshot("broken", r.rendered());
}

#[test]
fn placeholders_where_values_go_make_a_template_error() {
    let r = read_fixture("template.json");
    assert!(r.root.is_none());
    assert_eq!(r.found(), [("pkw::json::template", ERROR, 4, 16)]);
    let span = r.diagnostics[0].labels[0].span;
    assert_eq!(r.sources.text(span), "{{COUNT}}");
    // Unquoted `${…}` too.
    let r = read_text("env.json", "{\n  \"mem\": ${MEM:-128}\n}\n");
    assert_eq!(r.found(), [("pkw::json::template", ERROR, 2, 10)]);
    snapshot("template", read_fixture("template.json").rendered());
}

#[test]
fn comments_are_one_error_listing_each_and_the_tree_is_kept() {
    let r = read_fixture("comments.json");
    assert_eq!(r.found(), [("pkw::json::comment", ERROR, 2, 3)]);
    assert_eq!(r.labels(0), [(true, 2, 3), (false, 4, 17)]);
    assert_eq!(r.root.as_ref().and_then(|r| r.get("instances")).and_then(|i| i.as_num()).map(|n| n.text()), Some("2"));
    snapshot("comment", r.rendered());
}

#[test]
fn a_duplicate_key_warns_with_both_and_the_last_wins() {
    let r = read_fixture("duplicate-key.json");
    assert_eq!(r.found(), [("pkw::json::duplicate-key", WARNING, 5, 3)]);
    assert_eq!(r.labels(0), [(true, 5, 3), (false, 3, 3)]);
    assert_eq!(r.root.as_ref().and_then(|r| r.get("mem")).and_then(|m| m.as_num()).map(|n| n.text()), Some("128"));
    snapshot("duplicate_key", r.rendered());
}

#[test]
fn an_empty_file_is_an_error() {
    let r = read_fixture("empty.json");
    assert!(r.root.is_none());
    assert_eq!(r.found(), [("pkw::json::empty", ERROR, 1, 1)]);
    snapshot("empty", r.rendered());
}

#[test]
fn nesting_past_the_limit_is_an_error() {
    let depth = pkwc::json::read::MAX_DEPTH;
    // The object is the first level, so the `depth`-th `[` (at column 18 + `depth`) is one too many.
    let text = format!("{{\"id\": \"/a\", \"x\": {}{}}}\n", "[".repeat(depth), "]".repeat(depth));
    let r = read_text("deep.json", &text);
    assert_eq!(r.found(), [("pkw::json::too-deep", ERROR, 1, 18 + depth)]);
    snapshot("too_deep", r.rendered());
}

#[test]
fn errors_have_line_and_column_in_multibyte_text() {
    let r = read_text("utf8.json", "{\n  \"label\": \"caf\u{e9} \u{2615}\"\n  \"x\": 1\n}");
    assert_eq!(r.found(), [("pkw::json::syntax", ERROR, 3, 3)]);
    assert_eq!(r.labels(0), [(true, 3, 3), (false, 2, 12)]);
}

#[test]
fn no_truncation_of_any_fixture_panics() {
    for name in ["groups-response.json", "app.json", "trailing-comma.json", "template.json", "comments.json"] {
        let text = fixture(name);
        for end in (0..=text.len()).filter(|e| text.is_char_boundary(*e)) {
            let r = read_text(name, &text[..end]);
            if let Some(root) = &r.root {
                let _ = classify(root);
            }
            if name == "app.json" {
                let _ = r.rendered();
            }
            // A cut file has a tree only when it is cut after the closing brace (a template never has one).
            if name != "template.json" {
                assert_eq!(r.root.is_some(), text[end..].trim().is_empty(), "{name} cut at {end}");
            }
        }
    }
}
