//! pkwc: the pkw compiler. The front door is `compile`: source text in, a checked cluster and every
//! diagnostic out; `emit::marathon::to_json` turns the cluster into Marathon group JSON.
//!
//! Pipeline (one way): bytes → `source` (UTF-8, NUL) → `syntax` (pest → tree) → `check` (schema table →
//! model, then cluster-wide checks) → `emit`.

extern crate alloc;

pub mod check;
pub mod diagnostics;
pub mod emit;
pub mod model;
pub mod schema;
pub mod source;
pub mod syntax;
pub mod units;
pub mod version;

pub use check::lower::Loader;
use check::lower::{Lowerer, SetParam};
use diagnostics::{messages, Diagnostic, Severity};
use source::{SourceFile, Sources, Span, Spanned};
use version::Version;

#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The Marathon version whose field dialect and features to target.
    pub marathon: Version,
}

impl Default for Options {
    fn default() -> Self {
        Options { marathon: Version::NEWEST }
    }
}

/// Everything one compilation produced.
#[derive(Debug)]
pub struct Compilation {
    pub sources: Sources,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Present when no error was found.
    pub cluster: Option<model::Cluster>,
    /// The main file's syntax tree (comments and spans included), for tools that work on the source.
    pub syntax: syntax::SyntaxFile,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// The Marathon JSON, if the compilation has no errors.
    pub fn json(&self, options: Options) -> Option<Vec<u8>> {
        self.buildable().map(|c| emit::marathon::to_json(c, options.marathon))
    }

    /// The cluster to write out, if the compilation has no errors.
    pub fn buildable(&self) -> Option<&model::Cluster> {
        if self.has_errors() {
            return None;
        }
        self.cluster.as_ref()
    }
}

/// Decodes a file's bytes as pkw text: UTF-8 without NUL bytes.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let line_of = |offset: usize| bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
    if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        return Err(messages::nul_byte(name, nul, line_of(nul)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
            Err(messages::invalid_utf8(name, offset, line))
        }
    }
}

/// The built-in prelude: templates every file can use (`pkwc prelude` prints it).
pub const PRELUDE: &str = include_str!("prelude.pkw");

/// What a compilation reads besides the main file.
pub struct Inputs<'a> {
    /// Reads imported files.
    pub loader: &'a dyn Loader,
    /// `--set NAME=VALUE` flags, as written (each becomes a small source file of its own).
    pub sets: &'a [String],
}

/// Compiles one file given as bytes; `name` is how diagnostics name it, and imports are resolved
/// relative to it.
pub fn compile(name: &str, bytes: Vec<u8>, options: Options, inputs: Inputs) -> Compilation {
    compile_and_write::<Vec<u8>>(name, bytes, options, inputs, None).0
}

/// Compiles like `compile`, and meanwhile writes the JSON to `out` on a second thread, beside the
/// cluster-wide checks. `out` comes back written only if the compilation has no error; otherwise it is
/// dropped (the caller must not publish what it holds).
pub fn compile_and_write<W: std::io::Write + Send>(
    name: &str,
    bytes: Vec<u8>,
    options: Options,
    inputs: Inputs,
    out: Option<W>,
) -> (Compilation, Option<std::io::Result<W>>) {
    let mut sources = Sources::default();
    let text = match decode(name, bytes) {
        Ok(text) => text,
        Err(d) => {
            return (Compilation { sources, diagnostics: vec![d], cluster: None, syntax: Default::default() }, None)
        }
    };
    let prelude = sources.add(SourceFile::new("<prelude>", PRELUDE));
    let file = sources.add(SourceFile::new(name, text));
    let mut diagnostics = Vec::new();
    let mut sets = Vec::new();
    for flag in inputs.sets {
        match parse_set(flag, &mut sources) {
            Ok(set) => sets.push(set),
            Err(d) => diagnostics.push(d),
        }
    }
    let text = sources.get(file).text.clone();
    let (tree, syntax_diags) = syntax::parse(&text, file);
    diagnostics.extend(syntax_diags);
    let (prelude_tree, prelude_diags) = syntax::parse(PRELUDE, prelude);
    debug_assert!(prelude_diags.is_empty(), "the prelude parses: {prelude_diags:?}");
    let mut lowerer = Lowerer::new(options.marathon, &mut sources, inputs.loader, sets);
    lowerer.after_syntax_errors = diagnostics.iter().any(Diagnostic::is_error);
    let mut cluster = if diagnostics.iter().any(Diagnostic::is_error) && tree.items.is_empty() {
        None
    } else {
        lowerer.file(Some((&prelude_tree, prelude)), &tree, Span::new(file, 0, text.len()))
    };
    let (dotted, pending, expansions) =
        (lowerer.dotted_dns, std::mem::take(&mut lowerer.pending), std::mem::take(&mut lowerer.expansions));
    diagnostics.append(&mut lowerer.diags);
    let mut written = None;
    if let Some(cluster) = &mut cluster {
        check::expand::resolve_names(cluster, &pending, dotted, &mut diagnostics);
        let cluster = &*cluster;
        let write = out.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
        let (checked, w) = std::thread::scope(|scope| {
            let writer = write.map(|mut w| {
                scope.spawn(move || emit::marathon::write_json(cluster, options.marathon, &mut w).map(|_| w))
            });
            let checked = check::cluster::check(cluster, options.marathon);
            (checked, writer.and_then(|h| h.join().ok()))
        });
        diagnostics.extend(checked);
        written = w.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    }
    check::expand::relabel(&mut diagnostics, &expansions);
    diagnostics::sort(&mut diagnostics);
    // A template line reports the same problem for every use; say it once.
    diagnostics.dedup();
    (Compilation { sources, diagnostics, cluster, syntax: tree }, written)
}

/// `NAME=VALUE` from `--set`, as its own source file so that diagnostics can point into the flag. A bare
/// `NAME` sets a flag; a value that is not a pkw value is taken as a string (`--set image=cassandra:4.1`).
fn parse_set(flag: &str, sources: &mut Sources) -> Result<SetParam, Diagnostic> {
    let text = format!("--set {flag}");
    let file = sources.add(SourceFile::new("<command line>", text.clone()));
    let eq = text.find('=').unwrap_or(text.len());
    let name = text[6..eq].trim();
    if name.is_empty() {
        return Err(messages::set_value_invalid(Span::new(file, 6, eq), "the name before `=` is empty"));
    }
    let name = Spanned::new(name.to_string(), Span::new(file, 6, eq));
    let whole = Span::new(file, (eq + 1).min(text.len()), text.len());
    let value = if eq == text.len() {
        syntax::Arg { value: syntax::Value::Word("true".into()), span: name.span }
    } else {
        syntax::parse_value(&text, eq + 1, file).unwrap_or_else(|_| syntax::Arg {
            value: syntax::Value::Str(vec![syntax::StrPart::Text(text[eq + 1..].to_string())]),
            span: whole,
        })
    };
    Ok(SetParam { name, value })
}
