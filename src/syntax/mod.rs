//! Text → syntax tree. The only module that names pest types. Keeps comments, statement order and the byte
//! span of every node, and turns every syntax error into a diagnostic in the user's terms.
//! Invariant: parsing never fails outright; it returns a tree (possibly partial) and the diagnostics.

mod allow;
pub mod cst;
mod incremental;
pub mod tokens;
mod tree;

pub use allow::{allow_comments, AllowComment};
pub use incremental::reparse;
pub use tree::*;

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

use crate::diagnostics::{messages, Diagnostic};
use crate::source::{FileId, Span, Spanned};
use tokens::TokenKind;

#[derive(Parser)]
#[grammar = "../grammar/pkw.pest"]
struct PkwParser;

/// How deep blocks and calls may nest. Real clusters use a handful of levels; the bound keeps every
/// recursive pass (the parser's included) far from the end of the stack.
pub const MAX_DEPTH: usize = 64;

/// Parses one file. Syntax errors are reported and skipped; the tree holds every statement that parsed.
pub fn parse(text: &str, file: FileId) -> (SyntaxFile, Vec<Diagnostic>) {
    parse_on(text, file, true)
}

/// `parse`, on this thread alone unless `threads` allows a large file's two halves on two threads (the tree
/// is the same either way).
pub fn parse_on(text: &str, file: FileId, threads: bool) -> (SyntaxFile, Vec<Diagnostic>) {
    let mut diagnostics = check_nesting(text, file);
    if diagnostics.iter().any(|d| d.code == crate::diagnostics::Code::TooDeep) {
        return (SyntaxFile::default(), diagnostics);
    }
    if !diagnostics.is_empty() {
        // Unbalanced braces: close each unclosed block where its indentation says it ends, drop each `}`
        // that closes nothing, and parse the rest, so that one brace does not hide every other problem.
        let repair = repair_braces(text, file);
        return parse_repaired(text, file, repair);
    }
    // A comment runs to the next line feed: with carriage returns alone, lines after it would vanish.
    if let Some(cr) = bare_carriage_return(text) {
        diagnostics.push(messages::bare_carriage_return(Span::new(file, cr, cr + 1)));
    }
    if let Some(split) = split_point(text).filter(|_| threads) {
        return parse_split(text, file, split, diagnostics);
    }
    parse_whole(text, file, diagnostics)
}

/// Where the text pest sees sits in the file: `base` is the file offset of its first byte, and from
/// `gap_at` on (a local offset) it skips `gap` bytes of the file (the big block left out of the outer part).
#[derive(Clone, Copy)]
struct Offsets {
    base: usize,
    gap_at: usize,
    gap: usize,
}

impl Offsets {
    const WHOLE: Offsets = Offsets { base: 0, gap_at: usize::MAX, gap: 0 };

    fn at(self, local: usize) -> usize {
        self.base + local + if local >= self.gap_at { self.gap } else { 0 }
    }
}

/// Files at least this large are parsed on two threads.
const PARALLEL_MIN: usize = 128 * 1024;

/// Where to cut a large file in two for parallel parsing: the block of a top-level statement that holds
/// most of the file (`open`, `close` are its braces), cut at a line break between two of its statements.
struct Split {
    open: usize,
    close: usize,
    cut: usize,
}

