//! The analysis API: files with unsaved text, analysed on request, answering per-file diagnostics and
//! position queries (definition, references, rename, hover, completion). This is what a language server or
//! any other editor tool asks; it holds no threads of its own, does no I/O (files that are not open are read
//! through the caller's `Loader`; the compilation runs on the caller's thread, `Options::threads` off) and
//! knows no protocol types.
//!
//! One `analyse` is one whole compilation of a file and everything it imports, open files read as they
//! are in the editor, with `Options::names` on: every question is then answered from that compilation's
//! `check::uses::Names`, its model and its sources.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::expand::mesos_dns;
use crate::check::lower::{normalize, Loader};
use crate::check::uses::{NameKind, Target};
use crate::diagnostics::Diagnostic;
use crate::ide::query::{self, Completion};
use crate::model::{App, Group};
use crate::source::{FileId, Span};
use crate::syntax::{self, SyntaxFile};
use crate::{Compilation, Inputs, Options};

/// The open files, by path, as the editor has them, and the last clean parse of each file analysed.
pub struct Analysis {
    open: HashMap<PathBuf, String>,
    parsed: HashMap<PathBuf, (String, SyntaxFile)>,
    pub options: Options,
}

impl Default for Analysis {
    fn default() -> Self {
        Analysis::new(Options::default())
    }
}

impl Analysis {
    pub fn new(options: Options) -> Analysis {
        Analysis {
            open: HashMap::new(),
            parsed: HashMap::new(),
            options: Options { names: true, threads: false, ..options },
        }
    }

    /// Opens or changes a file: its text is what the editor holds, saved or not.
    pub fn set(&mut self, path: &Path, text: String) {
        self.open.insert(normalize(path), text);
    }

    pub fn close(&mut self, path: &Path) {
        self.open.remove(&normalize(path));
        self.parsed.remove(&normalize(path));
    }

    pub fn text(&self, path: &Path) -> Option<&str> {
        self.open.get(&normalize(path)).map(String::as_str)
    }

    /// Compiles the open file at `path` with everything it imports: open files as the editor has them, the
    /// others through `disk`. After an edit inside one block of a file whose last parse was clean, only that
    /// block is parsed again (`syntax::reparse`); the lowering and every check run on the whole.
    pub fn analyse(&mut self, path: &Path, disk: &dyn Loader) -> Option<Analysed> {
        let path = normalize(path);
        let text = self.open.get(&path)?;
        let loader = Overlay { open: &self.open, disk };
        let name = path.display().to_string();
        let inputs = Inputs { loader: &loader, sets: &[], path: Some(&path) };
        let mut previous = self.parsed.remove(&path);
        let mut clean = false;
        let mut parse = |new: &str, file: FileId| {
            let reparsed = previous.take().and_then(|(old, tree)| syntax::reparse(&old, tree, new, file));
            let (tree, diagnostics) = reparsed.unwrap_or_else(|| syntax::parse_on(new, file, false));
            clean = diagnostics.is_empty();
            (tree, diagnostics)
        };
        let mut compilation =
            crate::compile_with_parse(&name, text.clone().into_bytes(), self.options, inputs, &mut parse);
        // The tree is kept for the next edit (a clean one only); the analysis does not read it.
        if clean {
            self.parsed.insert(path.clone(), (text.clone(), std::mem::take(&mut compilation.syntax)));
        }
        let main = compilation.sources.iter().find(|(_, f)| f.name == name).map(|(id, _)| id)?;
        Some(Analysed { compilation, main, options: self.options })
    }
}

/// Open files first, then the caller's loader.
struct Overlay<'a> {
    open: &'a HashMap<PathBuf, String>,
    disk: &'a dyn Loader,
}

impl Loader for Overlay<'_> {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self.open.get(&normalize(path)) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => self.disk.load(path),
        }
    }

    fn identity(&self, path: &Path) -> PathBuf {
        self.disk.identity(path)
    }
}

/// What one name in the source stands for.
#[derive(Clone, Debug, PartialEq)]
enum Symbol {
    Name(NameKind, Span),
    File(FileId),
    Path(String),
}

