//! `pkwc lsp`, the real binary, spoken to over stdio in JSON-RPC: initialize, open a file with errors and
//! an unbalanced brace (every error is published, at UTF-16 positions), change it, format it, send what the
//! server does not answer and what is malformed, shut down and exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

struct Client {
    child: std::process::Child,
    out: BufReader<std::process::ChildStdout>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pkwc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("pkwc lsp starts");
        let out = BufReader::new(child.stdout.take().unwrap());
        Client { child, out }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.child.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.out.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.out.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// The next message that is not a notification of another method.
    fn until(&mut self, pick: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..20 {
            let m = self.receive();
            if pick(&m) {
                return m;
            }
        }
        panic!("no such message");
    }
}

const BROKEN: &str = "group shop {\n  app web {\n    image \"nginx:1.25\"\n    mem 30s\n  }\n  app api {\n    image \"example/api:2\"\n    env E \"€€\"; cpus -1\n    bogus 1\n\n  app worker {\n    cmd \"./work\"\n  }\n}\n";

#[test]
fn diagnostics_formatting_errors_and_shutdown() {
    let mut c = Client::start();
    c.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
    let init = c.until(|m| m["id"] == 1);
    assert_eq!(init["result"]["capabilities"]["documentFormattingProvider"], true, "{init}");
    c.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));

    let uri = "file:///tmp/pkwc-lsp-test/shop.pkw";
    c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "pkw", "version": 1, "text": BROKEN}}}));
    let published = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
    let diags = published["params"]["diagnostics"].as_array().unwrap().clone();
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for wanted in
        ["pkw::syntax::unclosed-brace", "pkw::args::wrong-kind", "pkw::value::out-of-range", "pkw::directive::unknown"]
    {
        assert!(codes.contains(&wanted), "{wanted} missing from {codes:?}");
    }
    // The unclosed brace is the one of `app api {` (line 5, 0-based), at its `{`.
    let brace = diags.iter().find(|d| d["code"] == "pkw::syntax::unclosed-brace").unwrap();
    assert_eq!(brace["range"]["start"], json!({"line": 5, "character": 10}), "{brace}");
    // `cpus -1` on line 7, after `€€` on the same line: its column counts UTF-16 code units, not bytes.
    let cpus = diags.iter().find(|d| d["code"] == "pkw::value::out-of-range").unwrap();
    let line = BROKEN.lines().nth(7).unwrap();
    let column = line[..line.find("-1").unwrap()].encode_utf16().count();
    assert_eq!(column, 21);
    assert_eq!(cpus["range"]["start"], json!({"line": 7, "character": column}), "{cpus}");

    // A change that fixes everything clears the diagnostics.
    let fixed = "group shop {\napp web {\nimage \"nginx:1.25\"\n}\n}\n";
    c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}}));
    let published = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["diagnostics"], json!([]), "{published}");

    // Formatting: one edit, the whole document in the canonical layout.
    c.send(json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/formatting", "params": {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}}));
    let formatted = c.until(|m| m["id"] == 2);
    assert_eq!(
        formatted["result"][0]["newText"], "group shop {\n  app web {\n    image \"nginx:1.25\"\n  }\n}\n",
        "{formatted}"
    );

    // Hover on `image` (line 2): the directive's documentation from the schema table.
    c.send(json!({"jsonrpc": "2.0", "id": 6, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 1}}}));
    let hover = c.until(|m| m["id"] == 6);
    assert!(hover["result"]["contents"]["value"].as_str().unwrap().starts_with("**image**"), "{hover}");
    // Completion at the start of a line in the app: its directives.
    c.send(json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/completion", "params": {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 0}}}));
    let items = c.until(|m| m["id"] == 7);
    let labels: Vec<&str> = items["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"cpus") && labels.contains(&"health"), "{labels:?}");

    // The outline: the group and its app.
    c.send(json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}}));
    let outline = c.until(|m| m["id"] == 8);
    assert_eq!(outline["result"][0]["name"], "shop", "{outline}");
    assert_eq!(outline["result"][0]["children"][0]["name"], "web", "{outline}");

    // Semantic tokens: `group` is the first token, a keyword (type 0), at line 0, column 0, 5 long.
    c.send(json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/semanticTokens/full", "params": {"textDocument": {"uri": uri}}}));
    let tokens = c.until(|m| m["id"] == 9);
    let data = tokens["result"]["data"].as_array().unwrap();
    assert_eq!(&data[..5], &[json!(0), json!(0), json!(5), json!(0), json!(0)], "{tokens}");

    // What the server does not answer, and malformed parameters: errors, and the server goes on.
    c.send(json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/definition", "params": {}}));
    assert!(c.until(|m| m["id"] == 3)["error"].is_object());
    c.send(json!({"jsonrpc": "2.0", "id": 10, "method": "textDocument/typeDefinition", "params": {}}));
    assert_eq!(c.until(|m| m["id"] == 10)["error"]["code"], -32601);
    c.send(json!({"jsonrpc": "2.0", "id": 4, "method": "textDocument/formatting", "params": {"nonsense": true}}));
    assert!(c.until(|m| m["id"] == 4)["error"].is_object());
    c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": 7}));

    c.send(json!({"jsonrpc": "2.0", "id": 5, "method": "shutdown", "params": null}));
    assert!(c.until(|m| m["id"] == 5).get("error").is_none());
    c.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let status = c.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

const LIB: &str = "template web {\n  param port 8080\n  image \"nginx\"\n  port http $port\n}\n";
const MAIN: &str = "import \"lib.pkw\"\ngroup shop {\n  app front from web { port 9090; instances 2; mem 1GB }\n  app api from web {\n    env FRONT dns(front)\n  }\n}\n";

/// The positions of `needle` in `text` (0-based line and UTF-16 column of its first byte, plus `within`).
fn position(text: &str, needle: &str, within: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle}")) + within;
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[start..at].encode_utf16().count()})
}