fn split_point(text: &str) -> Option<Split> {
    if text.len() < PARALLEL_MIN {
        return None;
    }
    let bytes = text.as_bytes();
    let (mut depth, mut open, mut i) = (0usize, None, 0);
    let mut cut = None;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let (Some(o), Some(c)) = (open, cut) {
                        return (i - o > text.len() / 2).then_some(Split { open: o, close: i, cut: c });
                    }
                    open = None;
                    cut = None;
                }
            }
            // A little before the middle: the first half's thread also parses the rest of the file. Not before
            // a byte-order mark, which only the start of a file may hold.
            b'\n'
                if depth == 1
                    && cut.is_none()
                    && open.is_some_and(|o| i >= o + (text.len() - o) * 9 / 20)
                    && !text[i + 1..].starts_with('\u{FEFF}') =>
            {
                cut = Some(i + 1);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses the two halves of the big block on two threads and the rest of the file around it, then puts
/// the halves back into the block. Each part is parsed as a slice of the file, and its offsets are mapped
/// back to the file's, so every span is the one a single parse would give.
fn parse_split(text: &str, file: FileId, split: Split, diagnostics: Vec<Diagnostic>) -> (SyntaxFile, Vec<Diagnostic>) {
    let (open, cut, close) = (split.open, split.cut, split.close);
    let mut outer = String::with_capacity(text.len() - (close - open - 1));
    outer.push_str(&text[..open + 1]);
    outer.push_str(&text[close..]);
    let outer_offsets = Offsets { base: 0, gap_at: open + 1, gap: close - open - 1 };
    let half = |from: usize| Offsets { base: from, ..Offsets::WHOLE };
    let ((mut tree, mut diags), (a, da), (b, db)) = std::thread::scope(|scope| {
        let second = scope.spawn(|| parse_part(&text[cut..close], half(cut), text, file, Vec::new()));
        let first = parse_part(&text[open + 1..cut], half(open + 1), text, file, Vec::new());
        let outer = parse_part(&outer, outer_offsets, text, file, diagnostics.clone());
        (outer, first, second.join().unwrap_or_default())
    });
    // The statement that owns the block did not parse: its block is not statements, as a single parse says.
    let Some(block) = find_block(&mut tree.items, open) else {
        return parse_whole(text, file, diagnostics);
    };
    let mut items = a.items;
    items.extend(b.items);
    block.items = items;
    diags.extend(da);
    diags.extend(db);
    // In file order, as a single parse reports them.
    crate::diagnostics::sort(&mut diags);
    (tree, diags)
}

fn find_block(items: &mut [Item], open: usize) -> Option<&mut Block> {
    items.iter_mut().find_map(|i| match i {
        Item::Statement(s) => s.block.as_mut().filter(|b| b.span.start as usize == open),
        _ => None,
    })
}

fn parse_whole(text: &str, file: FileId, diagnostics: Vec<Diagnostic>) -> (SyntaxFile, Vec<Diagnostic>) {
    parse_part(text, Offsets::WHOLE, text, file, diagnostics)
}

/// Parses `local`, the part of the file `full` that `offsets` place.
fn parse_part(
    local: &str,
    offsets: Offsets,
    full: &str,
    file: FileId,
    mut diagnostics: Vec<Diagnostic>,
) -> (SyntaxFile, Vec<Diagnostic>) {
    // Only the part that starts the file may begin with a byte-order mark.
    let rule = if offsets.base == 0 { Rule::file } else { Rule::part };
    let pairs = match PkwParser::parse(rule, local) {
        Ok(pairs) => pairs,
        Err(error) => {
            // The grammar accepts any text with balanced braces, so this is a gap in the recovery rules.
            let pos = offsets.at(error_position(&error));
            diagnostics.push(messages::syntax_unexpected(
                Span::new(file, pos, pos),
                "a statement",
                found_at(full, pos),
            ));
            return (SyntaxFile::default(), diagnostics);
        }
    };
    let mut walker = Walker { local, offsets, full, file, diagnostics, inserted: &[] };
    let mut items = Vec::new();
    for pair in pairs {
        if matches!(pair.as_rule(), Rule::file | Rule::part) {
            items = walker.items(pair.into_inner());
        }
    }
    (SyntaxFile { items }, walker.diagnostics)
}

/// Parses the one value that starts at `value_start` in `text` (for `--set NAME=VALUE`, whose text is the
/// whole flag, so that spans point into it).
pub fn parse_value(text: &str, value_start: usize, file: FileId) -> Result<Arg, Diagnostic> {
    let whole = Span::new(file, value_start, text.len());
    // Pad so that the value keeps its offsets: `x` stands for a directive name in front of it.
    let padded = format!("{}x {}", " ".repeat(value_start.saturating_sub(2)), &text[value_start..]);
    let (tree, diags) = parse(&padded, file);
    if let Some(d) = diags.into_iter().next() {
        let at = d.labels.first().map_or(whole, |l| l.span);
        return Err(messages::set_value_invalid(at, &d.message));
    }
    if tree.items.iter().any(|i| matches!(i, Item::Comment(_))) {
        return Err(messages::set_value_invalid(whole, "`#` starts a comment"));
    }
    let stmts: Vec<&Statement> = tree
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Statement(s) => Some(s),
            _ => None,
        })
        .collect();
    match stmts.as_slice() {
        [s] if s.args.len() == 1 && s.block.is_none() => Ok(s.args[0].clone()),
        _ => Err(messages::set_value_invalid(whole, "expected exactly one value")),
    }
}

