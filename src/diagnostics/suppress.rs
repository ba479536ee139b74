//! Control over warnings: the levels set on the command line (`--allow`, `--warn`, `--deny CODE|TOPIC`,
//! `--deny warnings`) and the `#[allow(…)]` comments of the files (`syntax::allow_comments`). Errors can
//! be neither allowed nor turned into warnings: they are what Marathon would reject.
//!
//! Invariant: a comment suppresses a diagnostic when one of the diagnostic's labels lies in what the
//! comment covers (so one on a template line covers every app made from it, and one on a use site covers
//! what that use raises), and every comment that suppresses nothing is reported.

use super::{messages, Code, Diagnostic, Severity};
use crate::source::{Span, Spanned};

/// One `#[allow(…)]` comment, as `syntax::allow_comments` finds it.
#[derive(Clone, Debug, PartialEq)]
pub struct AllowComment {
    /// The comment itself.
    pub span: Span,
    /// The codes or topics it names, as written, with their spans.
    pub selectors: Vec<Spanned<String>>,
    /// What it covers; `None` when there is no statement for it to cover.
    pub covers: Option<Span>,
    /// Inside a `template` or an `if`: whether its warnings arise depends on the use or the flag, so it
    /// is not reported when it silences nothing.
    pub conditional: bool,
}

/// What the command line asks of one code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The code's own severity.
    #[default]
    Default,
    Allow,
    Warn,
    Deny,
}

/// The level of every code, and `--deny warnings` for the codes with none of their own.
#[derive(Clone, Copy, Debug)]
pub struct Levels {
    table: [Level; Code::COUNT],
    pub deny_warnings: bool,
}

impl Default for Levels {
    fn default() -> Self {
        Levels { table: [Level::Default; Code::COUNT], deny_warnings: false }
    }
}

impl Levels {
    /// Sets `code` to `level`; given twice, the stricter wins (`--deny` over `--warn` over `--allow`).
    /// `Err` when an error would be allowed or made a warning.
    pub fn set(&mut self, code: Code, level: Level) -> Result<(), Code> {
        if code.severity() == Severity::Error && matches!(level, Level::Allow | Level::Warn) {
            return Err(code);
        }
        let slot = &mut self.table[code.index()];
        *slot = (*slot).max(level);
        Ok(())
    }

    pub fn of(&self, code: Code) -> Level {
        self.table[code.index()]
    }
}

/// Applies `comments` and `levels` to `diagnostics`: drops what they silence, sets severities, and adds
/// the diagnostics about the comments themselves (unknown codes, errors named, comments that silence
/// nothing).
pub fn apply(diagnostics: &mut Vec<Diagnostic>, comments: &[AllowComment], levels: &Levels) {
    // What each comment names, once checked; and whether it silenced anything.
    let mut named: Vec<Vec<Code>> = Vec::with_capacity(comments.len());
    let mut about_comments = Vec::new();
    for c in comments {
        let mut codes = Vec::new();
        for s in &c.selectors {
            let selected = Code::select(&s.value);
            match selected.as_slice() {
                [] => about_comments.push(messages::allow_unknown(s.span, &s.value, suggestion(&s.value))),
                [one] if one.severity() == Severity::Error => {
                    about_comments.push(messages::allow_error(s.span, one.as_str()))
                }
                // A topic covers its warnings and notes; one that holds only errors allows nothing.
                _ if selected.iter().all(|c| c.severity() == Severity::Error) => {
                    about_comments.push(messages::allow_error(s.span, &s.value))
                }
                _ => codes.extend(selected.into_iter().filter(|c| c.severity() != Severity::Error)),
            }
        }
        named.push(codes);
    }
    let mut used = vec![false; comments.len()];
    if !comments.is_empty() {
        diagnostics.retain(|d| {
            if d.code.severity() == Severity::Error {
                return true;
            }
            let mut silenced = false;
            for (i, c) in comments.iter().enumerate() {
                let Some(covers) = c.covers else { continue };
                let inside = d
                    .labels
                    .iter()
                    .any(|l| l.span.file == covers.file && l.span.start >= covers.start && l.span.end <= covers.end);
                if inside && named[i].contains(&d.code) {
                    used[i] = true;
                    silenced = true;
                }
            }
            !silenced
        });
    }
    for (i, c) in comments.iter().enumerate() {
        if !used[i] && !named[i].is_empty() && !c.conditional {
            about_comments.push(messages::allow_unused(c.span, c.covers.is_some()));
        }
    }
    diagnostics.append(&mut about_comments);
    diagnostics.retain_mut(|d| {
        if d.code.severity() == Severity::Error {
            return true;
        }
        match levels.of(d.code) {
            Level::Allow => return false,
            Level::Warn => d.severity = Severity::Warning,
            Level::Deny => d.severity = Severity::Error,
            Level::Default if levels.deny_warnings && d.severity == Severity::Warning => d.severity = Severity::Error,
            Level::Default => {}
        }
        true
    });
}

/// The code or topic a misspelt selector probably meant.
fn suggestion(selector: &str) -> Option<&'static str> {
    let bare = selector.trim_start_matches("pkw::");
    let names = Code::ALL.iter().flat_map(|c| [&c.as_str()[5..], c.topic()]);
    crate::schema::closest(bare, names)
}
