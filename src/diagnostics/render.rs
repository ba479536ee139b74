//! Rendering diagnostics: human-readable through miette's graphical handler, machine-readable as one JSON
//! object per line (the format is documented in README.md and is stable).

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};
use serde::Serialize;

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceFile, Sources};

/// A source file as miette reads it, using the file's line index: miette's own `read_span` scans the text
/// from the start for every label, which is quadratic on large files with many diagnostics.
struct IndexedSource<'a>(&'a SourceFile);

impl SourceCode for IndexedSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let file = self.0;
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > file.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // A window of whole lines around the span, wide enough for the context miette asks for.
        let first = file.line_index(start as u32).saturating_sub(before);
        let last = file.line_index(end.saturating_sub(1).max(start) as u32) + after + 1;
        let (from, to) = (file.line_start(first), file.line_start(last + 1));
        let window = &file.text.as_bytes()[from..to];
        let local = SourceSpan::new((start - from).into(), span.len());
        let inner = window.read_span(&local, before, after)?;
        let data = inner.data();
        let data_from = data.as_ptr() as usize - window.as_ptr() as usize + from;
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            data,
            SourceSpan::new(data_from.into(), data.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { color: false, width: 100 }
    }
}

/// A diagnostic's labels that fall in one file, as miette sees them.
struct FileReport<'a> {
    diagnostic: &'a Diagnostic,
    /// Set for the part of a diagnostic that points into another file than its primary label.
    secondary_file: Option<String>,
    source: Option<IndexedSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<FileReport<'a>>,
}

impl fmt::Debug for FileReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileReport").field("code", &self.diagnostic.code).finish()
    }
}

impl fmt::Display for FileReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.secondary_file {
            Some(name) => write!(f, "related: in {name}"),
            None => f.write_str(&self.diagnostic.message),
        }
    }
}

impl std::error::Error for FileReport<'_> {}

impl miette::Diagnostic for FileReport<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        match self.secondary_file {
            Some(_) => None,
            None => Some(Box::new(self.diagnostic.code.as_str())),
        }
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match (self.secondary_file.is_some(), self.diagnostic.severity) {
            (true, _) | (false, Severity::Note) => miette::Severity::Advice,
            (false, Severity::Error) => miette::Severity::Error,
            (false, Severity::Warning) => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        match (&self.secondary_file, &self.diagnostic.help) {
            (None, Some(help)) => Some(Box::new(help)),
            _ => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
        }
    }
}

fn file_report<'a>(d: &'a Diagnostic, sources: &'a Sources) -> FileReport<'a> {
    let main_file = d.labels.iter().find(|l| l.primary).or(d.labels.first()).map(|l| l.span.file);
    let mut files: Vec<FileId> = Vec::new();
    for label in &d.labels {
        if Some(label.span.file) != main_file && !files.contains(&label.span.file) {
            files.push(label.span.file);
        }
    }
    let part = |file: Option<FileId>, secondary: bool| {
        let source = file.map(|f| IndexedSource(sources.get(f)));
        let labels = d
            .labels
            .iter()
            .filter(|l| Some(l.span.file) == file)
            .map(|l| {
                let text = (!l.message.is_empty()).then(|| l.message.clone());
                let span = (l.span.start as usize, (l.span.end - l.span.start) as usize);
                if l.primary {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            })
            .collect();
        FileReport {
            diagnostic: d,
            secondary_file: secondary.then(|| file.map(|f| sources.get(f).name.clone()).unwrap_or_default()),
            source,
            labels,
            related: Vec::new(),
        }
    };
    let mut report = part(main_file, false);
    report.related = files.into_iter().map(|f| part(Some(f), true)).collect();
    report
}

/// Renders diagnostics for a terminal or a snapshot: colours only when asked, fixed width.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, options: RenderOptions) -> String {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // ASCII word separation: the default Unicode line breaking costs more than the rest of rendering.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace);
    let mut out = String::new();
    for d in diagnostics {
        let report = file_report(d, sources);
        if handler.render_report(&mut out, &report).is_err() {
            // Rendering into a String only fails on a formatter error; fall back to the bare message.
            out.push_str(&format!("{}: {}\n", d.severity.as_str(), d.message));
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    primary: bool,
    file: &'a str,
    start: u32,
    end: u32,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

/// One JSON object per diagnostic, one per line. `default_file` names the file of label-less diagnostics.
pub fn render_json(diagnostics: &[Diagnostic], sources: &Sources, default_file: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let file = d
            .labels
            .iter()
            .find(|l| l.primary)
            .or(d.labels.first())
            .map_or(default_file, |l| sources.get(l.span.file).name.as_str());
        let labels = d
            .labels
            .iter()
            .map(|l| {
                let sf = sources.get(l.span.file);
                let (line, column) = sf.line_col(l.span.start);
                let (end_line, end_column) = sf.line_col(l.span.end);
                JsonLabel {
                    message: &l.message,
                    primary: l.primary,
                    file: &sf.name,
                    start: l.span.start,
                    end: l.span.end,
                    line,
                    column,
                    end_line,
                    end_column,
                }
            })
            .collect();
        let json = JsonDiagnostic {
            file,
            severity: d.severity.as_str(),
            code: d.code.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            labels,
        };
        // Serializing plain strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(&json).unwrap_or_default());
        out.push('\n');
    }
    out
}
