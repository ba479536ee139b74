//! Diagnostics: the typed data every phase reports, and its two renderings (human through miette,
//! machine as JSON lines). Wording lives in `messages.rs`; codes and their explanations in `codes.rs`.
//! Invariant: a diagnostic always has a code and at least one primary label, except input errors that
//! have no text to point at.

mod codes;
pub mod messages;
mod render;
pub mod suppress;
pub mod wording;

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
    /// How many apps one template line raised this for (`fold`); 1 for a diagnostic of its own.
    pub uses: usize,
    /// Concrete changes that fix it, when the help is one (an editor offers them as quick fixes).
    pub fixes: Vec<Fix>,
}

/// A change that fixes what a diagnostic reports: the help, as an edit.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// What the change does, in the user's words: "write `cpus`".
    pub title: String,
    pub edit: Edit,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Replace the text of the span.
    Replace(Span, String),
    /// Add a statement after the statement holding the span: on a line of its own at its indentation, or
    /// after a `;` when the statement shares its line (`ide::fixes` works out where, from the tokens).
    StatementAfter(Span, String),
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            help: None,
            uses: 1,
            fixes: Vec::new(),
        }
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

    /// Offers replacing the text of `span` with `text` as a fix.
    pub fn replace_with(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        let text = text.into();
        self.fixes.push(Fix { title: format!("write `{text}`"), edit: Edit::Replace(span, text) });
        self
    }

    /// Offers adding `statement` after the statement holding `span` as a fix.
    pub fn add_statement(mut self, span: Span, statement: impl Into<String>) -> Diagnostic {
        let statement = statement.into();
        self.fixes.push(Fix { title: format!("add `{statement}`"), edit: Edit::StatementAfter(span, statement) });
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

/// What a human report prints: `printed`, and then at most `limits::MAX_SAME_SHOWN` warnings or notes
/// of one code, each folded one drawing only its first use sites; one line per code says how many more
/// there are. Errors are all printed: each one needs fixing. (Machine output lists everything.)
pub fn printed_human(all: &[Diagnostic]) -> Vec<Diagnostic> {
    let (shown, capped) = printed(all);
    let mut per_code: rustc_hash::FxHashMap<Code, usize> = Default::default();
    let mut hidden: Vec<(Code, Severity, usize)> = Vec::new();
    let mut out = Vec::with_capacity(shown.len());
    for d in shown {
        if d.severity != Severity::Error {
            let n = per_code.entry(d.code).or_insert(0);
            *n += 1;
            if *n > crate::limits::MAX_SAME_SHOWN {
                match hidden.iter_mut().find(|(c, s, _)| *c == d.code && *s == d.severity) {
                    Some(h) => h.2 += 1,
                    None => hidden.push((d.code, d.severity, 1)),
                }
                continue;
            }
        }
        let mut d = d.clone();
        if d.uses > 1 {
            // Each use site brings a label or two: the primary and the first few apps' say enough.
            let keep = 1 + 2 * crate::limits::MAX_SAME_SHOWN;
            let primary = d.labels.iter().position(|l| l.primary).unwrap_or(0);
            let mut kept: Vec<Label> = Vec::with_capacity(keep);
            for (i, l) in d.labels.drain(..).enumerate() {
                if i == primary || kept.len() < keep {
                    kept.push(l);
                }
            }
            d.labels = kept;
        }
        out.push(d);
    }
    for (code, severity, n) in hidden {
        out.push(messages::same_code_hidden(code, severity, n));
    }
    out.extend(capped);
    out
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
        d.uses = n;
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