/// A text with its braces balanced: `}` lines inserted (`inserted`: their positions in `text`, two bytes
/// each) and stray `}` blanked out, and the diagnostics that say where.
struct Repair {
    /// Each unclosed `{`, and where its block is closed (a line start, or the end of the file).
    unclosed: Vec<(usize, usize)>,
    /// Each `}` that closes nothing.
    stray: Vec<usize>,
    text: String,
    inserted: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
}

/// Where each unclosed block ends by its indentation: before the first line, after its `{`, that is
/// indented less than the line of the `{`, or as much and does not start with `}`; at the end of the file
/// otherwise. A `}` with no block open is blanked out. It reads the tokens, as `check_nesting` does (strings
/// and comments are whole tokens); only called when that found a brace out of place.
fn repair_braces(text: &str, file: FileId) -> Repair {
    // (the `{`, the indentation of its line)
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut closes: Vec<usize> = Vec::new();
    let mut unclosed: Vec<(usize, usize)> = Vec::new();
    let mut blank: Vec<usize> = Vec::new();
    let mut diagnostics = Vec::new();
    let (mut line_start, mut indent, mut first_on_line) = (0, 0, true);
    for token in tokens::tokenize(text) {
        match token.kind {
            TokenKind::Newline => {
                (line_start, first_on_line) = (token.end, true);
                continue;
            }
            TokenKind::Space if first_on_line => continue,
            _ => {}
        }
        if std::mem::take(&mut first_on_line) {
            indent = token.start - line_start;
            // A comment line says nothing of where a block ends.
            if token.kind != TokenKind::Comment {
                let line_end = text[token.start..].find('\n').map_or(text.len(), |p| token.start + p);
                let line_end = if text[..line_end].ends_with('\r') { line_end - 1 } else { line_end };
                while let Some(&(at, opened)) = open.last() {
                    if indent < opened || (indent == opened && token.kind != TokenKind::CloseBrace) {
                        open.pop();
                        closes.push(line_start);
                        unclosed.push((at, line_start));
                        diagnostics.push(messages::unclosed_brace_at(
                            Span::new(file, at, at + 1),
                            Span::new(file, token.start, line_end.max(token.start)),
                        ));
                    } else {
                        break;
                    }
                }
            }
        }
        match token.kind {
            TokenKind::OpenBrace => open.push((token.start, indent)),
            TokenKind::CloseBrace if open.pop().is_none() => {
                blank.push(token.start);
                diagnostics.push(messages::unmatched_brace(Span::new(file, token.start, token.end)));
            }
            _ => {}
        }
    }
    let end = text.len();
    for (at, _) in open.into_iter().rev() {
        let last = text.trim_end().len();
        let last_char = text[..last].chars().next_back().map_or(0, char::len_utf8);
        diagnostics
            .push(messages::unclosed_brace(Span::new(file, at, at + 1), Span::new(file, last - last_char, last)));
        closes.push(end);
        unclosed.push((at, end));
    }
    let mut repaired = String::with_capacity(text.len() + 2 * closes.len());
    let mut from = 0;
    let mut inserted = Vec::with_capacity(closes.len());
    for &at in &closes {
        repaired.push_str(&text[from..at]);
        inserted.push(at);
        // At the end of the file the `}` goes on a line of its own after the last one.
        repaired.push_str(if at == end { "\n}" } else { "}\n" });
        from = at;
    }
    repaired.push_str(&text[from..]);
    // Blanking a byte keeps every offset; positions after insertions move by two per insertion before.
    let mut repaired = repaired.into_bytes();
    for &b in &blank {
        let shift = 2 * inserted.iter().filter(|&&p| p <= b).count();
        repaired[b + shift] = b' ';
    }
    let text = String::from_utf8(repaired).unwrap_or_default();
    Repair { unclosed, stray: blank, text, inserted, diagnostics }
}

