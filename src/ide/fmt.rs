//! `pkwc fmt`: one canonical layout, from the tokens (`syntax::tokens`), so nothing but white space ever
//! changes: two spaces of indentation per open block (a line that starts with `}` one less), runs of
//! spaces and tabs between tokens as one space (before a trailing comment, as written, so that aligned
//! comments stay aligned), no trailing white space, at most one blank line in a row
//! and none at the start or the end, a final newline. Comments, statements, `;` and strings stay as written;
//! a line holding a statement that does not parse stays byte for byte, and so does a statement whose `{` is
//! never closed (to where its indentation ends it) and a line with a `}` that closes nothing.
//!
//! Invariant: idempotent, and the file builds to the same JSON (only white space outside strings and
//! comments changes, and pkw reads any run of it the same).

use crate::syntax::tokens::{tokenize, Token, TokenKind};

/// Formats `text`; `keep` are byte ranges (of statements that do not parse) whose lines stay as written,
/// and `unmatched` the offsets of braces that match nothing (an unclosed `{`, a stray `}`), which do not
/// count for the indentation of the lines after them.
pub fn format(text: &str, keep: &[(usize, usize)], unmatched: &[usize]) -> String {
    let tokens = tokenize(text);
    let mut out = String::with_capacity(text.len());
    let mut depth: usize = 0;
    let mut blank_lines = 0;
    for line in lines(&tokens) {
        let (start, end) = (line.first().map_or(0, |t| t.start), line.last().map_or(0, |t| t.end));
        let content: Vec<&Token> = line.iter().filter(|t| !matches!(t.kind, TokenKind::Newline)).collect();
        let first = content.iter().position(|t| t.kind != TokenKind::Space);
        let counted = |kind| line.iter().filter(|t| t.kind == kind && !unmatched.contains(&t.start)).count();
        let (opened, closed) = (counted(TokenKind::OpenBrace), counted(TokenKind::CloseBrace));
        let newline = line.iter().find(|t| t.kind == TokenKind::Newline).map_or("\n", |t| t.text(text));
        let verbatim = keep.iter().any(|&(a, b)| a < end && start < b.max(a + 1));
        match first {
            None if !verbatim => blank_lines += 1,
            _ => {
                if blank_lines > 0 && !out.is_empty() {
                    out.push_str(newline);
                }
                blank_lines = 0;
                if verbatim {
                    out.push_str(&text[start..end]);
                    if !text[start..end].ends_with('\n') {
                        out.push_str(newline);
                    }
                } else {
                    let first = first.unwrap_or(0);
                    let dedent = usize::from(content[first].kind == TokenKind::CloseBrace);
                    for _ in 0..depth.saturating_sub(dedent) {
                        out.push_str("  ");
                    }
                    let last = content.iter().rposition(|t| t.kind != TokenKind::Space).unwrap_or(first);
                    let shown = &content[first..=last];
                    for (i, t) in shown.iter().enumerate() {
                        // The space before a trailing comment stays as written: comments lined up in a
                        // column stay lined up.
                        let before_comment = shown.get(i + 1).is_some_and(|n| n.kind == TokenKind::Comment);
                        out.push_str(match t.kind {
                            TokenKind::Space if before_comment => t.text(text),
                            TokenKind::Space => " ",
                            _ => t.text(text),
                        });
                    }
                    out.push_str(newline);
                }
            }
        }
        depth = (depth + opened).saturating_sub(closed);
    }
    out
}

/// The tokens line by line, each line with its newline.
fn lines(tokens: &[Token]) -> impl Iterator<Item = &[Token]> {
    let mut rest = tokens;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = rest.iter().position(|t| t.kind == TokenKind::Newline).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(n);
        rest = tail;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_spacing_blank_lines_and_the_final_newline() {
        let messy = "\n\n# cluster\ngroup   shop {\n\t app web {\n      image    \"nginx:1.25   x\"   # keep \"  \"\n\n\n   cpus 1; mem 1GiB\n}\n  }";
        let want = "# cluster\ngroup shop {\n  app web {\n    image \"nginx:1.25   x\"   # keep \"  \"\n\n    cpus 1; mem 1GiB\n  }\n}\n";
        assert_eq!(format(messy, &[], &[]), want);
        assert_eq!(format(want, &[], &[]), want);
    }

    #[test]
    fn a_line_that_does_not_parse_stays_as_written() {
        let text = "group g {\n app a {\n      cmd   \"x\" )( \n }\n}\n";
        let at = text.find(")(").unwrap();
        let out = format(text, &[(at, at + 2)], &[]);
        assert!(out.contains("\n      cmd   \"x\" )( \n"), "{out}");
        assert!(out.starts_with("group g {\n  app a {\n"), "{out}");
    }
}
