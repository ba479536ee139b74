//! `pkwc lsp`: the language server, over standard input and output (`lsp-server`, `lsp-types`; positions in
//! UTF-16 code units, as the protocol says). This is the protocol loop only: what it answers comes from the
//! library (`compile`, `check_json`, `format_source`, `ide::query`). It publishes diagnostics when a
//! document is opened, changed or saved (pkw files, and Marathon JSON), formats documents, and answers
//! hover (a directive's or option's documentation, what a size or duration is in Marathon's units) and
//! completion (the directives of the block at the cursor, a directive's options and words). Malformed or unknown requests
//! get an error response; the server never exits on them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, HoverRequest, Request as _, SemanticTokensFullRequest,
};
use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, OneOf,
    Position, PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextEdit, Uri,
};
use pkwc::diagnostics::{Diagnostic, Severity};
use pkwc::source::{Sources, Span};

/// Imports are read from the file system, relative to the importing file (unsaved imports are not seen).
struct FsLoader(PathBuf);

impl pkwc::Loader for FsLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.0.join(path))
    }
}

/// The semantic token types, in the order `token_type` indexes them.
const LEGEND: &[lsp_types::SemanticTokenType] = &[
    lsp_types::SemanticTokenType::KEYWORD,
    lsp_types::SemanticTokenType::COMMENT,
    lsp_types::SemanticTokenType::STRING,
    lsp_types::SemanticTokenType::NUMBER,
    lsp_types::SemanticTokenType::VARIABLE,
    lsp_types::SemanticTokenType::FUNCTION,
];

fn token_type(h: pkwc::ide::query::Highlight) -> u32 {
    use pkwc::ide::query::Highlight::*;
    match h {
        Directive => 0,
        Comment => 1,
        String => 2,
        Number => 3,
        Reference => 4,
        Call => 5,
    }
}