/// The braces of `text` that match nothing, as the parser repairs them: each unclosed `{` with where its
/// block ends by its indentation, and each `}` that closes nothing. Empty when the braces balance.
pub fn unmatched_braces(text: &str) -> (Vec<(usize, usize)>, Vec<usize>) {
    if check_nesting(text, FileId(0)).is_empty() {
        return (Vec::new(), Vec::new());
    }
    let r = repair_braces(text, FileId(0));
    (r.unclosed, r.stray)
}

/// Parses a repaired text; spans are mapped back to the file (an inserted `}` to where it was inserted).
fn parse_repaired(full: &str, file: FileId, repair: Repair) -> (SyntaxFile, Vec<Diagnostic>) {
    let Repair { text, inserted, diagnostics, .. } = repair;
    let pairs = match PkwParser::parse(Rule::file, &text) {
        Ok(pairs) => pairs,
        Err(_) => return (SyntaxFile::default(), diagnostics),
    };
    let mut walker = Walker { local: &text, offsets: Offsets::WHOLE, full, file, diagnostics, inserted: &inserted };
    let mut items = Vec::new();
    for pair in pairs {
        if matches!(pair.as_rule(), Rule::file | Rule::part) {
            items = walker.items(pair.into_inner());
        }
    }
    (SyntaxFile { items }, walker.diagnostics)
}

/// Checks braces and parentheses before pest runs: an unclosed `{` is reported at the `{` itself (pest
/// would only say "expected `}`" at the end of the file), and nesting beyond `MAX_DEPTH` is refused here,
/// without recursion, whatever the input.
fn check_nesting(text: &str, file: FileId) -> Vec<Diagnostic> {
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut diagnostics = Vec::new();
    for token in tokens::tokenize(text) {
        // Parentheses live inside text tokens (`dns(a)`); braces are tokens of their own; strings and
        // comments are whole tokens, so nothing in them counts.
        let structural: &[u8] = match token.kind {
            TokenKind::OpenBrace => b"{",
            TokenKind::CloseBrace => b"}",
            TokenKind::Text => &text.as_bytes()[token.start..token.end],
            TokenKind::Newline => {
                // A call never spans lines: forget its unclosed parentheses.
                while matches!(open.last(), Some((b'(', _))) {
                    open.pop();
                }
                continue;
            }
            _ => continue,
        };
        for (k, &c) in structural.iter().enumerate() {
            let i = token.start + k;
            match c {
                b'{' | b'(' => {
                    open.push((c, i));
                    if open.len() > MAX_DEPTH {
                        return vec![messages::too_deep(Span::new(file, i, i + 1), MAX_DEPTH)];
                    }
                }
                b'}' | b')' => {
                    let want = if c == b'}' { b'{' } else { b'(' };
                    match open.last() {
                        Some(&(o, _)) if o == want => {
                            open.pop();
                        }
                        // A `)` missing inside a call is the statement's business; only braces are structural.
                        Some(&(b'(', _)) if c == b'}' => {
                            // The `}` closes the block around the call: drop the call's `(`s, then match.
                            while matches!(open.last(), Some((b'(', _))) {
                                open.pop();
                            }
                            if open.pop().is_none() {
                                diagnostics.push(messages::unmatched_brace(Span::new(file, i, i + 1)));
                            }
                        }
                        _ if c == b')' => {}
                        _ => diagnostics.push(messages::unmatched_brace(Span::new(file, i, i + 1))),
                    }
                }
                _ => {}
            }
        }
    }
    for (c, at) in open {
        if c == b'{' {
            let last = text.trim_end().len();
            let last_char = text[..last].chars().next_back().map_or(0, char::len_utf8);
            diagnostics
                .push(messages::unclosed_brace(Span::new(file, at, at + 1), Span::new(file, last - last_char, last)));
        }
    }
    diagnostics
}