/// One compilation, and the answers it gives. Its `compilation.syntax` is empty when the file parsed
/// cleanly: the analysis keeps that tree for the next edit.
pub struct Analysed {
    pub compilation: Compilation,
    /// The file analysed.
    pub main: FileId,
    options: Options,
}

impl Analysed {
    /// The file of this compilation read from `path` (the main file, or one it imports).
    pub fn file(&self, path: &Path) -> Option<FileId> {
        let name = normalize(path).display().to_string();
        self.compilation.sources.iter().find(|(_, f)| f.name == name).map(|(id, _)| id)
    }

    /// Each file's diagnostics (by the file of their first label; one with none goes to the main file),
    /// for every file of the compilation but the prelude, files with none included (so that an editor
    /// clears what it showed before).
    pub fn diagnostics(&self) -> Vec<(FileId, Vec<&Diagnostic>)> {
        let mut by_file: Vec<(FileId, Vec<&Diagnostic>)> = self
            .compilation
            .sources
            .iter()
            .filter(|(_, f)| f.name != "<prelude>" && !f.name.starts_with("--set"))
            .map(|(id, _)| (id, Vec::new()))
            .collect();
        for d in &self.compilation.diagnostics {
            let file = d.labels.first().map_or(self.main, |l| l.span.file);
            let file = if by_file.iter().any(|(f, _)| *f == file) { file } else { self.main };
            if let Some((_, list)) = by_file.iter_mut().find(|(f, _)| *f == file) {
                list.push(d);
            }
        }
        by_file
    }

    fn text(&self, file: FileId) -> &str {
        &self.compilation.sources.get(file).text
    }

    /// The name at `offset` in `file`: a use, or a definition.
    fn symbol_at(&self, file: FileId, offset: usize) -> Option<(Symbol, Span)> {
        let names = &self.compilation.names;
        let within = |s: &Span| s.file == file && s.start as usize <= offset && offset <= s.end as usize;
        if let Some(u) = names.uses.iter().filter(|u| within(&u.at)).min_by_key(|u| u.at.end - u.at.start) {
            let symbol = match &u.target {
                Target::Name(kind, def) => Symbol::Name(*kind, *def),
                Target::File(f) => Symbol::File(*f),
                Target::Path(p) => Symbol::Path(p.clone()),
            };
            return Some((symbol, u.at));
        }
        if let Some((def, kind)) = names.defs.iter().find(|(s, _)| within(s)) {
            return Some((Symbol::Name(*kind, *def), *def));
        }
        // An app's own name.
        let app = self.apps().find(|a| within(&self.compilation.names.written_site(a.name.span)))?;
        let site = self.compilation.names.written_site(app.name.span);
        (app.name.span.via == 0).then(|| (Symbol::Path(app.id.clone()), site))
    }

    /// Every app of the model.
    fn apps(&self) -> impl Iterator<Item = &App> {
        let mut groups: Vec<&Group> = self.compilation.cluster.iter().map(|c| &c.root).collect();
        let mut out = Vec::new();
        while let Some(g) = groups.pop() {
            out.extend(&g.apps);
            groups.extend(&g.groups);
        }
        out.into_iter()
    }

    fn groups(&self) -> Vec<&Group> {
        let mut groups: Vec<&Group> = self.compilation.cluster.iter().map(|c| &c.root).collect();
        let mut out = Vec::new();
        while let Some(g) = groups.pop() {
            out.push(g);
            groups.extend(&g.groups);
        }
        out
    }

    /// Where the name at `offset` is defined: a `let`, `param` or template's name, an imported file's
    /// start, the app or group a path names (for an app made by a template, the statement that used it).
    pub fn definition(&self, file: FileId, offset: usize) -> Option<Span> {
        let (symbol, _) = self.symbol_at(file, offset)?;
        self.defined_at(&symbol)
    }

