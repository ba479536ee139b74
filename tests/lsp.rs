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
    c.send(json!({"jsonrpc": "2.0", "id": 4, "method": "textDocument/formatting", "params": {"nonsense": true}}));
    assert!(c.until(|m| m["id"] == 4)["error"].is_object());
    c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": 7}));

    c.send(json!({"jsonrpc": "2.0", "id": 5, "method": "shutdown", "params": null}));
    assert!(c.until(|m| m["id"] == 5).get("error").is_none());
    c.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let status = c.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