/// The first `\r` that no `\n` follows.
fn bare_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|b| *b == b'\r') {
        let at = from + i;
        if bytes.get(at + 1) != Some(&b'\n') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn error_position(error: &pest::error::Error<Rule>) -> usize {
    match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// What the user wrote at `pos`, in words: "`@`", "the end of the line", "the end of the file".
fn found_at(text: &str, pos: usize) -> String {
    match text[pos..].chars().next() {
        None => "the end of the file".into(),
        Some('\n') | Some('\r') => "the end of the line".into(),
        Some(c) if c.is_whitespace() => "a space".into(),
        Some(_) => {
            let token: String = text[pos..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '{' | '}'))
                .take(30)
                .collect();
            let token = if token.is_empty() { text[pos..].chars().take(1).collect() } else { token };
            format!("`{token}`")
        }
    }
}

struct Walker<'t> {
    /// The text pest parsed, and where it lies in the whole file.
    local: &'t str,
    offsets: Offsets,
    full: &'t str,
    file: FileId,
    diagnostics: Vec<Diagnostic>,
    /// Where a repair inserted a two-byte `}` line, as positions in the file (`repair_braces`).
    inserted: &'t [usize],
}

impl<'t> Walker<'t> {
    /// A position in the text pest parsed, as a position in the file.
    fn at(&self, local: usize) -> usize {
        let mut shift = 0;
        for &p in self.inserted {
            // Each insertion sits at file position `p`, local position `p + shift`.
            if local < p + shift {
                break;
            }
            if local < p + shift + 2 {
                return self.offsets.at(p).min(self.full.len());
            }
            shift += 2;
        }
        self.offsets.at(local - shift).min(self.full.len())
    }

    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.at(s.start()), self.at(s.end()))
    }

    fn items(&mut self, pairs: pest::iterators::Pairs<'_, Rule>) -> Vec<Item> {
        let mut items = Vec::new();
        for pair in pairs {
            match pair.as_rule() {
                Rule::statement => items.push(Item::Statement(self.statement(pair))),
                Rule::comment => {
                    let span = self.span(&pair);
                    items.push(Item::Comment(Comment { text: pair.as_str().trim_end_matches('\r').into(), span }));
                }
                Rule::bad => {
                    items.push(Item::Error(self.span(&pair)));
                    self.bad(pair);
                }
                _ => {}
            }
        }
        // Exact sizes: a large file holds hundreds of thousands of these small lists.
        items.shrink_to_fit();
        items
    }

    fn statement(&mut self, pair: Pair<'_, Rule>) -> Statement {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = inner.next().map(|p| Spanned::new(p.as_str().to_string(), self.span(&p)));
        let mut args = Vec::new();
        let mut block = None;
        for p in inner {
            if p.as_rule() == Rule::block {
                let bspan = self.span(&p);
                block = Some(Block { items: self.items(p.into_inner()), span: bspan });
            } else {
                args.push(self.arg(p));
            }
        }
        args.shrink_to_fit();
        let name = name.unwrap_or_else(|| Spanned::new(String::new(), span));
        // The statement's span ends at its last token: trailing blanks are not part of it.
        let end = block.as_ref().map(|b| b.span.end).or(args.last().map(|a| a.span.end)).unwrap_or(name.span.end);
        Statement { name, args, block, span: Span { end, ..span } }
    }

    fn number(pair: Pair<'_, Rule>) -> Number {
        Number { text: pair.as_str().to_string() }
    }

    fn arg(&mut self, pair: Pair<'_, Rule>) -> Arg {
        let span = self.span(&pair);
        let value = match pair.as_rule() {
            Rule::word => Value::Word(pair.as_str().to_string()),
            Rule::path => Value::Path(pair.as_str().to_string()),
            Rule::reference => Value::Reference(pair.as_str()[1..].to_string()),
            Rule::string => Value::Str(self.string_parts(pair)),
            Rule::numeric => {
                let mut inner = pair.into_inner();
                let number = inner.next().map(Self::number).unwrap_or(Number { text: String::new() });
                match inner.next() {
                    None => Value::Number(number),
                    Some(suffix) => {
                        let sspan = self.span(&suffix);
                        match suffix.as_rule() {
                            Rule::num_unit => {
                                Value::Quantity { number, unit: Spanned::new(suffix.as_str().to_string(), sspan) }
                            }
                            Rule::num_pct => Value::Percent(number),
                            Rule::num_proto => {
                                let proto = suffix.into_inner().next();
                                let (text, pspan) = proto
                                    .map(|p| (p.as_str().to_string(), self.span(&p)))
                                    .unwrap_or_else(|| (String::new(), sspan));
                                Value::Port { number, protocol: Spanned::new(text, pspan) }
                            }
                            _ => {
                                let end = suffix.into_inner().next().map(Self::number);
                                Value::Range { start: number, end: end.unwrap_or(Number { text: String::new() }) }
                            }
                        }
                    }
                }
            }
            Rule::word_like => {
                let text = pair.as_str();
                let mut inner = pair.into_inner();
                let word = inner.next();
                match inner.next() {
                    None => Value::Word(text.to_string()),
                    Some(tail) if tail.as_rule() == Rule::path_rest => Value::Path(text.to_string()),
                    Some(tail) => {
                        let name = word.map_or_else(
                            || Spanned::new(String::new(), span),
                            |w| Spanned::new(w.as_str().to_string(), self.span(&w)),
                        );
                        Value::Call { name, args: tail.into_inner().map(|p| self.arg(p)).collect() }
                    }
                }
            }
            _ => Value::Word(pair.as_str().to_string()),
        };
        Arg { value, span }
    }

    fn string_parts(&mut self, pair: Pair<'_, Rule>) -> Vec<StrPart> {
        let mut parts: Vec<StrPart> = Vec::new();
        let push_text = |parts: &mut Vec<StrPart>, s: &str| match parts.last_mut() {
            Some(StrPart::Text(t)) => t.push_str(s),
            _ => parts.push(StrPart::Text(s.to_string())),
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::str_text => push_text(&mut parts, p.as_str()),
                Rule::str_escape => {
                    let c = match &p.as_str()[1..] {
                        "n" => "\n",
                        "t" => "\t",
                        other => other,
                    };
                    push_text(&mut parts, c);
                }
                Rule::str_interp => {
                    if let Some(id) = p.into_inner().next() {
                        let span = self.span(&id);
                        parts.push(StrPart::Interp(Spanned::new(id.as_str().to_string(), span)));
                    }
                }
                _ => {}
            }
        }
        if parts.is_empty() {
            parts.push(StrPart::Text(String::new()));
        }
        parts.shrink_to_fit();
        parts
    }

    /// A line that is not a statement: find out why by parsing it strictly, and say so in the user's terms.
    fn bad(&mut self, pair: Pair<'_, Rule>) {
        let start = pair.as_span().start();
        let bad_end = pair.as_span().end();
        // Only the bad text itself: pest indexes the lines of whatever it is given.
        let pos = match PkwParser::parse(Rule::strict_statement, &self.local[start..bad_end]) {
            Err(e) => start + error_position(&e),
            Ok(_) => start,
        };
        let pos = pos.min(bad_end.max(start));
        let at = |p| self.at(p);
        self.diagnostics.push(describe_failure(self.full, self.file, at(start), at(pos), at(bad_end)));
    }
}