    fn defined_at(&self, symbol: &Symbol) -> Option<Span> {
        let names = &self.compilation.names;
        match symbol {
            Symbol::Name(_, def) => Some(*def),
            Symbol::File(f) => Some(Span::new(*f, 0, 0)),
            Symbol::Path(id) => {
                if let Some(app) = self.apps().find(|a| a.id == *id) {
                    return Some(names.written_site(app.name.span));
                }
                let group = self.groups().into_iter().find(|g| g.id == *id && g.id != "/")?;
                Some(names.written_site(group.name.span))
            }
        }
    }

    /// Every use of the name at `offset`, and its definition first when `declaration` asks for it.
    pub fn references(&self, file: FileId, offset: usize, declaration: bool) -> Vec<Span> {
        let Some((symbol, _)) = self.symbol_at(file, offset) else { return Vec::new() };
        let mut out = Vec::new();
        if declaration {
            out.extend(self.defined_at(&symbol));
        }
        for u in &self.compilation.names.uses {
            let same = match (&u.target, &symbol) {
                (Target::Name(_, a), Symbol::Name(_, b)) => a == b,
                (Target::File(a), Symbol::File(b)) => a == b,
                (Target::Path(a), Symbol::Path(b)) => a == b,
                _ => false,
            };
            if same && !out.contains(&u.at) {
                out.push(u.at);
            }
        }
        out
    }

    /// The edits that rename the `let`, `param`, template parameter or template at `offset` to `new`, in
    /// every file of the compilation; refused (with the reason) for anything else, a name that is not a
    /// pkw name, one already taken, or a name the built-in prelude defines.
    pub fn rename(&self, file: FileId, offset: usize, new: &str) -> Result<Vec<(Span, String)>, String> {
        let Some((symbol, _)) = self.symbol_at(file, offset) else {
            return Err("there is no let, param or template to rename here".into());
        };
        let Symbol::Name(kind, def) = symbol else {
            return Err(
                "only lets, params and templates can be renamed: an app's or a file's name is its id or path".into()
            );
        };
        let old = self.slice(def).to_string();
        if !is_name(new) {
            return Err(format!("`{new}` is not a name: start with a letter, then letters, digits, `-` or `_`"));
        }
        if self.compilation.sources.get(def.file).name == "<prelude>" {
            return Err(format!("`{old}` is defined by the built-in prelude, which cannot be edited"));
        }
        let taken = self.compilation.names.defs.iter().any(|(s, k)| {
            let same_space = (*k == NameKind::Template) == (kind == NameKind::Template);
            same_space && self.slice(*s) == new
        });
        if taken || (kind == NameKind::Template && crate::schema::directive(new).is_some()) {
            return Err(format!("`{new}` already names a {} or directive here", kind.describe()));
        }
        let mut edits = Vec::new();
        for span in std::iter::once(def).chain(self.references(def.file, def.start as usize, false)) {
            // `$old`, `${old}`, `old`: only the name itself changes.
            let text = self.slice(span);
            let Some(at) = text.rfind(old.as_str()) else { continue };
            let start = span.start + at as u32;
            let edit = Span { start, end: start + old.len() as u32, ..span };
            if !edits.iter().any(|(s, _)| *s == edit) {
                edits.push((edit, new.to_string()));
            }
        }
        Ok(edits)
    }

    fn slice(&self, span: Span) -> &str {
        self.text(span.file).get(span.start as usize..span.end as usize).unwrap_or("")
    }

