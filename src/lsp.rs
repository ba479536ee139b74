//! `pkwc lsp`: the language server, over standard input and output (`lsp-server`, `lsp-types`; positions in
//! UTF-16 code units, as the protocol says). This is the protocol loop only: what it answers comes from the
//! library (`ide::analysis` for pkw documents, `check_json`, `format_source`, `ide::query`). On each change it
//! re-analyses every open document and publishes each file's diagnostics (imported files included); it
//! answers definition, references and rename (across the open documents that import a file), quick-fix
//! code actions, hover, completion, document symbols, semantic tokens and formatting. Malformed or unknown
//! requests get an error response; the server never exits on them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, References, Rename,
    Request as _, SemanticTokensFullRequest,
};
use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, OneOf,
    Position, PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextEdit, Uri,
};
use pkwc::diagnostics::{Diagnostic, Severity};
use pkwc::ide::analysis::{Analysed, Analysis};
use pkwc::source::{FileId, Sources, Span};

/// Files that are not open are read from the file system (imports resolve relative to the importing file).
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
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Options(lsp_types::CodeActionOptions {
            code_action_kinds: Some(vec![lsp_types::CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        semantic_tokens_provider: Some(lsp_types::SemanticTokensServerCapabilities::SemanticTokensOptions(
            lsp_types::SemanticTokensOptions {
                legend: lsp_types::SemanticTokensLegend { token_types: LEGEND.to_vec(), token_modifiers: Vec::new() },
                full: Some(lsp_types::SemanticTokensFullOptions::Bool(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec!["$".into(), "\"".into(), "/".into()]),
            ..Default::default()
        }),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).unwrap_or_default();
    if let Err(e) = connection.initialize(capabilities) {
        eprintln!("pkwc lsp: the client did not initialize: {e}");
        return 1;
    }
    let mut server = Server::default();
    // The protocol's exit code: 0 after a `shutdown` request, 1 when the client exits (or goes) without one.
    let mut shut_down = false;
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                match connection.handle_shutdown(&request) {
                    Ok(true) => {
                        shut_down = true;
                        break;
                    }
                    Ok(false) => {}
                    Err(e) => {
                        eprintln!("pkwc lsp: {e}");
                        break;
                    }
                }
                let response = respond(&request, &server);
                let _ = connection.sender.send(Message::Response(response));
            }
            Message::Notification(notification) => {
                if update(&notification, &mut server).is_some() {
                    // The last analyses are freed once the new diagnostics are out, not before.
                    let old = std::mem::take(&mut server.analysed);
                    for (uri, diagnostics) in server.reanalyse() {
                        publish(&connection, uri, diagnostics);
                    }
                    drop(old);
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    match io_threads.join() {
        Ok(()) => i32::from(!shut_down),
        Err(e) => {
            eprintln!("pkwc lsp: {e}");
            1
        }
    }
}

/// What the server holds: the open documents' texts (by URI), the analysis of each open pkw document, and
/// the files whose diagnostics it last published (so that fixed files are cleared).
#[derive(Default)]
struct Server {
    documents: HashMap<String, String>,
    analysis: Analysis,
    analysed: HashMap<String, Analysed>,
    published: std::collections::HashSet<String>,
}

impl Server {
    /// Analyses every open pkw document (each with what it imports, open ones as the editor has them) and
    /// checks every open JSON document; the diagnostics of each file, by URI. An open document's come from
    /// its own analysis; a file that is not open gets those of the documents that import it.
    fn reanalyse(&mut self) -> Vec<(Uri, Vec<LspDiagnostic>)> {
        let mut out: HashMap<String, Vec<LspDiagnostic>> = HashMap::new();
        for (uri, text) in &self.documents {
            let Some(path) = uri_path(uri) else { continue };
            let name = path.to_string_lossy().into_owned();
            if pkwc::looks_like_json(&name, text.as_bytes()) {
                let c = pkwc::check_json(vec![(name, text.as_bytes().to_vec())], pkwc::Options::default());
                let list = c.diagnostics.iter().filter_map(|d| to_lsp(d, &c.sources, FileId(0))).collect();
                out.insert(uri.clone(), list);
                continue;
            }
            let dir = path.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
            let Some(analysed) = self.analysis.analyse(&path, &FsLoader(dir)) else { continue };
            for (file, diagnostics) in analysed.diagnostics() {
                let file_uri = path_uri(Path::new(&analysed.compilation.sources.get(file).name));
                if file != analysed.main && self.documents.contains_key(&file_uri) {
                    continue;
                }
                let list = diagnostics.iter().filter_map(|d| to_lsp(d, &analysed.compilation.sources, file));
                out.entry(file_uri).or_default().extend(list);
            }
            self.analysed.insert(uri.clone(), analysed);
        }
        // Files that had diagnostics and have none now are cleared.
        for uri in std::mem::take(&mut self.published) {
            out.entry(uri).or_default();
        }
        let mut published = Vec::new();
        for (uri, list) in out {
            if !list.is_empty() {
                self.published.insert(uri.clone());
            }
            if let Ok(parsed) = uri.parse::<Uri>() {
                published.push((parsed, list));
            }
        }
        published.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        published
    }

    /// What `ask` answers at `position` of document `uri` in every analysis that holds that file (its own,
    /// and those of the open documents that import it), as locations, each once.
    fn everywhere(
        &self,
        uri: &Uri,
        position: Position,
        ask: impl Fn(&Analysed, FileId, usize) -> Vec<(Span, String)>,
    ) -> Vec<(Location, String)> {
        let Some(path) = uri_path(uri.as_str()) else { return Vec::new() };
        let mut out: Vec<(Location, String)> = Vec::new();
        for analysed in self.analysed.values() {
            let Some(file) = analysed.file(&path) else { continue };
            let sources = &analysed.compilation.sources;
            let offset = sources.get(file).offset_utf16(position.line, position.character);
            for (span, text) in ask(analysed, file, offset) {
                if let Some(l) = location(sources, span) {
                    if !out.iter().any(|(o, _)| *o == l) {
                        out.push((l, text));
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            (a.0.uri.as_str(), a.0.range.start.line, a.0.range.start.character).cmp(&(
                b.0.uri.as_str(),
                b.0.range.start.line,
                b.0.range.start.character,
            ))
        });
        out
    }

    /// The analysis holding the open document `uri`, and the document's file in it.
    fn at(&self, uri: &Uri) -> Option<(&Analysed, FileId)> {
        let analysed = self.analysed.get(uri.as_str())?;
        let file = analysed.file(&uri_path(uri.as_str())?)?;
        Some((analysed, file))
    }
}

/// The path of a `file://` URI, percent-decoded.
fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The `file://` URI of a path, percent-encoding what a URI path may not hold.
fn path_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Applies a document notification; the document that changed, if any.
fn update(n: &Notification, server: &mut Server) -> Option<Uri> {
    let mut set = |uri: &Uri, text: Option<String>| {
        let path = uri_path(uri.as_str());
        match text {
            Some(text) => {
                if let Some(path) = &path {
                    server.analysis.set(path, text.clone());
                }
                server.documents.insert(uri.as_str().to_string(), text);
            }
            None => {
                if let Some(path) = &path {
                    server.analysis.close(path);
                }
                server.documents.remove(uri.as_str());
            }
        }
    };
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(n.params.clone()).ok()?;
            set(&p.text_document.uri, Some(p.text_document.text));
            Some(p.text_document.uri)
        }
        DidChangeTextDocument::METHOD => {
            let p: lsp_types::DidChangeTextDocumentParams = serde_json::from_value(n.params.clone()).ok()?;
            // Full synchronisation: the last change is the whole text.
            let text = p.content_changes.into_iter().last()?.text;
            set(&p.text_document.uri, Some(text));
            Some(p.text_document.uri)
        }
        DidSaveTextDocument::METHOD => {
            let p: lsp_types::DidSaveTextDocumentParams = serde_json::from_value(n.params.clone()).ok()?;
            if let Some(text) = p.text {
                set(&p.text_document.uri, Some(text));
            }
            Some(p.text_document.uri)
        }
        DidCloseTextDocument::METHOD => {
            let p: lsp_types::DidCloseTextDocumentParams = serde_json::from_value(n.params.clone()).ok()?;
            set(&p.text_document.uri, None);
            Some(p.text_document.uri)
        }
        _ => None,
    }
}

fn respond(request: &Request, server: &Server) -> Response {
    let id = request.id.clone();
    let invalid =
        |what: &str| Response::new_err(id.clone(), ErrorCode::InvalidParams as i32, format!("expected {what}"));
    let documents = &server.documents;
    match request.method.as_str() {
        lsp_types::request::Initialize::METHOD => {
            Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is already initialized".into())
        }
        Formatting::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DocumentFormattingParams>(request.params.clone()) else {
                return invalid("DocumentFormattingParams");
            };
            let Some(text) = documents.get(p.text_document.uri.as_str()) else {
                return Response::new_err(id, ErrorCode::InvalidParams as i32, "the document is not open".into());
            };
            // A file that cannot be laid out (a bare carriage return, nesting too deep) gets no edits; its
            // diagnostics say why. Broken statements and unbalanced blocks stay as written.
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
                return invalid("HoverParams");
            };
            let at = &p.text_document_position_params;
            let markdown = |value: String| {
                lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                    kind: lsp_types::MarkupKind::Markdown,
                    value,
                })
            };
            if let Some((analysed, file)) = server.at(&at.text_document.uri) {
                let sources = &analysed.compilation.sources;
                let offset = sources.get(file).offset_utf16(at.position.line, at.position.character);
                let mut hover = analysed.hover(file, offset);
                // The explanation of each diagnostic under the cursor (`pkwc explain CODE`).
                let under: Vec<&Diagnostic> = analysed
                    .compilation
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        d.labels.iter().any(|l| {
                            l.primary
                                && l.span.file == file
                                && l.span.start as usize <= offset
                                && offset <= l.span.end as usize
                        })
                    })
                    .collect();
                if !under.is_empty() {
                    let explained: Vec<String> = under
                        .iter()
                        .map(|d| {
                            format!(
                                "**{}** (`pkwc explain {}`)\n\n{}",
                                d.code.as_str(),
                                d.code.as_str(),
                                d.code.explanation()
                            )
                        })
                        .collect();
                    let span = hover.as_ref().map(|h| h.1).or(under[0].labels.first().map(|l| l.span));
                    let text = match hover {
                        Some((text, _)) => format!("{text}\n\n---\n\n{}", explained.join("\n\n---\n\n")),
                        None => explained.join("\n\n---\n\n"),
                    };
                    hover = span.map(|s| (text, s));
                }
                let hover = hover.map(|(value, span)| lsp_types::Hover {
                    contents: markdown(value),
                    range: (span.file == file).then(|| range(sources, span)),
                });
                return Response::new_ok(id, hover);
            }
            let Some(text) = documents.get(at.text_document.uri.as_str()) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = single(text);
            let offset = sources.get(FileId(0)).offset_utf16(at.position.line, at.position.character);
            let hover = pkwc::ide::query::hover(text, offset).map(|(value, (start, end))| lsp_types::Hover {
                contents: markdown(value),
                range: Some(range(&sources, Span::new(FileId(0), start, end))),
            });
            Response::new_ok(id, hover)
        }
        GotoDefinition::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::GotoDefinitionParams>(request.params.clone()) else {
                return invalid("GotoDefinitionParams");
            };
            let at = &p.text_document_position_params;
            let Some((analysed, file)) = server.at(&at.text_document.uri) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = &analysed.compilation.sources;
            let offset = sources.get(file).offset_utf16(at.position.line, at.position.character);
            let location = analysed.definition(file, offset).and_then(|span| location(sources, span));
            Response::new_ok(id, location.map(lsp_types::GotoDefinitionResponse::Scalar))
        }
        References::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::ReferenceParams>(request.params.clone()) else {
                return invalid("ReferenceParams");
            };
            let at = &p.text_document_position;
            let declaration = p.context.include_declaration;
            let found = server.everywhere(&at.text_document.uri, at.position, |a, file, offset| {
                a.references(file, offset, declaration).into_iter().map(|s| (s, String::new())).collect()
            });
            Response::new_ok(id, found.into_iter().map(|(l, _)| l).collect::<Vec<Location>>())
        }
        Rename::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::RenameParams>(request.params.clone()) else {
                return invalid("RenameParams");
            };
            let at = &p.text_document_position;
            let Some((analysed, file)) = server.at(&at.text_document.uri) else {
                return Response::new_err(id, ErrorCode::InvalidParams as i32, "the document is not open".into());
            };
            // Refused if the document's own analysis refuses it; else the edits of every analysis holding
            // the file (the documents that import it rename their uses too).
            let offset = analysed.compilation.sources.get(file).offset_utf16(at.position.line, at.position.character);
            if let Err(why) = analysed.rename(file, offset, &p.new_name) {
                return Response::new_err(id, ErrorCode::RequestFailed as i32, why);
            }
            let edits = server.everywhere(&at.text_document.uri, at.position, |a, file, offset| {
                a.rename(file, offset, &p.new_name).unwrap_or_default()
            });
            Response::new_ok(id, edit_of(edits))
        }
        CodeActionRequest::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::CodeActionParams>(request.params.clone()) else {
                return invalid("CodeActionParams");
            };
            let Some((analysed, file)) = server.at(&p.text_document.uri) else {
                return Response::new_ok(id, Vec::<lsp_types::CodeActionOrCommand>::new());
            };
            let sources = &analysed.compilation.sources;
            let wanted = (
                sources.get(file).offset_utf16(p.range.start.line, p.range.start.character),
                sources.get(file).offset_utf16(p.range.end.line, p.range.end.character),
            );
            let mut actions = Vec::new();
            for d in &analysed.compilation.diagnostics {
                let Some(primary) = d.labels.iter().find(|l| l.primary) else { continue };
                let (start, end) = (primary.span.start as usize, primary.span.end as usize);
                if primary.span.file != file || end < wanted.0 || start > wanted.1 {
                    continue;
                }
                for fix in &d.fixes {
                    let Some(edit) = pkwc::ide::fixes::text_edit(fix, sources) else { continue };
                    actions.push(lsp_types::CodeActionOrCommand::CodeAction(lsp_types::CodeAction {
                        title: format!("{} ({})", capitalised(&fix.title), d.code.as_str()),
                        kind: Some(lsp_types::CodeActionKind::QUICKFIX),
                        diagnostics: to_lsp(d, sources, file).map(|l| vec![l]),
                        edit: Some(workspace_edit(sources, &[edit])),
                        is_preferred: Some(d.fixes.len() == 1),
                        ..Default::default()
                    }));
                }
            }
            Response::new_ok(id, actions)
        }
        SemanticTokensFullRequest::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::SemanticTokensParams>(request.params.clone()) else {
                return invalid("SemanticTokensParams");
            };
            let Some(text) = documents.get(p.text_document.uri.as_str()) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = single(text);
            let file = sources.get(FileId(0));
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
                return invalid("DocumentSymbolParams");
            };
            let Some(text) = documents.get(p.text_document.uri.as_str()) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = single(text);
            #[allow(deprecated)] // `deprecated` is a field the protocol still has.
            fn convert(sources: &Sources, s: pkwc::ide::query::Symbol) -> lsp_types::DocumentSymbol {
                let span = |(a, b): (usize, usize)| Span::new(FileId(0), a, b);
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
                return invalid("CompletionParams");
            };
            let at = &p.text_document_position;
            let item = |c: pkwc::ide::query::Completion| lsp_types::CompletionItem {
                label: c.label,
                detail: Some(c.detail),
                ..Default::default()
            };
            if let Some((analysed, file)) = server.at(&at.text_document.uri) {
                let offset =
                    analysed.compilation.sources.get(file).offset_utf16(at.position.line, at.position.character);
                let items: Vec<lsp_types::CompletionItem> =
                    analysed.completions(file, offset).into_iter().map(item).collect();
                return Response::new_ok(id, items);
            }
            let Some(text) = documents.get(at.text_document.uri.as_str()) else {
                return Response::new_ok(id, serde_json::Value::Null);
            };
            let sources = single(text);
            let offset = sources.get(FileId(0)).offset_utf16(at.position.line, at.position.character);
            let items: Vec<lsp_types::CompletionItem> =
                pkwc::ide::query::completions(text, offset).into_iter().map(item).collect();
            Response::new_ok(id, items)
        }
        _ => Response::new_err(
            id,
            ErrorCode::MethodNotFound as i32,
            format!("pkwc lsp does not answer `{}`", request.method),
        ),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

