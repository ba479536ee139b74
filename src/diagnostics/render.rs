//! Rendering diagnostics: human-readable through miette's graphical handler, machine-readable as one JSON
//! object per line (the format is documented in README.md and is stable).

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};
use serde::Serialize;

use super::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceFile, Sources};

/// What the human rendering shows of one file for one diagnostic: the lines its labels are on, with a line
/// of context, and long lines cut to a window around their labels ("…" marks a cut). miette reads it
/// through `read_span`, with the labels' spans moved into it; the line numbers and columns it reports are
/// the file's. Building it costs what it shows, whatever the size of the file or the distance between
/// labels, so rendering stays linear (a label at column 100,000 or two labels 50,000 lines apart print a
/// few short lines).
struct Excerpt {
    name: String,
    text: String,
    lines: Vec<ExcerptLine>,
}

#[derive(Clone, Copy)]
struct ExcerptLine {
    /// Where the line's text lies in the excerpt (its newline excluded).
    start: usize,
    end: usize,
    /// 0-based line in the file, and the file offset the shown text starts at.
    line: usize,
    from: usize,
    /// Bytes of the leading "…" when the line's start is cut, and the column (in chars) of `from`.
    marker: usize,
    from_column: usize,
    /// Lines of one chunk are consecutive in the file; chunks are apart.
    chunk: usize,
}

const ELLIPSIS: &str = "…";

/// Labels whose snippets are at most this many lines apart share one snippet (the lines between shown).
const MERGE_GAP: usize = 2;

