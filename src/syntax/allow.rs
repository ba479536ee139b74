//! `#[allow(…)]` comments: which statement or block each one covers. Read from the tree's comments, so
//! they follow the same lexical rules as every other comment; applying them is `diagnostics::suppress`.
//!
//! - `#[allow(CODE, …)]` on a line of its own covers the next statement of its block;
//! - at the end of a statement's line, or right after a block's `{`, it covers that statement;
//! - `#![allow(CODE, …)]` covers the whole block it is in (the whole file at the top level).
//!
//! Anything after the closing `]` is the reason, for readers.

use super::{Item, SyntaxFile};
pub use crate::diagnostics::suppress::AllowComment;
use crate::source::{Span, Spanned};

/// Every `#[allow(…)]` comment of a file. `text` is the file's text and `whole` spans it.
pub fn allow_comments(file: &SyntaxFile, text: &str, whole: Span) -> Vec<AllowComment> {
    let mut out = Vec::new();
    walk(&file.items, text, whole, None, false, &mut out);
    out
}

/// `conditional`: the block is (inside) a `template` or an `if`.
fn walk(
    items: &[Item],
    text: &str,
    block: Span,
    owner: Option<(Span, usize)>,
    conditional: bool,
    out: &mut Vec<AllowComment>,
) {
    let same_line = |from: usize, to: usize| text.get(from..to).is_some_and(|between| !between.contains('\n'));
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Statement(s) => {
                if let Some(b) = &s.block {
                    let inner = conditional || matches!(s.name.value.as_str(), "template" | "if");
                    walk(&b.items, text, b.span, Some((s.span, b.span.start as usize)), inner, out);
                }
            }
            Item::Comment(c) => {
                let Some((inner, selectors)) = parse(&c.text, c.span) else { continue };
                let start = c.span.start as usize;
                let previous = items[..i].iter().rev().find_map(|it| match it {
                    Item::Statement(s) => Some(s),
                    _ => None,
                });
                let trailing = previous.filter(|p| same_line(p.span.end as usize, start)).map(|p| p.span);
                let after_brace = owner.filter(|(_, open)| previous.is_none() && same_line(*open, start)).map(|o| o.0);
                let next = || {
                    items[i + 1..].iter().find_map(|it| match it {
                        Item::Statement(s) => Some(s.span),
                        _ => None,
                    })
                };
                let covers = if inner { Some(block) } else { trailing.or(after_brace).or_else(next) };
                // A comment on the `template`/`if` line itself depends on the uses or the flag, too.
                let conditional = conditional
                    || covers.is_some_and(|span| {
                        items.iter().any(|it| {
                            matches!(it, Item::Statement(s) if s.span == span && matches!(s.name.value.as_str(), "template" | "if"))
                        })
                    });
                out.push(AllowComment { span: c.span, selectors, covers, conditional });
            }
            Item::Error(_) => {}
        }
    }
}

/// `#[allow(a, b)] reason` or `#![allow(a)]`: whether it is the block form, and the selectors.
fn parse(text: &str, span: Span) -> Option<(bool, Vec<Spanned<String>>)> {
    let (inner, head) = if text.starts_with("#![allow(") {
        (true, "#![allow(".len())
    } else if text.starts_with("#[allow(") {
        (false, "#[allow(".len())
    } else {
        return None;
    };
    let close = text[head..].find(")]").map_or(text.len(), |i| head + i);
    let mut selectors = Vec::new();
    let mut at = head;
    for part in text[head..close].split(',') {
        let trimmed = part.trim();
        let offset = at + (part.len() - part.trim_start().len());
        if !trimmed.is_empty() {
            let start = span.start as usize + offset;
            selectors.push(Spanned::new(
                trimmed.to_string(),
                Span { start: start as u32, end: (start + trimmed.len()) as u32, ..span },
            ));
        }
        at += part.len() + 1;
    }
    Some((inner, selectors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn covered(text: &str) -> Vec<(Vec<String>, Option<String>)> {
        let (tree, diags) = crate::syntax::parse(text, FileId(0));
        assert!(diags.is_empty(), "{diags:?}");
        allow_comments(&tree, text, Span::new(FileId(0), 0, text.len()))
            .into_iter()
            .map(|a| {
                let names = a.selectors.into_iter().map(|s| s.value).collect();
                (names, a.covers.map(|c| text[c.range()].lines().next().unwrap_or("").to_string()))
            })
            .collect()
    }

    #[test]
    fn each_form_covers_its_statement_or_block() {
        let text = "#![allow(ref)] whole file\n\
                    #[allow(ports::host-port-shared, upgrade)] reason\n\
                    app a { image \"x\" }\n\
                    app b { image \"x\" } #[allow(app::mem-low)]\n\
                    group g { #[allow(id)]\n  app c { image \"x\" }\n}\n\
                    # a plain comment\n\
                    #[allow(health)]\n";
        let got = covered(text);
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[0], (vec!["ref".to_string()], Some("#![allow(ref)] whole file".to_string())));
        assert_eq!(got[1].0, ["ports::host-port-shared", "upgrade"]);
        assert_eq!(got[1].1.as_deref(), Some("app a { image \"x\" }"));
        assert_eq!(got[2].1.as_deref(), Some("app b { image \"x\" }"));
        assert_eq!(got[3].1.as_deref(), Some("group g { #[allow(id)]"));
        assert_eq!(got[4], (vec!["health".to_string()], None), "nothing follows the last one");
    }
}