/// Turns the position where a statement stopped parsing into a diagnostic that says what was expected.
fn describe_failure(text: &str, file: FileId, start: usize, pos: usize, end: usize) -> Diagnostic {
    let line = &text[start..end];
    // Inside a string? Walk the statement's text up to `pos` tracking quotes.
    let mut in_string = None;
    let mut escape = false;
    for (i, c) in line.char_indices() {
        if start + i >= pos {
            break;
        }
        match (in_string, c) {
            (Some(_), _) if escape => escape = false,
            (Some(_), '\\') => escape = true,
            (Some(_), '"') => in_string = None,
            (None, '"') => in_string = Some(start + i),
            _ => {}
        }
    }
    if let Some(quote) = in_string {
        let rest = &text[pos..];
        if rest.starts_with('\\') {
            let len = rest.chars().take(2).map(char::len_utf8).sum::<usize>();
            return messages::bad_escape(Span::new(file, pos, pos + len), &rest[..len]);
        }
        return messages::unterminated_string(Span::new(file, quote, quote + 1), Span::new(file, pos, pos));
    }
    let found = found_at(text, pos);
    let width = match text[pos..].chars().next() {
        Some(c) if c != '\n' && c != '\r' => {
            let token_len: usize = text[pos..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '{' | '}'))
                .map(char::len_utf8)
                .sum();
            token_len.max(c.len_utf8())
        }
        _ => 0,
    };
    let expected = if pos == start {
        "a directive name (a word such as `app`, `group` or `image`)"
    } else if text[start..pos].trim_end().ends_with('(') || text[start..pos].trim_end().ends_with(',') {
        "an argument of the call"
    } else if text[start..pos].rfind('(').is_some_and(|o| !text[start + o..pos].contains(')')) {
        "`,` or `)` to continue or close the call"
    } else if text[..pos].ends_with(|c: char| c.is_ascii_alphanumeric())
        && text[pos..].starts_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '"' | '$' | '/' | '.'))
    {
        "a space before the next argument"
    } else {
        "a value (a word, a string, a number, a path, a `$` reference or a call), `{` or the end of the statement"
    };
    let d = messages::syntax_unexpected(Span::new(file, pos, pos + width), expected, found);
    match habit(&text[start..end], pos - start) {
        Some(help) => d.help(help),
        None => d,
    }
}