pub fn run() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        document_formatting_provider: Some(OneOf::Left(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(lsp_types::SemanticTokensServerCapabilities::SemanticTokensOptions(
            lsp_types::SemanticTokensOptions {
                legend: lsp_types::SemanticTokensLegend { token_types: LEGEND.to_vec(), token_modifiers: Vec::new() },
                full: Some(lsp_types::SemanticTokensFullOptions::Bool(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp_types::CompletionOptions::default()),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).unwrap_or_default();
    if let Err(e) = connection.initialize(capabilities) {
        eprintln!("pkwc lsp: the client did not initialize: {e}");
        return 1;
    }
    let mut documents: HashMap<String, String> = HashMap::new();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                match connection.handle_shutdown(&request) {
                    Ok(true) => break,
                    Ok(false) => {}
                    Err(e) => {
                        eprintln!("pkwc lsp: {e}");
                        break;
                    }
                }
                let response = respond(&request, &documents);
                let _ = connection.sender.send(Message::Response(response));
            }
            Message::Notification(notification) => {
                if let Some(uri) = update(&notification, &mut documents) {
                    let diagnostics = documents.get(uri.as_str()).map(|text| diagnose(&uri, text)).unwrap_or_default();
                    publish(&connection, uri, diagnostics);
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    match io_threads.join() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("pkwc lsp: {e}");
            1
        }
    }
}

/// Applies a document notification; the document whose diagnostics to publish, if any.
fn update(n: &Notification, documents: &mut HashMap<String, String>) -> Option<Uri> {
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(n.params.clone()).ok()?;
            documents.insert(p.text_document.uri.as_str().to_string(), p.text_document.text);
            Some(p.text_document.uri)
        }
        DidChangeTextDocument::METHOD => {
            let p: lsp_types::DidChangeTextDocumentParams = serde_json::from_value(n.params.clone()).ok()?;
            // Full synchronisation: the last change is the whole text.
            let text = p.content_changes.into_iter().last()?.text;
            documents.insert(p.text_document.uri.as_str().to_string(), text);
            Some(p.text_document.uri)
        }
        DidSaveTextDocument::METHOD => {
            let p: lsp_types::DidSaveTextDocumentParams = serde_json::from_value(n.params.clone()).ok()?;
            if let Some(text) = p.text {
                documents.insert(p.text_document.uri.as_str().to_string(), text);
            }
            Some(p.text_document.uri)
        }
        DidCloseTextDocument::METHOD => {
            let p: lsp_types::DidCloseTextDocumentParams = serde_json::from_value(n.params.clone()).ok()?;
            documents.remove(p.text_document.uri.as_str());
            Some(p.text_document.uri)
        }
        _ => None,
    }
}

fn respond(request: &Request, documents: &HashMap<String, String>) -> Response {
    let id = request.id.clone();
    match request.method.as_str() {
        Formatting::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DocumentFormattingParams>(request.params.clone()) else {
                return Response::new_err(
                    id,
                    ErrorCode::InvalidParams as i32,
                    "expected DocumentFormattingParams".into(),
                );
            };
            let Some(text) = documents.get(p.text_document.uri.as_str()) else {
                return Response::new_err(id, ErrorCode::InvalidParams as i32, "the document is not open".into());
            };
            // A file that cannot be formatted (unbalanced braces) gets no edits; its diagnostics say why.
            let edits = match pkwc::format_source("document.pkw", text.clone().into_bytes()) {
                Ok(formatted) if &formatted != text => {
                    let sources = single(text);
                    let end = end_position(&sources, text);
                    vec![TextEdit { range: Range { start: Position::new(0, 0), end }, new_text: formatted }]
                }
                _ => Vec::new(),
            };
            Response::new_ok(id, edits)
        }
        HoverRequest::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::HoverParams>(request.params.clone()) else {
                return Response::new_err(id, ErrorCode::InvalidParams as i32, "expected HoverParams".into());
            };
            let at = &p.text_document_position_params;
            let Some(text) = documents.get(at.text_document.uri.as_str()) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = single(text);
            let offset = sources.get(pkwc::source::FileId(0)).offset_utf16(at.position.line, at.position.character);
            let hover = pkwc::ide::query::hover(text, offset).map(|(markdown, (start, end))| {
                let span = Span::new(pkwc::source::FileId(0), start, end);
                lsp_types::Hover {
                    contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                        kind: lsp_types::MarkupKind::Markdown,
                        value: markdown,
                    }),
                    range: Some(range(&sources, span)),
                }
            });
            Response::new_ok(id, hover)
        }
        SemanticTokensFullRequest::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::SemanticTokensParams>(request.params.clone()) else {
                return Response::new_err(id, ErrorCode::InvalidParams as i32, "expected SemanticTokensParams".into());
            };
            let Some(text) = documents.get(p.text_document.uri.as_str()) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = single(text);
            let file = sources.get(pkwc::source::FileId(0));
            // Relative positions, as the protocol encodes them; no token spans lines.
            let (mut last_line, mut last_start) = (0, 0);
            let mut data = Vec::new();
            for (start, end, kind) in pkwc::ide::query::highlights(text) {
                let (line, column) = file.line_utf16(start as u32);
                let length = text[start..end].encode_utf16().count() as u32;
                let delta_start = if line == last_line { column - last_start } else { column };
                data.push(lsp_types::SemanticToken {
                    delta_line: line - last_line,
                    delta_start,
                    length,
                    token_type: token_type(kind),
                    token_modifiers_bitset: 0,
                });
                (last_line, last_start) = (line, column);
            }
            Response::new_ok(id, lsp_types::SemanticTokens { result_id: None, data })
        }
        DocumentSymbolRequest::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DocumentSymbolParams>(request.params.clone()) else {
                return Response::new_err(id, ErrorCode::InvalidParams as i32, "expected DocumentSymbolParams".into());
            };
            let Some(text) = documents.get(p.text_document.uri.as_str()) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = single(text);
            #[allow(deprecated)] // `deprecated` is a field the protocol still has.
            fn convert(sources: &Sources, s: pkwc::ide::query::Symbol) -> lsp_types::DocumentSymbol {
                let span = |(a, b): (usize, usize)| Span::new(pkwc::source::FileId(0), a, b);
                lsp_types::DocumentSymbol {
                    name: s.name,
                    detail: Some(s.kind.to_string()),
                    kind: match s.kind {
                        "group" => lsp_types::SymbolKind::NAMESPACE,
                        "template" => lsp_types::SymbolKind::INTERFACE,
                        _ => lsp_types::SymbolKind::CLASS,
                    },
                    tags: None,
                    deprecated: None,
                    range: range(sources, span(s.range)),
                    selection_range: range(sources, span(s.selection)),
                    children: Some(s.children.into_iter().map(|c| convert(sources, c)).collect()),
                }
            }
            let symbols: Vec<lsp_types::DocumentSymbol> =
                pkwc::ide::query::symbols(text).into_iter().map(|s| convert(&sources, s)).collect();
            Response::new_ok(id, symbols)
        }
        Completion::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::CompletionParams>(request.params.clone()) else {
                return Response::new_err(id, ErrorCode::InvalidParams as i32, "expected CompletionParams".into());
            };
            let at = &p.text_document_position;
            let Some(text) = documents.get(at.text_document.uri.as_str()) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = single(text);
            let offset = sources.get(pkwc::source::FileId(0)).offset_utf16(at.position.line, at.position.character);
            let items: Vec<lsp_types::CompletionItem> = pkwc::ide::query::completions(text, offset)
                .into_iter()
                .map(|c| lsp_types::CompletionItem { label: c.label, detail: Some(c.detail), ..Default::default() })
                .collect();
            Response::new_ok(id, items)
        }
        _ => Response::new_err(
            id,
            ErrorCode::MethodNotFound as i32,
            format!("pkwc lsp does not answer `{}`", request.method),
        ),
    }
}

