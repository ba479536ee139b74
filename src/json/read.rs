//! Text → spanned JSON tree (`tree.rs`), with every problem Marathon would have with the text reported at
//! its exact byte. Invariant: reading never panics and never recurses: nesting is kept on an explicit stack
//! and bounded by `MAX_DEPTH`, so the tree's own drop and later passes over it stay far from the end of
//! the stack.
//!
//! Tokens come from dprint's `jsonc-parser` (`Scanner`, in its strict settings): its lexer decodes strings
//! (escapes, surrogate pairs), numbers and comments, and gives the byte range of each token. We build the
//! tree from its tokens ourselves rather than from its AST (`parse_to_ast`), for three reasons:
//! - speed: its AST is a second tree of the same size; building ours straight from tokens reads a 15 MB
//!   group dump (10,000 apps) in 0.8–1.05× the time serde_json takes to parse it into a `Value`, with half
//!   its peak memory, where the AST alone takes about serde_json's time before any copy into our tree;
//!   each array and object is allocated once, at its exact size;
//! - diagnostics: its parser either refuses trailing commas and comments (at the first one, with nothing
//!   after it) or accepts them silently; Marathon's users need to hear about each one, and still get the
//!   tree, and an error on broken JSON says what was expected where in plain words;
//! - strictness: the lexer is JSONC's, so what strict JSON forbids and it lets through (raw control
//!   characters in strings, form feeds and Unicode spaces between tokens, `01`) is checked here.
//!
//! The alternatives on crates.io were slower: `json-spanned-value` (serde_json through an `io::Read` that
//! counts bytes, so it also stops at the first trailing comma or comment) took 2.3–3.4× serde_json's time
//! on the same dump, and `spanned_json_parser` (nom) 2.9–3.3×.

use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::tokens::Token;
use jsonc_parser::{ParseStringErrorKind, Scanner, ScannerOptions};

use super::tree::{duplicate_keys, JMember, JNode, JNum, JValue};
use crate::diagnostics::{messages, Diagnostic};
use crate::source::{FileId, Span};

/// How deep arrays and objects may nest. A Marathon group dump of a deep tree of groups needs a few dozen
/// levels; Jackson, Marathon's reader, allows 1000 in its recent versions.
pub const MAX_DEPTH: usize = 256;

/// How many trailing-comma and duplicate-key warnings of a file are kept, each; the rest are counted
/// (as many as `limits::MAX_PRINTED` are printed anyway).
pub const MAX_SAME_KEPT: usize = crate::limits::MAX_PRINTED;

/// What the reader was waiting for when it met something else (for the wording of the error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The file's one value.
    Root,
    /// A member's value, after its `:`.
    ValueAfterColon,
    /// The first item of an array, or its `]`.
    ItemOrEnd,
    /// An item, after a `,` in an array.
    ItemAfterComma,
    /// The first key of an object, or its `}`.
    KeyOrEnd,
    /// A key, after a `,` in an object.
    KeyAfterComma,
    /// The `:` after a key.
    Colon,
    /// `,` or `}` after an object's member.
    CommaOrBrace,
    /// `,` or `]` after an array's item.
    CommaOrBracket,
}

