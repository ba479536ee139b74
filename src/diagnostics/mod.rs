//! Diagnostics: the typed data every phase reports, and its two renderings (human through miette,
//! machine as JSON lines). Wording lives in `messages.rs`; codes and their explanations in `codes.rs`.
//! Invariant: a diagnostic always has a code and at least one primary label, except input errors that
//! have no text to point at.

mod codes;
pub mod messages;
mod render;
pub mod suppress;

pub use codes::Code;
pub use render::{render_human, render_json, RenderOptions};

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One span a diagnostic points at. The primary label says where the problem is; secondary ones show
/// the other places involved (the other app of a conflict, the template a value came from).
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    pub primary: bool,
}

impl Label {
    pub fn primary(span: Span, message: impl Into<String>) -> Label {
        Label { span, message: message.into(), primary: true }
    }
    pub fn secondary(span: Span, message: impl Into<String>) -> Label {
        Label { span, message: message.into(), primary: false }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic { code, severity: code.severity(), message: message.into(), labels: Vec::new(), help: None }
    }

    pub fn primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label::primary(span, message));
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label::secondary(span, message));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the diagnostic sorts: its primary label, or the start of the file.
    pub fn position(&self) -> (u32, u32) {
        self.labels.iter().find(|l| l.primary).or(self.labels.first()).map_or((0, 0), |l| (l.span.file.0, l.span.start))
    }
}

/// The diagnostics one run prints (at most `limits::MAX_PRINTED`), and the summary of the rest.
pub fn printed(all: &[Diagnostic]) -> (&[Diagnostic], Option<Diagnostic>) {
    let shown = crate::limits::MAX_PRINTED;
    if all.len() <= shown {
        return (all, None);
    }
    let rest = &all[shown..];
    let count = |s: Severity| rest.iter().filter(|d| d.severity == s).count();
    let summary =
        messages::diagnostics_capped(shown, count(Severity::Error), count(Severity::Warning), count(Severity::Note));
    (&all[..shown], Some(summary))
}

/// Folds the diagnostics that one template line raises for many apps into one: the same code, severity,
/// message, help and primary label (the template line), with every app's labels. The human rendering
/// draws the first few and counts the rest; the JSON rendering lists every one. Order is kept.
pub fn fold(diagnostics: &mut Vec<Diagnostic>) {
    type Key = (Code, Severity, String, Option<String>, crate::source::Span, String);
    let key = |d: &Diagnostic| -> Option<Key> {
        let p = d.labels.iter().find(|l| l.primary)?;
        Some((d.code, d.severity, d.message.clone(), d.help.clone(), p.span, p.message.clone()))
    };
    let mut first: rustc_hash::FxHashMap<Key, usize> = Default::default();
    // The labels of each diagnostic that others were folded into, to add each one once.
    let mut seen: rustc_hash::FxHashMap<usize, rustc_hash::FxHashSet<(crate::source::Span, String)>> =
        Default::default();
    let mut uses: rustc_hash::FxHashMap<usize, usize> = Default::default();
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics.drain(..) {
        let Some(k) = key(&d) else {
            out.push(d);
            continue;
        };
        let Some(&i) = first.get(&k) else {
            first.insert(k, out.len());
            out.push(d);
            continue;
        };
        *uses.entry(i).or_insert(1) += 1;
        let labels =
            seen.entry(i).or_insert_with(|| out[i].labels.iter().map(|l| (l.span, l.message.clone())).collect());
        for l in d.labels {
            if labels.insert((l.span, l.message.clone())) {
                out[i].labels.push(l);
            }
        }
    }
    for (i, n) in uses {
        let d = &mut out[i];
        d.help = Some(messages::folded(d.help.take(), n));
    }
    *diagnostics = out;
}

/// `2 errors, 3 warnings` for a run's diagnostics (every one, printed or not); empty when there are none.
pub fn summary(all: &[Diagnostic]) -> String {
    let count = |s: Severity| all.iter().filter(|d| d.severity == s && d.code != Code::DiagnosticsCapped).count();
    messages::summary_line(count(Severity::Error), count(Severity::Warning), count(Severity::Note))
}

/// Sort diagnostics by position (file, then offset), keeping the order of equal ones.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.position());
}
