//! A diagnostic's fixes (`diagnostics::Fix`) as concrete text edits: what an editor's quick fix applies.
//! `Edit::Replace` is one already; `Edit::StatementAfter` is placed here, from the tokens of the file.

use crate::diagnostics::{Edit, Fix};
use crate::source::{Sources, Span};
use crate::syntax::tokens::{tokenize, TokenKind};

/// The text edit a fix makes: the span to replace (empty to insert) and the new text. `None` when the fix
/// no longer fits the text (its span is out of the file).
pub fn text_edit(fix: &Fix, sources: &Sources) -> Option<(Span, String)> {
    match &fix.edit {
        Edit::Replace(span, text) => {
            let span = Span { via: 0, ..*span };
            sources.get(span.file).text.get(span.start as usize..span.end as usize)?;
            Some((span, text.clone()))
        }
        Edit::StatementAfter(span, statement) => {
            let text = &sources.get(span.file).text;
            let tokens = tokenize(text);
            // The end of the statement holding the span: its line's end, a `;`, or the `}` closing its block.
            let mut depth = 0usize;
            let mut last_end = span.end as usize;
            for t in tokens.iter().filter(|t| t.start >= span.end as usize) {
                match t.kind {
                    TokenKind::OpenBrace => depth += 1,
                    TokenKind::CloseBrace if depth > 0 => depth -= 1,
                    TokenKind::Newline if depth == 0 => {
                        let line_start = text[..span.start as usize].rfind('\n').map_or(0, |i| i + 1);
                        let indent: String =
                            text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
                        let at = Span::new(span.file, last_end, last_end);
                        return Some((at, format!("\n{indent}{statement}")));
                    }
                    TokenKind::Semicolon | TokenKind::CloseBrace if depth == 0 => break,
                    _ => {}
                }
                if !matches!(t.kind, TokenKind::Space | TokenKind::Comment | TokenKind::Newline) {
                    last_end = t.end;
                }
            }
            let at = Span::new(span.file, last_end, last_end);
            Some((at, format!("; {statement}")))
        }
    }
}

/// `text` with `edits` (spans into it) applied; overlapping edits after the first are left out.
pub fn apply(text: &str, edits: &[(Span, String)]) -> String {
    let mut sorted: Vec<&(Span, String)> = edits.iter().collect();
    sorted.sort_by_key(|(s, _)| (s.start, s.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for (span, new) in sorted {
        let (start, end) = (span.start as usize, span.end as usize);
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(new);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}