fn location(sources: &Sources, span: Span) -> Option<Location> {
    let uri = path_uri(Path::new(&sources.get(span.file).name)).parse().ok()?;
    Some(Location { uri, range: range(sources, span) })
}

/// Edits in the files of a compilation, by URI.
fn workspace_edit(sources: &Sources, edits: &[(Span, String)]) -> lsp_types::WorkspaceEdit {
    edit_of(edits.iter().filter_map(|(span, text)| Some((location(sources, *span)?, text.clone()))).collect())
}

// lsp-types keys `changes` by `Uri`, which clippy takes for mutable (it caches its parse); nothing mutates it.
#[allow(clippy::mutable_key_type)]
fn edit_of(edits: Vec<(Location, String)>) -> lsp_types::WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (l, new_text) in edits {
        changes.entry(l.uri).or_default().push(TextEdit { range: l.range, new_text });
    }
    lsp_types::WorkspaceEdit { changes: Some(changes), ..Default::default() }
}

fn single(text: &str) -> Sources {
    let mut sources = Sources::default();
    sources.add(pkwc::source::SourceFile::new("document", text));
    sources
}

fn end_position(sources: &Sources, text: &str) -> Position {
    let (line, character) = sources.get(FileId(0)).line_utf16(text.len() as u32);
    Position::new(line, character)
}

fn range(sources: &Sources, span: Span) -> Range {
    let file = sources.get(span.file);
    let (l0, c0) = file.line_utf16(span.start);
    let (l1, c1) = file.line_utf16(span.end);
    Range { start: Position::new(l0, c0), end: Position::new(l1, c1) }
}

/// A diagnostic whose primary label is in `file`, in the protocol's terms (other labels as related
/// information, in whichever file they are).
fn to_lsp(d: &Diagnostic, sources: &Sources, file: FileId) -> Option<LspDiagnostic> {
    let primary = d.labels.iter().find(|l| l.primary).or(d.labels.first());
    // A diagnostic with no label (a file that is not UTF-8) is shown at the start of the file.
    let at = match primary {
        Some(l) if l.span.file != file => return None,
        Some(l) => range(sources, l.span),
        None => Range::default(),
    };
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        _ => DiagnosticSeverity::INFORMATION,
    };
    let related = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation { location: location(sources, l.span)?, message: l.message.clone() })
        })
        .collect::<Vec<_>>();
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    Some(LspDiagnostic {
        range: at,
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