/// What the reader met instead, in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found<'a> {
    /// `{`, `}`, `[`, `]`, `,`, `:`.
    Punct(&'a str),
    Str,
    Number(&'a str),
    /// `true`, `false`, `null`.
    Literal(&'a str),
    /// A bare word: `True`, `None`, `NaN`, an unquoted key.
    Word(&'a str),
    EndOfFile,
}

/// What is wrong with a number (strict JSON numbers, as Jackson reads them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberProblem {
    LeadingZero,
    Hexadecimal,
    LeadingPlus,
    BareDecimalPoint,
    DigitAfterMinus,
    Exponent,
}

/// Reads one JSON file. Valid JSON gives its tree and no diagnostic. Trailing commas (warnings),
/// comments and characters JSON forbids (errors) are reported and read past, and the tree is still built;
/// at any other syntax error the tree is `None` and the one diagnostic says where and why.
pub fn read(file: FileId, text: &str) -> (Option<JNode>, Vec<Diagnostic>) {
    // Jackson skips a UTF-8 byte order mark; so do we, keeping offsets those of the whole text.
    let base = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut reader = Reader {
        file,
        text,
        base,
        scanner: Scanner::new(&text[base..], &strict()),
        diagnostics: Vec::new(),
        warned: (0, 0),
        unsaid: [None, None],
        control: None,
        comments: Vec::new(),
        comment_count: 0,
        bad_space: None,
        stack: Vec::new(),
        members: Vec::new(),
        items: Vec::new(),
        want: Want::Root,
        last: Span::new(file, 0, 0),
    };
    let root = match reader.run() {
        Ok(root) => root,
        Err(fatal) => {
            let fatal = reader.template_instead(*fatal);
            reader.diagnostics.push(fatal);
            None
        }
    };
    let mut diagnostics = reader.diagnostics;
    if let Some((span, b, count)) = reader.control {
        diagnostics.push(messages::json_control_char(span, b, count));
    }
    if let Some((span, n)) = reader.unsaid[0] {
        diagnostics.push(messages::json_more_trailing_commas(span, n));
    }
    if let Some((span, n)) = reader.unsaid[1] {
        diagnostics.push(messages::json_more_duplicate_keys(span, n));
    }
    if let Some((span, c, count)) = reader.bad_space {
        diagnostics.push(messages::json_bad_whitespace(span, c, count));
    }
    if !reader.comments.is_empty() {
        diagnostics.push(messages::json_comments(&reader.comments, reader.comment_count));
    }
    crate::diagnostics::sort(&mut diagnostics);
    (root, diagnostics)
}

/// The lexer's strict settings: JSON, not JSON5 (comments are tokens it hands us, and reported here).
fn strict() -> ScannerOptions {
    ScannerOptions {
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// The state between two tokens.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Want {
    Root,
    /// A key or `}`; after a `,` (whose span it keeps) the `}` is a trailing comma.
    Key(Option<Span>),
    Colon,
    Value,
    /// A value or `]`; as for `Key`.
    Item(Option<Span>),
    /// `,` or the closing bracket of the innermost container.
    Next,
    Done,
}

/// An array or object being read: where it opened, where its members or items start in the shared
/// scratch list, and (for an object) the key whose value is being read.
enum Frame {
    Obj { open: Span, start: usize, key: String, key_span: Span },
    Arr { open: Span, start: usize },
}

type Fatal = Box<Diagnostic>;

struct Reader<'t> {
    file: FileId,
    text: &'t str,
    /// Where the scanner's text starts in `text` (past a byte order mark).
    base: usize,
    scanner: Scanner<'t>,
    diagnostics: Vec<Diagnostic>,
    /// Trailing-comma and duplicate-key warnings kept, at most `MAX_SAME_KEPT` each, and for each the
    /// first one left out and how many were.
    warned: (usize, usize),
    unsaid: [Option<(Span, usize)>; 2],
    /// The first control character inside a string, and how many there are.
    control: Option<(Span, u8, usize)>,
    /// The first comments (as many as a report draws), and how many there are.
    comments: Vec<Span>,
    comment_count: usize,
    /// The first character between tokens that is not JSON whitespace, and how many such there are.
    bad_space: Option<(Span, char, usize)>,
    stack: Vec<Frame>,
    /// The members of every open object, innermost last; an object's are moved out when it closes, so
    /// each object is allocated once, at its size.
    members: Vec<JMember>,
    items: Vec<JNode>,
    want: Want,
    /// The last complete value: what an error after it points back at.
    last: Span,
}

impl<'t> Reader<'t> {
    /// Keeps a trailing-comma or duplicate-key warning, or counts it past `MAX_SAME_KEPT` (a file of
    /// `[1,]` repeated would otherwise cost far more memory than its size).
    fn warn(&mut self, d: Diagnostic) {
        let (kept, unsaid) = match d.code {
            crate::diagnostics::Code::JsonTrailingComma => (&mut self.warned.0, &mut self.unsaid[0]),
            _ => (&mut self.warned.1, &mut self.unsaid[1]),
        };
        if *kept < MAX_SAME_KEPT {
            *kept += 1;
            self.diagnostics.push(d);
            return;
        }
        let span = d.labels.first().map_or(self.last, |l| l.span);
        match unsaid {
            Some((_, n)) => *n += 1,
            None => *unsaid = Some((span, 1)),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn run(&mut self) -> Result<Option<JNode>, Fatal> {
        let mut root = None;
        let mut prev_end = self.base;
        loop {
            let token = match self.scanner.scan() {
                Ok(token) => token,
                Err(e) => return Err(self.scan_error(&e)),
            };
            let (start, end) = (self.base + self.scanner.token_start(), self.base + self.scanner.token_end());
            self.check_gap(prev_end, start);
            prev_end = end;
            let span = self.span(start, end);
            let Some(token) = token else {
                return self.at_end(root);
            };
            match (self.want, token) {
                (_, Token::CommentLine(_) | Token::CommentBlock(_)) => {
                    if self.comments.len() < crate::limits::MAX_LABELS_SHOWN {
                        self.comments.push(span);
                    }
                    self.comment_count += 1;
                }
                (Want::Done, token) => {
                    return Err(Box::new(messages::json_trailing_text(span, found(&token), self.last)));
                }
                (Want::Key(_), Token::String(key)) => {
                    self.check_string(span)?;
                    if let Some(Frame::Obj { key: k, key_span, .. }) = self.stack.last_mut() {
                        *k = key.into_owned();
                        *key_span = span;
                    }
                    self.want = Want::Colon;
                }
                (Want::Key(comma), Token::CloseBrace) => {
                    if let Some(comma) = comma {
                        self.warn(messages::json_trailing_comma(comma, span, true));
                    }
                    self.close(span, &mut root);
                }
                (Want::Colon, Token::Colon) => self.want = Want::Value,
                (Want::Next, Token::Comma) => {
                    self.want = match self.stack.last() {
                        Some(Frame::Obj { .. }) => Want::Key(Some(span)),
                        _ => Want::Item(Some(span)),
                    }
                }
                (Want::Next, Token::CloseBrace) if matches!(self.stack.last(), Some(Frame::Obj { .. })) => {
                    self.close(span, &mut root)
                }
                (Want::Next, Token::CloseBracket) if matches!(self.stack.last(), Some(Frame::Arr { .. })) => {
                    self.close(span, &mut root)
                }
                (Want::Item(comma), Token::CloseBracket) => {
                    if let Some(comma) = comma {
                        self.warn(messages::json_trailing_comma(comma, span, false));
                    }
                    self.close(span, &mut root);
                }
                (Want::Root | Want::Value | Want::Item(_), token) => match token {
                    Token::OpenBrace | Token::OpenBracket => {
                        if self.stack.len() >= MAX_DEPTH {
                            return Err(Box::new(messages::json_too_deep(span, MAX_DEPTH)));
                        }
                        let frame = if token == Token::OpenBrace {
                            self.want = Want::Key(None);
                            Frame::Obj { open: span, start: self.members.len(), key: String::new(), key_span: span }
                        } else {
                            self.want = Want::Item(None);
                            Frame::Arr { open: span, start: self.items.len() }
                        };
                        self.stack.push(frame);
                    }
                    Token::String(s) => {
                        self.check_string(span)?;
                        self.place(JNode::new(JValue::Str(s.into_owned()), span), &mut root);
                    }
                    Token::Number(n) => {
                        if (n == "0" || n == "-0") && self.text.as_bytes().get(end).is_some_and(u8::is_ascii_digit) {
                            let digits = self.text[end..].bytes().take_while(u8::is_ascii_digit).count();
                            let span = self.span(start, end + digits);
                            return Err(Box::new(messages::json_bad_number(span, NumberProblem::LeadingZero)));
                        }
                        self.place(JNode::new(JValue::Num(JNum::new(n)), span), &mut root);
                    }
                    Token::Boolean(b) => self.place(JNode::new(JValue::Bool(b), span), &mut root),
                    Token::Null => self.place(JNode::new(JValue::Null, span), &mut root),
                    other => return Err(self.expected(span, found(&other))),
                },
                (_, other) => return Err(self.expected(span, found(&other))),
            }
        }
    }

    /// What `want` means, in the innermost container.
    fn expected_now(&self) -> Expected {
        let in_object = matches!(self.stack.last(), Some(Frame::Obj { .. }));
        match self.want {
            Want::Root | Want::Done => Expected::Root,
            Want::Value => Expected::ValueAfterColon,
            Want::Item(None) => Expected::ItemOrEnd,
            Want::Item(Some(_)) => Expected::ItemAfterComma,
            Want::Key(None) => Expected::KeyOrEnd,
            Want::Key(Some(_)) => Expected::KeyAfterComma,
            Want::Colon => Expected::Colon,
            Want::Next if in_object => Expected::CommaOrBrace,
            Want::Next => Expected::CommaOrBracket,
        }
    }

    fn expected(&self, span: Span, found: Found) -> Fatal {
        let expected = self.expected_now();
        // What the reader had just read: the member or item before a missing `,`, the key before `:`.
        let after = match (self.want, self.stack.last()) {
            (Want::Next, _) => Some(self.last),
            (Want::Colon, Some(Frame::Obj { key_span, .. })) => Some(*key_span),
            _ => None,
        };
        Box::new(messages::json_expected(span, expected, found, after))
    }

    /// A complete value goes into the innermost open container, or is the file's value.
    fn place(&mut self, node: JNode, root: &mut Option<JNode>) {
        self.last = node.span;
        self.want = Want::Next;
        match self.stack.last_mut() {
            None => {
                *root = Some(node);
                self.want = Want::Done;
            }
            Some(Frame::Obj { key, key_span, .. }) => {
                self.members.push(JMember { key: std::mem::take(key), key_span: *key_span, value: node })
            }
            Some(Frame::Arr { .. }) => self.items.push(node),
        }
    }

    /// Closes the innermost container at its `}` or `]` (the caller has checked which it is).
    fn close(&mut self, closer: Span, root: &mut Option<JNode>) {
        let node = match self.stack.pop() {
            Some(Frame::Obj { open, start, .. }) => {
                let members: Vec<JMember> = self.members.drain(start..).collect();
                for (first, later) in duplicate_keys(&members) {
                    let d = messages::json_duplicate_key(later.key_span, first.key_span, &later.key);
                    self.warn(d);
                }
                JNode::new(JValue::Obj(members), open.to(closer))
            }
            Some(Frame::Arr { open, start }) => {
                let items: Vec<JNode> = self.items.drain(start..).collect();
                JNode::new(JValue::Arr(items), open.to(closer))
            }
            None => return,
        };
        self.place(node, root);
    }

    fn at_end(&mut self, root: Option<JNode>) -> Result<Option<JNode>, Fatal> {
        if self.want == Want::Done {
            return Ok(root);
        }
        let trimmed = self.text.trim_end();
        let last = match trimmed.chars().next_back() {
            Some(c) => self.span(trimmed.len() - c.len_utf8(), trimmed.len()),
            None => self.span(0, 0),
        };
        match self.stack.last() {
            None => Err(Box::new(messages::json_empty(last, !self.comments.is_empty()))),
            Some(Frame::Obj { open, .. }) => Err(Box::new(messages::json_unclosed(last, *open, true))),
            Some(Frame::Arr { open, .. }) => Err(Box::new(messages::json_unclosed(last, *open, false))),
        }
    }

    /// Raw control characters in a string: a line break means the string was never closed on its line
    /// (the lexer read on to the next `"`); any other is an error read past.
    fn check_string(&mut self, span: Span) -> Result<(), Fatal> {
        let raw = &self.text.as_bytes()[span.range()];
        if !raw.iter().any(|b| *b < 0x20) {
            return Ok(());
        }
        for (i, b) in raw.iter().enumerate().filter(|(_, b)| **b < 0x20) {
            let at = span.start as usize + i;
            if matches!(b, b'\n' | b'\r') {
                return Err(Box::new(messages::json_unterminated_string(
                    self.span(span.start as usize, span.start as usize + 1),
                    self.span(at, at),
                )));
            }
            match &mut self.control {
                Some((_, _, n)) => *n += 1,
                None => self.control = Some((self.span(at, at + 1), *b, 1)),
            }
        }
        Ok(())
    }

    /// Between two tokens only JSON's four whitespace characters may stand (the lexer also skips form
    /// feeds, vertical tabs and Unicode spaces, which Jackson refuses).
    fn check_gap(&mut self, from: usize, to: usize) {
        let gap = &self.text.as_bytes()[from.min(to)..to];
        if gap.iter().all(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t')) {
            return;
        }
        for (i, c) in self.text[from..to].char_indices() {
            if matches!(c, ' ' | '\n' | '\r' | '\t') {
                continue;
            }
            let span = self.span(from + i, from + i + c.len_utf8());
            match &mut self.bad_space {
                Some((_, _, n)) => *n += 1,
                None => self.bad_space = Some((span, c, 1)),
            }
        }
    }

    /// The diagnostic for an error of the lexer.
    fn scan_error(&mut self, e: &ParseError) -> Fatal {
        let (start, end) = (self.base + e.range().start, (self.base + e.range().end).min(self.text.len()));
        let span = self.span(start, end);
        let at = |reader: &Self| {
            let c = reader.text.get(start..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8);
            reader.span(start, start + c)
        };
        Box::new(match e.kind() {
            ParseErrorKind::String(ParseStringErrorKind::UnterminatedStringLiteral) => {
                let line_end = self.text[start..].find(['\n', '\r']).map_or(self.text.len(), |i| start + i);
                messages::json_unterminated_string(self.span(start, start + 1), self.span(line_end, line_end))
            }
            ParseErrorKind::String(ParseStringErrorKind::InvalidEscape)
            | ParseErrorKind::String(ParseStringErrorKind::InvalidEscapeInDoubleQuoteString) => {
                messages::json_bad_escape(span, self.text.get(span.range()).unwrap_or(""))
            }
            ParseErrorKind::String(_) => {
                // `\u` with fewer than four hex digits, or half of a surrogate pair.
                let mut end = (start + 6).min(self.text.len());
                while !self.text.is_char_boundary(end) {
                    end -= 1;
                }
                let escape = self.text.get(start..end).unwrap_or("\\u");
                messages::json_bad_unicode_escape(self.span(start, end), escape)
            }
            ParseErrorKind::SingleQuotedStringsNotAllowed => messages::json_single_quoted(at(self)),
            ParseErrorKind::HexadecimalNumbersNotAllowed => messages::json_bad_number(span, NumberProblem::Hexadecimal),
            ParseErrorKind::UnaryPlusNumbersNotAllowed => {
                messages::json_bad_number(at(self), NumberProblem::LeadingPlus)
            }
            ParseErrorKind::BareDecimalPointNumbersNotAllowed => {
                messages::json_bad_number(span, NumberProblem::BareDecimalPoint)
            }
            ParseErrorKind::ExpectedDigitFollowingNegativeSign => {
                messages::json_bad_number(span, NumberProblem::DigitAfterMinus)
            }
            ParseErrorKind::ExpectedDigit | ParseErrorKind::ExpectedPlusMinusOrDigitInNumberLiteral => {
                messages::json_bad_number(span, NumberProblem::Exponent)
            }
            ParseErrorKind::UnterminatedCommentBlock => messages::json_unclosed_comment(self.span(start, start + 2)),
            _ => {
                // A bare word ended by something other than a space or `:` (`True}`), or a character that
                // starts no token (`@`, `#`, a lone `/`).
                let text = self.text.get(start..end).unwrap_or("");
                if !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '$')) {
                    return self.expected(span, Found::Word(text));
                }
                let c = text.chars().next().unwrap_or(' ');
                messages::json_unexpected_char(at(self), c)
            }
        })
    }

    /// A fatal error inside a template placeholder (`{{COUNT}}`, `${PORT}`, `{% if %}`) is the placeholder's:
    /// the file is a template, to render before it is JSON.
    fn template_instead(&self, fatal: Diagnostic) -> Diagnostic {
        let at = fatal.labels.iter().find(|l| l.primary).map_or(0, |l| l.span.start as usize);
        match placeholder_at(self.text, at) {
            Some((start, end)) => messages::json_template(self.span(start, end), &self.text[start..end]),
            None => fatal,
        }
    }
}

fn found<'a>(token: &Token<'a>) -> Found<'a> {
    match token {
        Token::OpenBrace => Found::Punct("{"),
        Token::CloseBrace => Found::Punct("}"),
        Token::OpenBracket => Found::Punct("["),
        Token::CloseBracket => Found::Punct("]"),
        Token::Comma => Found::Punct(","),
        Token::Colon => Found::Punct(":"),
        Token::String(_) => Found::Str,
        Token::Number(n) => Found::Number(n),
        Token::Boolean(true) => Found::Literal("true"),
        Token::Boolean(false) => Found::Literal("false"),
        Token::Null => Found::Literal("null"),
        Token::Word(w) => Found::Word(w),
        Token::CommentLine(_) | Token::CommentBlock(_) => Found::Punct("/"),
    }
}