    /// Hover text (Markdown) at `offset`: on an app, its id, Mesos-DNS name and the Marathon JSON it
    /// compiles to (every app a template use made, on the use); on a `dns()`/`srv()` call, the name it
    /// resolves to; on a let, param or template, where it is defined; else the documentation and units of
    /// `ide::query::hover`.
    pub fn hover(&self, file: FileId, offset: usize) -> Option<(String, Span)> {
        let text = self.text(file);
        if let Some((symbol, at)) = self.symbol_at(file, offset) {
            match &symbol {
                Symbol::Path(id) => {
                    let call = self.slice(at);
                    if call.starts_with("dns(") || call.starts_with("srv(") {
                        let srv = call.starts_with("srv(");
                        let name = mesos_dns(id, srv, self.compilation.names.dotted);
                        return Some((format!("`{call}` → `{name}`\n\n(the app `{id}`)"), at));
                    }
                    if let Some(app) = self.apps().find(|a| a.id == *id) {
                        return Some((self.app_hover(&[app]), at));
                    }
                    return Some((format!("`{id}`"), at));
                }
                Symbol::Name(NameKind::Template, def) => {
                    let made: Vec<&App> = self.apps().filter(|a| self.made_at(a, at)).collect();
                    let mut out = format!("template `{}` (defined {})", self.slice(*def), self.place(*def));
                    if !made.is_empty() {
                        out.push_str("\n\n");
                        out.push_str(&self.app_hover(&made));
                    }
                    return Some((out, at));
                }
                Symbol::Name(kind, def) => {
                    return Some((
                        format!("{} `{}` (defined {})", kind.describe(), self.slice(*def), self.place(*def)),
                        at,
                    ));
                }
                Symbol::File(f) => {
                    return Some((format!("imports `{}`", self.compilation.sources.get(*f).name), at));
                }
            }
        }
        let (doc, (start, end)) = query::hover(text, offset)?;
        Some((doc, Span::new(file, start, end)))
    }

    /// Whether `app` was made by the template use whose name is at `use_at`.
    fn made_at(&self, app: &App, use_at: Span) -> bool {
        app.name.span.via != 0 && {
            let site = self.compilation.names.written_site(app.name.span);
            site.file == use_at.file && site.start <= use_at.start && use_at.end <= site.end
        }
    }

    fn place(&self, span: Span) -> String {
        let f = self.compilation.sources.get(span.file);
        let (line, _) = f.line_col(span.start);
        format!("at {}:{line}", f.name)
    }

    fn app_hover(&self, apps: &[&App]) -> String {
        const SHOWN: usize = 3;
        let mut out = String::new();
        for app in apps.iter().take(SHOWN) {
            let dns = mesos_dns(&app.id, false, self.compilation.names.dotted);
            let json = app_json(app, self.options);
            out.push_str(&format!("app `{}`: Mesos-DNS `{dns}`\n\n```json\n{json}\n```\n", app.id));
        }
        if apps.len() > SHOWN {
            out.push_str(&format!("\nand {} more apps\n", apps.len() - SHOWN));
        }
        out
    }