/// Two files open with unsaved text, one importing the other, and a third on disk only: diagnostics per
/// file, definition across the import, references, rename, hover on an app and a `dns()` call, completion of
/// templates and parameters, and a quick fix.
#[test]
fn names_across_files_and_quick_fixes() {
    let dir = std::env::temp_dir().join(format!("pkwc-lsp-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // On disk, not open: an import with an error, published under its own URI.
    std::fs::write(dir.join("disk.pkw"), "let size $nope\n").unwrap();
    let main_uri = format!("file://{}/main.pkw", dir.display());
    let lib_uri = format!("file://{}/lib.pkw", dir.display());
    let disk_uri = format!("file://{}/disk.pkw", dir.display());

    let mut c = Client::start();
    c.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
    let init = c.until(|m| m["id"] == 1);
    for capability in ["definitionProvider", "referencesProvider", "renameProvider", "hoverProvider"] {
        assert_eq!(init["result"]["capabilities"][capability], true, "{capability}: {init}");
    }
    assert_eq!(init["result"]["capabilities"]["codeActionProvider"]["codeActionKinds"], json!(["quickfix"]));
    c.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let open = |c: &mut Client, uri: &str, text: &str| {
        c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "pkw", "version": 1, "text": text}}}));
    };
    // The lib first (nothing imports it yet), then the main file.
    open(&mut c, &lib_uri, LIB);
    open(&mut c, &main_uri, &MAIN.replace("import \"lib.pkw\"\n", "import \"lib.pkw\"\nimport \"disk.pkw\"\n"));
    // Publications come per file; collect those after the second open.
    let mut seen: std::collections::BTreeMap<String, Value> = Default::default();
    while !(seen.contains_key(&main_uri) && seen.contains_key(&disk_uri)) {
        let m = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
        seen.insert(m["params"]["uri"].as_str().unwrap().to_string(), m["params"]["diagnostics"].clone());
    }
    let codes = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(codes(&seen[&main_uri]), vec!["pkw::value::unknown-unit".to_string()], "{:?}", seen[&main_uri]);
    assert_eq!(codes(&seen[&disk_uri]), vec!["pkw::ref::unknown".to_string()], "{:?}", seen[&disk_uri]);
    // Back to one import: the disk file's diagnostics are cleared.
    c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": MAIN}]}}));
    let cleared =
        c.until(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == disk_uri.as_str());
    assert_eq!(cleared["params"]["diagnostics"], json!([]));

    // Definition: `web` in `from web` → the template in the other (unsaved) file.
    c.send(json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/definition", "params": {"textDocument": {"uri": main_uri}, "position": position(MAIN, "from web", 6)}}));
    let def = c.until(|m| m["id"] == 2);
    assert_eq!(def["result"]["uri"], lib_uri.as_str(), "{def}");
    assert_eq!(def["result"]["range"]["start"], json!({"line": 0, "character": 9}), "{def}");
    // `dns(front)` → the app.
    c.send(json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/definition", "params": {"textDocument": {"uri": main_uri}, "position": position(MAIN, "dns(front)", 5)}}));
    let def = c.until(|m| m["id"] == 3);
    assert_eq!(def["result"]["range"]["start"], position(MAIN, "front from", 0), "{def}");

    // References to the template, from its definition: the definition and both uses.
    c.send(json!({"jsonrpc": "2.0", "id": 4, "method": "textDocument/references", "params": {"textDocument": {"uri": lib_uri}, "position": {"line": 0, "character": 10}, "context": {"includeDeclaration": true}}}));
    let refs = c.until(|m| m["id"] == 4);
    let refs = refs["result"].as_array().unwrap();
    assert_eq!(refs.len(), 3, "{refs:?}");
    assert_eq!(refs.iter().filter(|r| r["uri"] == main_uri.as_str()).count(), 2);

    // Rename the parameter `port`: its declaration and use in lib.pkw; a bad name is refused.
    c.send(json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/rename", "params": {"textDocument": {"uri": lib_uri}, "position": position(LIB, "$port", 2), "newName": "listen"}}));
    let rename = c.until(|m| m["id"] == 5);
    let edits = rename["result"]["changes"][lib_uri.as_str()].as_array().unwrap();
    assert_eq!(edits.len(), 2, "{rename}");
    assert!(edits.iter().all(|e| e["newText"] == "listen"));
    // `port 9090` in main.pkw sets that parameter: renamed too.
    let edits = rename["result"]["changes"][main_uri.as_str()].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{rename}");
    assert_eq!(edits[0]["range"]["start"], position(MAIN, "port 9090", 0));
    c.send(json!({"jsonrpc": "2.0", "id": 6, "method": "textDocument/rename", "params": {"textDocument": {"uri": lib_uri}, "position": position(LIB, "$port", 2), "newName": "1x"}}));
    let refused = c.until(|m| m["id"] == 6);
    assert!(refused["error"]["message"].as_str().unwrap().contains("not a name"), "{refused}");

    // Hover on an app: its id, Mesos-DNS name and JSON; on `dns(front)`: the name it resolves to.
    c.send(json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {"textDocument": {"uri": main_uri}, "position": position(MAIN, "api from", 1)}}));
    let hover = c.until(|m| m["id"] == 7);
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("app `/shop/api`: Mesos-DNS `api-shop.marathon.mesos`") && text.contains("```json"),
        "{text}"
    );
    c.send(json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": {"textDocument": {"uri": main_uri}, "position": position(MAIN, "dns(front)", 2)}}));
    let hover = c.until(|m| m["id"] == 8);
    assert_eq!(
        hover["result"]["contents"]["value"],
        "`dns(front)` → `front-shop.marathon.mesos`\n\n(the app `/shop/front`)"
    );
    // Hover on the diagnostic's span: the code's explanation.
    c.send(json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/hover", "params": {"textDocument": {"uri": main_uri}, "position": position(MAIN, "GB", 0)}}));
    let hover = c.until(|m| m["id"] == 9);
    assert!(
        hover["result"]["contents"]["value"].as_str().unwrap().contains("`pkwc explain pkw::value::unknown-unit`"),
        "{hover}"
    );

    // Completion on the use line of `web`: its parameter; at a statement start: the template.
    c.send(json!({"jsonrpc": "2.0", "id": 10, "method": "textDocument/completion", "params": {"textDocument": {"uri": main_uri}, "position": position(MAIN, "{ port 9090", 2)}}));
    let items = c.until(|m| m["id"] == 10);
    let labels: Vec<&str> = items["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"image"), "{labels:?}");
    c.send(json!({"jsonrpc": "2.0", "id": 11, "method": "textDocument/completion", "params": {"textDocument": {"uri": main_uri}, "position": position(MAIN, "  app front", 0)}}));
    let items = c.until(|m| m["id"] == 11);
    let labels: Vec<&str> = items["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"web") && labels.contains(&"app"), "{labels:?}");

    // The quick fix for `1GB`: write `GiB`.
    let gb = position(MAIN, "GB", 0);
    c.send(json!({"jsonrpc": "2.0", "id": 12, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": main_uri}, "range": {"start": gb, "end": gb}, "context": {"diagnostics": []}}}));
    let actions = c.until(|m| m["id"] == 12);
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix", "{actions}");
    assert_eq!(action["title"], "Write `GiB` (pkw::value::unknown-unit)");
    let edit = &action["edit"]["changes"][main_uri.as_str()][0];
    assert_eq!(edit["newText"], "GiB");
    assert_eq!(edit["range"]["start"], gb);

    c.send(json!({"jsonrpc": "2.0", "id": 13, "method": "shutdown", "params": null}));
    assert!(c.until(|m| m["id"] == 13).get("error").is_none());
    c.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    assert_eq!(c.child.wait().unwrap().code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Out of order: a request before `initialize` gets an error, a second `initialize` too, a request about a
/// document never opened gets nothing; exiting without `shutdown` exits with status 1, as the protocol says.
#[test]
fn out_of_order_messages() {
    let mut c = Client::start();
    c.send(json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///x.pkw"}, "position": {"line": 0, "character": 0}}}));
    assert_eq!(c.until(|m| m["id"] == 7)["error"]["code"], -32002, "not initialized yet");
    c.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
    assert!(c.until(|m| m["id"] == 1)["result"]["capabilities"].is_object());
    c.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    c.send(json!({"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {"capabilities": {}}}));
    assert_eq!(c.until(|m| m["id"] == 2)["error"]["code"], -32600, "initialized twice");
    c.send(json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/definition", "params": {"textDocument": {"uri": "file:///never-opened.pkw"}, "position": {"line": 0, "character": 0}}}));
    assert_eq!(c.until(|m| m["id"] == 3)["result"], Value::Null);
    c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///x.pkw", "version": 2}, "contentChanges": [{"text": "app a { cpus -1 }"}]}}));
    let published = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
    let codes: Vec<&str> =
        published["params"]["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"pkw::value::out-of-range"), "a change to a document never opened opens it: {codes:?}");
    c.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    assert_eq!(c.child.wait().unwrap().code(), Some(1));
}