/// The template placeholder on `at`'s line that covers `at`: `{{…}}`, `{%…%}` or `${…}`, closed on
/// the same line. Its byte range.
pub fn placeholder_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let at = at.min(text.len());
    let bytes = text.as_bytes();
    let line_start = bytes[..at].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let line_end = bytes[at..].iter().position(|b| *b == b'\n').map_or(text.len(), |i| at + i);
    let line = &bytes[line_start..line_end];
    let mut i = 0;
    while i + 1 < line.len() {
        let close: &[u8] = match (line[i], line[i + 1]) {
            (b'{', b'{') => b"}}",
            (b'{', b'%') => b"%}",
            (b'$', b'{') => b"}",
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(len) = line[i + 2..].windows(close.len()).position(|w| w == close) else {
            i += 1;
            continue;
        };
        let (start, end) = (line_start + i, line_start + i + 2 + len + close.len());
        if (start..end).contains(&at) {
            return Some((start, end));
        }
        i = end - line_start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Severity};

    fn codes(text: &str) -> Vec<(Code, Severity)> {
        read(FileId(0), text).1.iter().map(|d| (d.code, d.severity)).collect()
    }

    /// The code and the primary label's byte range of the only diagnostic.
    fn one(text: &str) -> (Code, std::ops::Range<usize>) {
        let (_, d) = read(FileId(0), text);
        assert_eq!(d.len(), 1, "{text:?}: {d:#?}");
        let primary = d[0].labels.iter().find(|l| l.primary).expect("a primary label");
        (d[0].code, primary.span.range())
    }

    #[test]
    fn valid_json_reads_into_a_tree_with_spans() {
        let text = r#" {"id": "/web", "instances": 2, "cpus": 0.5, "ok": true, "no": null, "args": ["a", "b\n"]} "#;
        let (root, d) = read(FileId(3), text);
        assert!(d.is_empty(), "{d:#?}");
        let root = root.unwrap();
        assert_eq!(root.span.range(), 1..text.len() - 1);
        assert_eq!(root.span.file, FileId(3));
        assert_eq!(root.get("id").and_then(JNode::as_str), Some("/web"));
        let instances = root.member("instances").unwrap();
        assert_eq!(&text[instances.key_span.range()], r#""instances""#);
        assert_eq!(&text[instances.value.span.range()], "2");
        assert!(instances.value.as_num().unwrap().is_integer());
        assert_eq!(root.get("cpus").and_then(JNode::as_num).map(JNum::text), Some("0.5"));
        assert_eq!(root.get("ok").and_then(JNode::as_bool), Some(true));
        assert!(root.get("no").unwrap().is_null());
        let args = root.get("args").and_then(JNode::items).unwrap();
        assert_eq!(args[1].as_str(), Some("b\n"));
        assert_eq!(&text[args[1].span.range()], r#""b\n""#);
    }

    #[test]
    fn every_kind_of_root_reads() {
        for text in ["1", "-0.5e-3", "\"x\"", "true", "null", "[]", "{}", "[[[]]]", "\u{feff}{}"] {
            let (root, d) = read(FileId(0), text);
            assert!(root.is_some() && d.is_empty(), "{text}: {d:#?}");
        }
    }

    #[test]
    fn trailing_commas_warn_at_the_comma_and_keep_the_tree() {
        let text = "{\"a\": [1, 2,], \"b\": 3,}";
        let (root, d) = read(FileId(0), text);
        let root = root.unwrap();
        assert_eq!(root.get("a").and_then(JNode::items).map(<[JNode]>::len), Some(2));
        assert_eq!(root.get("b").and_then(JNode::as_num).map(JNum::text), Some("3"));
        let commas: Vec<_> = d.iter().map(|d| (d.code, d.severity, d.labels[0].span.range())).collect();
        assert_eq!(
            commas,
            [
                (Code::JsonTrailingComma, Severity::Warning, 11..12),
                (Code::JsonTrailingComma, Severity::Warning, 21..22)
            ]
        );
    }

    #[test]
    fn comments_are_one_error_and_the_tree_is_kept() {
        let text = "// app\n{\"a\": /* two */ 2}\n";
        let (root, d) = read(FileId(0), text);
        assert_eq!(root.unwrap().get("a").and_then(JNode::as_num).map(JNum::text), Some("2"));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].severity), (Code::JsonComment, Severity::Error));
        let spans: Vec<_> = d[0].labels.iter().map(|l| &text[l.span.range()]).collect();
        assert_eq!(spans, ["// app", "/* two */"]);
    }

    #[test]
    fn syntax_errors_point_at_the_byte() {
        assert_eq!(one(r#"{"a": 1 "b": 2}"#), (Code::JsonSyntax, 8..11));
        assert_eq!(one(r#"{"a" 1}"#), (Code::JsonSyntax, 5..6));
        assert_eq!(one(r#"{"a": }"#), (Code::JsonSyntax, 6..7));
        assert_eq!(one(r#"[1 2]"#), (Code::JsonSyntax, 3..4));
        assert_eq!(one(r#"[1}"#), (Code::JsonSyntax, 2..3));
        assert_eq!(one(r#"{a: 1}"#), (Code::JsonSyntax, 1..2));
        assert_eq!(one(r#"{"a": True}"#), (Code::JsonSyntax, 6..10));
        assert_eq!(one(r#"{"a": 'x'}"#), (Code::JsonSyntax, 6..7));
        assert_eq!(one(r#"{"a": 01}"#), (Code::JsonSyntax, 6..8));
        assert_eq!(one(r#"{"a": 0x1F}"#).0, Code::JsonSyntax);
        assert_eq!(one(r#"{"a": +1}"#), (Code::JsonSyntax, 6..7));
        assert_eq!(one(r#"{"a": 1.}"#).0, Code::JsonSyntax);
        assert_eq!(one(r#"{"a": -}"#).0, Code::JsonSyntax);
        assert_eq!(one(r#"{"a": "\q"}"#), (Code::JsonSyntax, 7..9));
        assert_eq!(one(r#"{"a": "\u12"}"#).0, Code::JsonSyntax);
        assert_eq!(one(r#"{"a": "\ud800"}"#).0, Code::JsonSyntax);
        assert_eq!(one(r#"{"a": @}"#), (Code::JsonSyntax, 6..7));
        assert_eq!(one(r#"{} {}"#), (Code::JsonSyntax, 3..4));
        assert_eq!(one("{\"a\": \"x\n}"), (Code::JsonSyntax, 6..7));
        assert_eq!(one("{\"a\": \"x"), (Code::JsonSyntax, 6..7));
        assert_eq!(one("{\"a\": [1, 2"), (Code::JsonSyntax, 10..11));
        assert_eq!(one("{\"a\": 1 /* x"), (Code::JsonComment, 8..10));
    }

    #[test]
    fn control_characters_and_odd_spaces_are_errors_read_past() {
        let (root, d) = read(FileId(0), "{\"a\":\u{a0}\"x\ty\"}\u{c}");
        assert!(root.is_some());
        let found: Vec<_> = d.iter().map(|d| (d.code, d.labels[0].span.range())).collect();
        assert_eq!(found, [(Code::JsonSyntax, 5..7), (Code::JsonSyntax, 9..10)]);
    }

    #[test]
    fn placeholders_make_a_template_error() {
        assert_eq!(one("{\"instances\": {{COUNT}}}"), (Code::JsonTemplate, 14..23));
        assert_eq!(one("{\"mem\": ${MEM}}"), (Code::JsonTemplate, 8..14));
        assert_eq!(one("[\n{% for a in apps %}\n]"), (Code::JsonTemplate, 2..21));
        // Inside strings, placeholders are text.
        assert!(codes(r#"{"image": "{{IMAGE}}", "cmd": "run ${X}"}"#).is_empty());
    }

    #[test]
    fn duplicate_keys_warn_with_both_spans() {
        let text = r#"{"a": 1, "a": 2}"#;
        let (root, d) = read(FileId(0), text);
        assert_eq!(root.unwrap().get("a").and_then(JNode::as_num).map(JNum::text), Some("2"));
        assert_eq!((d[0].code, d[0].severity), (Code::JsonDuplicateKey, Severity::Warning));
        let spans: Vec<_> = d[0].labels.iter().map(|l| (l.primary, l.span.range())).collect();
        assert_eq!(spans, [(true, 9..12), (false, 1..4)]);
    }

    #[test]
    fn empty_files_are_an_error() {
        for text in ["", "  \n\t", "// nothing\n"] {
            assert!(codes(text).contains(&(Code::JsonEmpty, Severity::Error)), "{text:?}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(one(&deep), (Code::JsonTooDeep, MAX_DEPTH..MAX_DEPTH + 1));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(codes(&ok).is_empty());
    }

    #[test]
    fn repeated_problems_cost_a_bounded_number_of_diagnostics() {
        let many = format!("[{}[]]", "[1,],".repeat(MAX_SAME_KEPT + 5));
        let d = read(FileId(0), &many).1;
        assert_eq!(d.len(), MAX_SAME_KEPT + 1);
        assert_eq!(d[MAX_SAME_KEPT].message, "5 more trailing commas");
        assert_eq!(d[MAX_SAME_KEPT].labels[0].span.range(), 5 * MAX_SAME_KEPT + 3..5 * MAX_SAME_KEPT + 4);
        let tabs = "[\"\t\t\", \"\t\"] // a\n// b\n";
        let d = read(FileId(0), tabs).1;
        let messages: Vec<_> = d.iter().map(|d| (d.code, d.message.as_str(), d.labels.len())).collect();
        assert_eq!(
            messages,
            [
                (Code::JsonSyntax, "a tab inside a string (3 in the file's strings)", 1),
                (Code::JsonComment, "2 comments in a JSON file", 2)
            ]
        );
    }

    #[test]
    fn no_input_panics() {
        let text = "\u{feff}{\"a\": [1, -2.5e3, \"\\u00e9\\ud83d\\ude00\", true, null, {\"b\": {}}], \"c\": \"é\",}";
        for end in 0..=text.len() {
            if let Some(prefix) = text.get(..end) {
                let _ = read(FileId(0), prefix);
            }
        }
        for bytes in ["\u{0}", "\\", "\"\\", "/", "/*", "{\"", "[-", "1e", "{{", "${", "\u{2028}"] {
            let _ = read(FileId(0), bytes);
        }
    }
}
