//! pkwc: the pkw compiler. The front door is `compile`: source text in, a checked cluster and every
//! diagnostic out; `emit::marathon::to_json` turns the cluster into Marathon group JSON.
//!
//! Pipeline (one way): bytes → `source` (UTF-8, NUL) → `syntax` (pest → tree) → `check` (schema table →
//! model, then cluster-wide checks) → `emit`.

pub mod check;
pub mod diagnostics;
pub mod emit;
pub mod model;
pub mod schema;
pub mod source;
pub mod syntax;
pub mod units;
pub mod version;

use diagnostics::{messages, Diagnostic, Severity};
use source::{FileId, SourceFile, Sources, Span};
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
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// The Marathon JSON, if the compilation has no errors.
    pub fn json(&self, options: Options) -> Option<Vec<u8>> {
        if self.has_errors() {
            return None;
        }
        self.cluster.as_ref().map(|c| emit::marathon::to_json(c, options.marathon))
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

/// Compiles one file given as bytes; `name` is how diagnostics name it.
pub fn compile(name: &str, bytes: Vec<u8>, options: Options) -> Compilation {
    let mut sources = Sources::default();
    let text = match decode(name, bytes) {
        Ok(text) => text,
        Err(d) => return Compilation { sources, diagnostics: vec![d], cluster: None },
    };
    let file = sources.add(SourceFile::new(name, text));
    compile_file(sources, file, options)
}

fn compile_file(sources: Sources, file: FileId, options: Options) -> Compilation {
    let text = sources.get(file).text.clone();
    let (tree, mut diagnostics) = syntax::parse(&text, file);
    let mut lowerer = check::lower::Lowerer::new(options.marathon);
    let cluster = if diagnostics.iter().any(Diagnostic::is_error) && tree.items.is_empty() {
        None
    } else {
        lowerer.file(&tree, Span::new(file, 0, text.len()))
    };
    diagnostics.append(&mut lowerer.diags);
    if let Some(cluster) = &cluster {
        diagnostics.extend(check::cluster::check(cluster, options.marathon));
    }
    diagnostics::sort(&mut diagnostics);
    Compilation { sources, diagnostics, cluster }
}
