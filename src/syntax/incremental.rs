//! Reparsing after an edit: when a file that parsed cleanly changes inside one block (a keystroke in an
//! app), only that block's statements are parsed again, and the rest of the old tree is kept with its spans
//! moved. The result is the tree a full parse gives (`tests/parser.rs` checks it over random edits of every
//! input); whenever that cannot be known cheaply (the edit touches a brace, the new block does not parse
//! cleanly, the old parse had errors), the file is parsed whole.

use super::tokens::{tokenize, TokenKind};
use super::tree::{Arg, Block, Item, StrPart, SyntaxFile, Value};
use super::{parse_part, Offsets};
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// The tree of `new`, from `old` (the text `old_tree` is the clean parse of), which it takes over. `None`:
/// parse `new` whole.
pub fn reparse(old: &str, old_tree: SyntaxFile, new: &str, file: FileId) -> Option<(SyntaxFile, Vec<Diagnostic>)> {
    if old == new {
        return Some((old_tree, Vec::new()));
    }
    // The edit: bytes `p..old_end` of the old text became `p..new_end` of the new one.
    let p = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - p;
    let q = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let (old_end, delta) = (old.len() - q, new.len() as i64 - old.len() as i64);
    // The innermost block whose braces lie outside the edit.
    let block = innermost(&old_tree.items, p, old_end).filter(|b| b.span.file == file)?;
    let (open, close) = (block.span.start as usize, block.span.end as usize - 1);
    let new_close = usize::try_from(close as i64 + delta).ok()?;
    // In the new text, those braces are still braces and match each other, and nothing else changed
    // lexically outside the block (an edit cannot open a string or a comment that runs past a line end it
    // does not hold; a `#` before the `}` on its line would swallow it, and the tokens see that).
    let tokens = tokenize(new);
    let first = tokens.binary_search_by_key(&open, |t| t.start).ok()?;
    let last = tokens.binary_search_by_key(&new_close, |t| t.start).ok()?;
    if tokens[first].kind != TokenKind::OpenBrace || tokens[last].kind != TokenKind::CloseBrace {
        return None;
    }
    let mut depth = 0i64;
    for t in &tokens[first + 1..last] {
        match t.kind {
            TokenKind::OpenBrace => depth += 1,
            TokenKind::CloseBrace => depth -= 1,
            _ => {}
        }
        if depth < 0 || depth as usize > super::MAX_DEPTH {
            return None;
        }
    }
    if depth != 0 || new[open..=new_close].contains('\r') {
        return None;
    }
    let inner = &new[open + 1..new_close];
    let (part, diagnostics) = parse_part(inner, Offsets { base: open + 1, ..Offsets::WHOLE }, new, file, Vec::new());
    if !diagnostics.is_empty() {
        return None;
    }
    let mut tree = old_tree;
    let target = innermost_mut(&mut tree.items, p, old_end)?;
    target.items = part.items;
    let moved = |s: &mut Span| {
        let at = close as u32;
        if s.start > at {
            s.start = (s.start as i64 + delta) as u32;
        }
        if s.end > at {
            s.end = (s.end as i64 + delta) as u32;
        }
    };
    shift_items(&mut tree.items, &moved, open as u32);
    Some((tree, Vec::new()))
}

/// The innermost block whose `{` is before `from` and whose `}` is at or after `to`.
fn innermost(items: &[Item], from: usize, to: usize) -> Option<&Block> {
    let block = items.iter().find_map(|i| match i {
        Item::Statement(s) => s.block.as_ref().filter(|b| (b.span.start as usize) < from && to < b.span.end as usize),
        _ => None,
    })?;
    innermost(&block.items, from, to).or(Some(block))
}

fn innermost_mut(items: &mut [Item], from: usize, to: usize) -> Option<&mut Block> {
    let block = items.iter_mut().find_map(|i| match i {
        Item::Statement(s) => s.block.as_mut().filter(|b| (b.span.start as usize) < from && to < b.span.end as usize),
        _ => None,
    })?;
    // Decided first, then borrowed again: the borrow checker takes one path at a time.
    if innermost(&block.items, from, to).is_some() {
        return innermost_mut(&mut block.items, from, to);
    }
    Some(block)
}

/// Moves every span of `items` but those of the block opened at `skip` (its new statements have their
/// place already; the block's own span still moves).
fn shift_items(items: &mut [Item], moved: &impl Fn(&mut Span), skip: u32) {
    for item in items {
        match item {
            Item::Statement(s) => {
                moved(&mut s.span);
                moved(&mut s.name.span);
                for a in &mut s.args {
                    shift_arg(a, moved);
                }
                if let Some(b) = &mut s.block {
                    let reparsed = b.span.start == skip;
                    moved(&mut b.span);
                    if !reparsed {
                        shift_items(&mut b.items, moved, skip);
                    }
                }
            }
            Item::Comment(c) => moved(&mut c.span),
            Item::Error(span) => moved(span),
        }
    }
}

fn shift_arg(a: &mut Arg, moved: &impl Fn(&mut Span)) {
    moved(&mut a.span);
    match &mut a.value {
        Value::Str(parts) => {
            for part in parts {
                match part {
                    StrPart::Interp(name) => moved(&mut name.span),
                    StrPart::Text(_) => {}
                }
            }
        }
        Value::Quantity { unit, number: _ } => moved(&mut unit.span),
        Value::Port { protocol, number: _ } => moved(&mut protocol.span),
        Value::Call { name, args } => {
            moved(&mut name.span);
            for a in args {
                shift_arg(a, moved);
            }
        }
        Value::Word(_)
        | Value::Number(_)
        | Value::Percent(_)
        | Value::Range { .. }
        | Value::Reference(_)
        | Value::Path(_) => {}
    }
}