    /// What may be written at `offset`: `ide::query::completions` (directives, options, words), and the
    /// names this compilation knows: templates at the start of a statement, a template's parameters on
    /// its use line, `$` references after a `$`, app and group paths inside a string.
    pub fn completions(&self, file: FileId, offset: usize) -> Vec<Completion> {
        let text = self.text(file);
        let before = &text[..offset.min(text.len())];
        let line = before.rsplit('\n').next().unwrap_or("");
        let names = &self.compilation.names;
        let def_name = |s: &Span| self.slice(*s).to_string();
        // After `$` (or `${`): the lets and params.
        if let Some(typed) = line.rsplit(['$']).next().filter(|_| line.contains('$')) {
            let typed = typed.trim_start_matches('{');
            if typed.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                let mut out: Vec<Completion> = names
                    .defs
                    .iter()
                    .filter(|(_, k)| *k != NameKind::Template)
                    .map(|(s, k)| Completion { label: def_name(s), detail: k.describe().to_string() })
                    .collect();
                dedup(&mut out);
                return out;
            }
        }
        // Inside a string of `dns(`, `srv(`, `depends-on` or `external`: the paths of apps and groups.
        if line.matches('"').count() % 2 == 1 {
            let head = line.trim_start();
            if head.starts_with("depends-on")
                || head.starts_with("external")
                || line.contains("dns(")
                || line.contains("srv(")
            {
                let mut out: Vec<Completion> =
                    self.apps().map(|a| Completion { label: a.id.clone(), detail: "app".into() }).collect();
                out.extend(
                    self.groups()
                        .into_iter()
                        .filter(|g| g.id != "/")
                        .map(|g| Completion { label: g.id.clone(), detail: "group".into() }),
                );
                out.sort_by(|a, b| a.label.cmp(&b.label));
                dedup(&mut out);
                return out;
            }
        }
        let mut out = query::completions(text, offset);
        let words: Vec<&str> = line.split_whitespace().collect();
        let typing = !before.ends_with(|c: char| c.is_whitespace());
        let done = if typing { words.len().saturating_sub(1) } else { words.len() };
        let templates = names.defs.iter().filter(|(_, k)| *k == NameKind::Template);
        if done == 0 {
            out.extend(templates.map(|(s, _)| Completion { label: def_name(s), detail: "template".into() }));
            // In the block of `app NAME from T`: T's parameters, which statements there set.
            if let Some(["app", _, "from", t, ..]) = enclosing_statement(text, offset).as_deref() {
                out.extend(self.template_params(t, &[]));
            }
        } else if let ["app" | "template", _, "from"] = &words[..done] {
            // After `from`: the templates an app can be made from (a template's parent may be either kind).
            let app = words[0] == "app";
            out = templates
                .filter(|(s, _)| !app || !names.group_templates.contains(s))
                .map(|(s, _)| Completion { label: def_name(s), detail: "template".into() })
                .collect();
        } else if let ["app", _, "from", t, given @ ..] = &words[..done] {
            out.extend(self.template_params(t, given));
        } else {
            out.extend(self.template_params(words[0], &words[1..done]));
        }
        dedup(&mut out);
        out
    }

    /// The parameters of the template named `name` (those declared in its own block), but `given`.
    fn template_params(&self, name: &str, given: &[&str]) -> Vec<Completion> {
        let names = &self.compilation.names;
        let Some((t, _)) = names.defs.iter().find(|(s, k)| *k == NameKind::Template && self.slice(*s) == name) else {
            return Vec::new();
        };
        let block = self.template_block(*t);
        names
            .defs
            .iter()
            .filter(|(s, k)| *k == NameKind::TemplateParam && block.is_some_and(|b| b.0 <= s.start && s.end <= b.1))
            .filter(|(s, _)| s.file == t.file && !given.contains(&self.slice(*s)))
            .map(|(s, _)| Completion { label: self.slice(*s).to_string(), detail: format!("parameter of `{name}`") })
            .collect()
    }

    /// The byte range of the block of the template whose name is at `name`.
    fn template_block(&self, name: Span) -> Option<(u32, u32)> {
        let text = self.text(name.file);
        let rest = &text[name.end as usize..];
        let open = rest.find('{')?;
        let mut depth = 0usize;
        for t in crate::syntax::tokens::tokenize(&rest[open..]) {
            match t.kind {
                crate::syntax::tokens::TokenKind::OpenBrace => depth += 1,
                crate::syntax::tokens::TokenKind::CloseBrace => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some((name.end, name.end + (open + t.end) as u32));
                    }
                }
                _ => {}
            }
        }
        Some((name.end, text.len() as u32))
    }
}

/// The words of the statement whose block holds `offset` (`["app", "web", "from", "svc"]`).
fn enclosing_statement(text: &str, offset: usize) -> Option<Vec<&str>> {
    use crate::syntax::tokens::{tokenize, TokenKind};
    let mut open: Vec<Vec<&str>> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for t in tokenize(text).into_iter().take_while(|t| t.start < offset) {
        match t.kind {
            TokenKind::OpenBrace => open.push(std::mem::take(&mut words)),
            TokenKind::CloseBrace => {
                open.pop();
                words.clear();
            }
            TokenKind::Newline | TokenKind::Semicolon => words.clear(),
            TokenKind::Text => words.push(t.text(text)),
            _ => {}
        }
    }
    open.pop()
}

fn dedup(out: &mut Vec<Completion>) {
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| seen.insert(c.label.clone()));
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The Marathon JSON of one app, as the build writes it.
fn app_json(app: &App, options: Options) -> String {
    crate::marathon::emit::app_json(app, options.marathon)
}