fn single(text: &str) -> Sources {
    let mut sources = Sources::default();
    sources.add(pkwc::source::SourceFile::new("document", text));
    sources
}

fn end_position(sources: &Sources, text: &str) -> Position {
    let (line, character) = sources.get(pkwc::source::FileId(0)).line_utf16(text.len() as u32);
    Position::new(line, character)
}

/// The document's diagnostics, in the protocol's terms: those whose primary label is in the document.
fn diagnose(uri: &Uri, text: &str) -> Vec<LspDiagnostic> {
    let path = uri.as_str().strip_prefix("file://").map(PathBuf::from);
    let name = path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or("document.pkw".to_string(), |n| n.to_string_lossy().into_owned());
    let compilation = if pkwc::looks_like_json(&name, text.as_bytes()) {
        pkwc::check_json(vec![(name, text.as_bytes().to_vec())], pkwc::Options::default())
    } else {
        let dir = path.as_ref().and_then(|p| p.parent()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let loader = FsLoader(dir);
        let inputs = pkwc::Inputs { loader: &loader, sets: &[], path: path.as_deref() };
        pkwc::compile(&name, text.as_bytes().to_vec(), pkwc::Options::default(), inputs)
    };
    // The main file is the one whose text is the document's.
    let main = (0..compilation.sources.len())
        .map(|i| pkwc::source::FileId(i as u32))
        .find(|f| &*compilation.sources.get(*f).text == text);
    let Some(main) = main else { return Vec::new() };
    compilation.diagnostics.iter().filter_map(|d| to_lsp(d, &compilation.sources, main, uri)).collect()
}

fn range(sources: &Sources, span: Span) -> Range {
    let file = sources.get(span.file);
    let (l0, c0) = file.line_utf16(span.start);
    let (l1, c1) = file.line_utf16(span.end);
    Range { start: Position::new(l0, c0), end: Position::new(l1, c1) }
}

fn to_lsp(d: &Diagnostic, sources: &Sources, main: pkwc::source::FileId, uri: &Uri) -> Option<LspDiagnostic> {
    let primary = d.labels.iter().find(|l| l.primary).or(d.labels.first())?;
    if primary.span.file != main {
        return None;
    }
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        _ => DiagnosticSeverity::INFORMATION,
    };
    let related = d
        .labels
        .iter()
        .filter(|l| !l.primary && l.span.file == main)
        .map(|l| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: range(sources, l.span) },
            message: l.message.clone(),
        })
        .collect::<Vec<_>>();
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    Some(LspDiagnostic {
        range: range(sources, primary.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        source: Some("pkwc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..LspDiagnostic::default()
    })
}

fn publish(connection: &Connection, uri: Uri, diagnostics: Vec<LspDiagnostic>) {
    let params = PublishDiagnosticsParams { uri, diagnostics, version: None };
    let note = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
    let _ = connection.sender.send(Message::Notification(note));
}