/// A file line longer than this many bytes is cut to a window around its labels.
const LONG_LINE: usize = crate::limits::LINE_WINDOW * 2;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl Excerpt {
    /// The excerpt for `labels` (file offsets in `file`); returns it with the labels' spans moved into it.
    /// Labels that do not fit a cut line's window are left out and counted in the second value.
    fn new(file: &SourceFile, labels: &[&Label]) -> (Excerpt, Vec<Option<(usize, usize)>>) {
        let text: &str = &file.text;
        let line_end = |line: usize| {
            let next = file.line_start(line + 1);
            if next > file.line_start(line) && text.as_bytes().get(next - 1) == Some(&b'\n') {
                next - 1
            } else {
                next
            }
        };
        // The empty "line" after a final newline is only shown when a label is on it.
        let last_line = file.line_index(text.len().saturating_sub(usize::from(text.ends_with('\n'))) as u32);
        // Each long line's window, anchored at the first label on it (the primary comes first).
        let mut windows: Vec<(usize, usize, usize)> = Vec::new();
        let mut kept: Vec<Option<(usize, usize)>> = Vec::with_capacity(labels.len());
        let mut order: Vec<usize> = (0..labels.len()).collect();
        order.sort_by_key(|&i| !labels[i].primary);
        kept.resize(labels.len(), None);
        for i in order {
            let l = labels[i];
            let start = floor_boundary(text, l.span.start as usize);
            let mut end = ceil_boundary(text, (l.span.end as usize).max(start));
            let (first, last) =
                (file.line_index(start as u32), file.line_index(end.saturating_sub(1).max(start) as u32));
            let window = |line: usize, anchor: usize, windows: &mut Vec<(usize, usize, usize)>| {
                let (ls, le) = (file.line_start(line), line_end(line));
                if le - ls <= LONG_LINE {
                    return (ls, le);
                }
                if let Some(&(_, a, b)) = windows.iter().find(|w| w.0 == line) {
                    return (a, b);
                }
                let a = floor_boundary(text, anchor.saturating_sub(crate::limits::LINE_WINDOW / 2).max(ls));
                let b = ceil_boundary(text, (a + crate::limits::LINE_WINDOW * 3 / 2).min(le));
                windows.push((line, a, b));
                (a, b)
            };
            let (a, b) = window(first, start, &mut windows);
            if start < a || start > b {
                continue;
            }
            if last == first {
                end = end.min(b);
            } else {
                let (_, b_last) = window(last, file.line_start(last), &mut windows);
                end = end.min(b_last);
            }
            kept[i] = Some((start, end));
        }
        // The lines to show: each kept label's lines with one line of context, as sorted runs.
        let mut wanted: Vec<(usize, usize)> = kept
            .iter()
            .flatten()
            .map(|&(s, e)| {
                let (first, last) = (file.line_index(s as u32), file.line_index(e.saturating_sub(1).max(s) as u32));
                (first.saturating_sub(1), (last + 1).min(last_line).max(last))
            })
            .collect();
        wanted.sort_unstable();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (a, b) in wanted {
            match runs.last_mut() {
                Some(run) if a <= run.1 + 1 + MERGE_GAP => run.1 = run.1.max(b),
                _ => runs.push((a, b)),
            }
        }
        let mut excerpt = Excerpt { name: file.name.clone(), text: String::new(), lines: Vec::new() };
        for (chunk, (a, b)) in runs.into_iter().enumerate() {
            for line in a..=b {
                let (ls, le) = (file.line_start(line), line_end(line));
                let (from, to) = match windows.iter().find(|w| w.0 == line) {
                    Some(&(_, from, to)) => (from, to),
                    None if le - ls > LONG_LINE => (ls, ceil_boundary(text, ls + crate::limits::LINE_WINDOW)),
                    None => (ls, le),
                };
                let marker = if from > ls { ELLIPSIS.len() } else { 0 };
                let start = excerpt.text.len();
                if marker > 0 {
                    excerpt.text.push_str(ELLIPSIS);
                }
                excerpt.text.push_str(text[from..to].trim_end_matches('\r'));
                let end = excerpt.text.len();
                if to < le {
                    excerpt.text.push_str(ELLIPSIS);
                }
                excerpt.text.push('\n');
                let from_column = if marker > 0 { text[ls..from].chars().count() } else { 0 };
                excerpt.lines.push(ExcerptLine { start, end, line, from, marker, from_column, chunk });
            }
        }
        let moved = kept
            .iter()
            .map(|k| k.and_then(|(s, e)| Some((excerpt.to_excerpt(file, s)?, excerpt.to_excerpt(file, e)?))))
            .collect();
        (excerpt, moved)
    }

    /// A file offset inside the shown text, as an excerpt offset.
    fn to_excerpt(&self, file: &SourceFile, offset: usize) -> Option<usize> {
        let find = |line: usize| self.lines.binary_search_by_key(&line, |l| l.line).ok();
        let line = file.line_index(offset as u32);
        // A span that ends just past a line break ends with the line before.
        let i = find(line).or_else(|| (offset > 0).then(|| find(file.line_index(offset as u32 - 1))).flatten())?;
        let l = self.lines[i];
        Some((l.start + l.marker + offset.saturating_sub(l.from)).min(l.end))
    }

    fn line_at(&self, offset: usize) -> Option<usize> {
        match self.lines.binary_search_by_key(&offset, |l| l.start) {
            Ok(i) => Some(i),
            Err(0) => None,
            Err(i) => Some(i - 1),
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        let (Some(first), Some(last)) = (self.line_at(start), self.line_at(end.saturating_sub(1).max(start))) else {
            return Err(MietteError::OutOfBounds);
        };
        // Spans that reach across a gap between chunks are shown as separate snippets.
        if self.lines[first].chunk != self.lines[last].chunk {
            return Err(MietteError::OutOfBounds);
        }
        let chunk = self.lines[first].chunk;
        let mut from = first;
        while from > 0 && first - from < before && self.lines[from - 1].chunk == chunk {
            from -= 1;
        }
        let mut to = last;
        while to + 1 < self.lines.len() && to - last < after && self.lines[to + 1].chunk == chunk {
            to += 1;
        }
        let (a, b) = (self.lines[from].start, (self.lines[to].end + 1).min(self.text.len()));
        let b = self.text[self.lines[to].end..].find('\n').map_or(b, |n| self.lines[to].end + n + 1);
        let l = self.lines[first];
        // The column only counts for the snippet's header, which asks without context.
        let column = match before {
            0 => l.from_column + self.text[(l.start + l.marker).min(start)..start].chars().count(),
            _ => 0,
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[a..b],
            SourceSpan::new(a.into(), b - a),
            self.lines[from].line,
            column,
            // miette joins two snippets when one's last line reaches the next one's first.
            self.lines[to].line - self.lines[from].line + MERGE_GAP,
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
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<FileReport<'a>>,
    /// The diagnostic's help, when the rendering adds to it.
    help: Option<String>,
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
            // The severity in words, with the code: `warning[pkw::ports::host-port-shared]`.
            None => Some(Box::new(format!("{}[{}]", self.diagnostic.severity.as_str(), self.diagnostic.code.as_str()))),
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
        match (&self.secondary_file, self.help.as_ref().or(self.diagnostic.help.as_ref())) {
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
    // The primary label and the first others, in order: miette's layout is quadratic in the labels of a
    // snippet, and a screen holds a few of them anyway.
    let mut shown: Vec<&Label> = Vec::with_capacity(d.labels.len().min(crate::limits::MAX_LABELS_SHOWN));
    let primary = d.labels.iter().position(|l| l.primary);
    for (i, l) in d.labels.iter().enumerate() {
        let room = shown.len() + usize::from(primary.is_some_and(|p| p > i)) < crate::limits::MAX_LABELS_SHOWN;
        if Some(i) == primary || room {
            shown.push(l);
        }
    }
    let mut files: Vec<FileId> = Vec::new();
    for label in &shown {
        if Some(label.span.file) != main_file && !files.contains(&label.span.file) {
            files.push(label.span.file);
        }
    }
    let part = |file: Option<FileId>, secondary: bool| {
        let mine: Vec<&Label> = shown.iter().copied().filter(|l| Some(l.span.file) == file).collect();
        let (source, moved) = match file {
            Some(f) => {
                let (excerpt, moved) = Excerpt::new(sources.get(f), &mine);
                (Some(excerpt), moved)
            }
            None => (None, Vec::new()),
        };
        let labels = mine
            .iter()
            .zip(moved)
            .filter_map(|(l, span)| {
                let (start, end) = span?;
                let text = (!l.message.is_empty()).then(|| l.message.clone());
                Some(if l.primary {
                    LabeledSpan::new_primary_with_span(text, (start, end - start))
                } else {
                    LabeledSpan::new_with_span(text, (start, end - start))
                })
            })
            .collect();
        FileReport {
            diagnostic: d,
            secondary_file: secondary.then(|| file.map(|f| sources.get(f).name.clone()).unwrap_or_default()),
            source,
            labels,
            related: Vec::new(),
            help: None,
        }
    };
    let mut report = part(main_file, false);
    report.related = files.into_iter().map(|f| part(Some(f), true)).collect();
    let drawn = report.labels.len() + report.related.iter().map(|r| r.labels.len()).sum::<usize>();
    let hidden = d.labels.len() - drawn;
    if hidden > 0 {
        let more = format!(
            "{hidden} more {} not shown here; `pkwc check --format json` lists every one",
            if hidden == 1 { "place" } else { "places" }
        );
        report.help = Some(match &d.help {
            Some(help) => format!("{help}\n{more}"),
            None => more,
        });
    }
    report
}

/// Renders diagnostics for a terminal or a snapshot: colours only when asked, fixed width.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, options: RenderOptions) -> String {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // ASCII word separation: the default Unicode line breaking costs more than the rest of rendering.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        // Never split a word at its hyphen: `unique-host` is a directive, not two words.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    for d in diagnostics {
        let mut text = String::new();
        // Rendering into a String only fails on a formatter error, and should never panic; if either
        // happens, the diagnostic is still printed, as its bare message, the same way every run.
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let report = file_report(d, sources);
            handler.render_report(&mut text, &report)
        }));
        match rendered {
            Ok(Ok(())) => out.push_str(&text),
            _ => out.push_str(&format!("{}[{}]: {}\n", d.severity.as_str(), d.code.as_str(), d.message)),
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
    /// The fixes, as text edits (`ide::fixes`); left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    /// Replace this range (empty: insert at its start) with `text`.
    #[serde(flatten)]
    range: JsonRange,
    text: String,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    primary: bool,
    file: &'a str,
    #[serde(flatten)]
    range: JsonRange,
}

/// Byte offsets, and 1-based lines and columns (characters).
#[derive(Serialize)]
struct JsonRange {
    start: u32,
    end: u32,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl JsonRange {
    fn of(span: crate::source::Span, sources: &Sources) -> JsonRange {
        let sf = sources.get(span.file);
        let ((line, column), (end_line, end_column)) = (sf.line_col(span.start), sf.line_col(span.end));
        JsonRange { start: span.start, end: span.end, line, column, end_line, end_column }
    }
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
            .map(|l| JsonLabel {
                message: &l.message,
                primary: l.primary,
                file: &sources.get(l.span.file).name,
                range: JsonRange::of(l.span, sources),
            })
            .collect();
        let json = JsonDiagnostic {
            file,
            severity: d.severity.as_str(),
            code: d.code.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            labels,
            fixes: d
                .fixes
                .iter()
                .filter_map(|f| {
                    let (span, text) = crate::ide::fixes::text_edit(f, sources)?;
                    Some(JsonFix { title: &f.title, range: JsonRange::of(span, sources), text })
                })
                .collect(),
        };
        // Serializing plain strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(&json).unwrap_or_default());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Diagnostic};
    use crate::source::{SourceFile, Span};

    fn render(text: &str, labels: &[(usize, usize)]) -> String {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("t.pkw", text));
        let mut d = Diagnostic::new(Code::Unexpected, "m");
        for (i, &(s, e)) in labels.iter().enumerate() {
            let span = Span::new(file, s, e);
            d = if i == 0 { d.primary(span, format!("l{i}")) } else { d.secondary(span, format!("l{i}")) };
        }
        render_human(&[d], &sources, RenderOptions::default())
    }

    #[test]
    fn a_span_ending_past_a_line_break_keeps_its_label() {
        let out = render("app a\napp b\n", &[(0, 6)]);
        assert!(out.contains("l0"), "{out}");
        let out = render("app a\napp b\n", &[(6, 12)]);
        assert!(out.contains("l0") && out.contains("t.pkw:2:1"), "{out}");
    }

    #[test]
    fn labels_far_apart_are_separate_snippets_and_long_lines_are_cut() {
        let mut text: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let far = text.len();
        text.push_str(&"x".repeat(5000));
        text.push_str(" target\n");
        let at = far + 5001;
        let out = render(&text, &[(at, at + 6), (0, 4)]);
        assert_eq!(out.matches("╭─").count(), 2, "{out}");
        assert!(!out.contains("line 500"), "{out}");
        assert!(out.contains("t.pkw:1001:5002") && out.contains('…'), "{out}");
        assert!(out.len() < 2000, "{out}");
    }

    #[test]
    fn at_most_twelve_labels_are_drawn() {
        let text: String = (0..100).map(|i| format!("app a{i:02}\n")).collect();
        let labels: Vec<(usize, usize)> = (0..100).map(|i| (i * 8, i * 8 + 3)).collect();
        let out = render(&text, &labels);
        assert_eq!(out.matches("── l").count(), crate::limits::MAX_LABELS_SHOWN, "{out}");
        assert!(out.contains("88 more places not shown here"), "{out}");
    }
}