/// Help for habits from JSON, YAML, Docker and INI files, where the statement `line` stopped parsing at
/// `at`: what the user meant, written in pkw.
fn habit(line: &str, at: usize) -> Option<String> {
    let (before, rest) = line.split_at(at);
    let words: Vec<&str> = before.split_whitespace().collect();
    let next = rest.chars().next()?;
    let after = rest[next.len_utf8()..].trim();
    let value = after.split([';', '}', '#']).next().unwrap_or("").trim();
    if before.trim_end().ends_with('}') {
        let statement = rest.split(['\n', ';']).next().unwrap_or(rest).trim();
        return Some(format!("a block ends its statement: start `{statement}` on a new line, or after a `;`"));
    }
    match (next, words.as_slice()) {
        // `instances: 3`, `mem = 512MiB`
        (':' | '=', [directive]) if before.ends_with(|c: char| c.is_alphanumeric() || c == ' ') => {
            Some(format!("pkw writes a directive and its value with a space between them: `{directive} {value}`"))
        }
        // `env FOO=bar`, `label KEY=value`
        ('=', [directive, key]) if !before.ends_with(' ') => {
            let value = value.trim_matches('"');
            Some(format!("write the name and the value apart, the value quoted: `{directive} {key} \"{value}\"`"))
        }
        // `ports 80,443`
        (',', [directive, ..]) if before.ends_with(|c: char| c.is_ascii_digit()) => {
            let all: Vec<&str> = words[1..].iter().copied().chain(value.split(',').map(str::trim)).collect();
            Some(format!("separate values with spaces, not commas: `{directive} {}`", all.join(" ")))
        }
        // `port 8080:80`, Docker's HOST:CONTAINER
        (':', [directive @ ("port" | "ports"), .., host]) if host.bytes().all(|b| b.is_ascii_digit()) => {
            let container = value.split_whitespace().next().unwrap_or("PORT");
            Some(format!("a mapped port is written container port first, then its host port: `{directive} {container} host {host}`"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> SyntaxFile {
        let (file, diags) = parse(text, FileId(0));
        assert!(diags.is_empty(), "{diags:#?}");
        file
    }

    #[test]
    fn keeps_comments_and_order() {
        let f = parse_ok("# top\napp a { cpus 1 } # trailing\ngroup g {}\n");
        let kinds: Vec<_> = f
            .items
            .iter()
            .map(|i| match i {
                Item::Statement(s) => s.name.value.clone(),
                Item::Comment(c) => c.text.clone(),
                Item::Error(_) => "error".into(),
            })
            .collect();
        assert_eq!(kinds, ["# top", "app", "# trailing", "group"]);
    }

    #[test]
    fn value_kinds() {
        let f =
            parse_ok("x \"a${b}\\n\" 2 0.5 -1 512MiB 30s 50% 53/udp 7000-10000 /a/b ../c $p dns(../db/x) 1st-app\n");
        let Item::Statement(s) = &f.items[0] else { panic!() };
        let kinds: Vec<_> = s.args.iter().map(|a| a.value.describe()).collect();
        assert_eq!(
            kinds,
            [
                "a string",
                "an integer",
                "a decimal number",
                "an integer",
                "a size",
                "a duration",
                "a percentage",
                "a port with a protocol",
                "a port range",
                "a path",
                "a path",
                "a `$` reference",
                "a call",
                "a word"
            ]
        );
    }

    #[test]
    fn three_broken_statements_give_three_errors() {
        let (_, diags) = parse("app a {\n  cpus 1 @\n  mem \"x\n}\nports 80 90) \n", FileId(0));
        assert_eq!(diags.len(), 3, "{diags:#?}");
    }

    #[test]
    fn parallel_parse_gives_the_same_tree() {
        // The second header does not parse: its block is skipped whole, as a single parse does.
        for (header, errors) in [("group big {", 3000), ("group big @ {", 1)] {
            let mut text = format!("# big\nlet x 1\n{header}\n");
            for i in 0..3000 {
                text.push_str(&format!("  app a{i} {{ image \"x\"; ports {i} # c\n  }}\n  bad line ({i}\n"));
            }
            text.push_str("}\napp after { cmd \"y\" }\nbad after (\n");
            assert!(split_point(&text).is_some());
            let (split, d1) = parse(&text, FileId(0));
            let (whole, d2) = parse_whole(&text, FileId(0), Vec::new());
            assert!(format!("{split:?}") == format!("{whole:?}"), "the trees differ under `{header}`");
            assert!(format!("{d1:?}") == format!("{d2:?}"), "the diagnostics differ under `{header}`");
            assert_eq!(d1.len(), errors + 1);
        }
    }

    #[test]
    fn an_unclosed_block_ends_where_its_indentation_says_and_spans_stay_in_the_file() {
        let text = "group g {\n  app a {\n    cmd \"x\"\n  app b {\n    cmd \"y\"\n  }\n}\n} }\n";
        let (tree, diags) = parse(text, FileId(0));
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["pkw::syntax::unclosed-brace", "pkw::syntax::unmatched-brace", "pkw::syntax::unmatched-brace"],
            "{diags:?}"
        );
        // The `{` of `app a` (line 2) is the unclosed one, not the group's.
        assert_eq!(diags[0].labels[0].span.start as usize, text.find("a {").unwrap() + 2);
        // `app b` is parsed as the group's second app, and its spans point at the file's own text.
        let Item::Statement(group) = &tree.items[0] else { panic!("{:?}", tree.items) };
        let apps: Vec<&Statement> = group.block_statements().collect();
        assert_eq!(apps.len(), 2);
        let b = apps[1];
        let (start, end) = (b.name.span.start as usize, b.name.span.end as usize);
        assert_eq!(&text[start..end], "app");
        assert_eq!(&text[b.span.start as usize..b.span.start as usize + 7], "app b {");
        // Every span lies in the file.
        assert!(tree.items.iter().all(|i| match i {
            Item::Statement(s) => s.span.end as usize <= text.len(),
            _ => true,
        }));
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let text = "{".repeat(200_000) + &"}".repeat(200_000);
        let (_, diags) = parse(&text, FileId(0));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, crate::diagnostics::Code::TooDeep);
    }
}
