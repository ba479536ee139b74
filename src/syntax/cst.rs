//! The lossless tree: the parsed statements (`SyntaxFile`) laid over the tokens (`tokens`), so that every
//! byte of the file sits in exactly one token and every token in the innermost node that holds it. Printing
//! the tokens in tree order gives back the file byte for byte, braces that did not balance included: a block
//! the parser closed by indentation is a `Block` with no `}`, a `}` that closes nothing is an `Error` node,
//! and a line that is not a statement is an `Error` node with its tokens. Editor tools and the parse-tree
//! tests (`tests/parser.rs`) read it; the compiler reads `SyntaxFile`.

use super::tokens::{tokenize, Token, TokenKind};
use super::tree::{Item, Statement, SyntaxFile, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    File,
    Statement,
    /// A statement's first word.
    Name,
    /// One argument, by what it is: `Arg("word")`, `Arg("string")`, `Arg("reference")`, …
    Arg(&'static str),
    Block,
    /// What did not parse: a line that is not a statement, a `}` that closes nothing.
    Error,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub start: usize,
    pub end: usize,
    pub children: Vec<Child>,
}

#[derive(Clone, Debug)]
pub enum Child {
    Node(Node),
    Token(Token),
}

/// The lossless tree of `text`, whose parse is `tree`.
pub fn build(text: &str, tree: &SyntaxFile) -> Node {
    let mut shapes = Vec::new();
    for item in &tree.items {
        shape_item(item, &mut shapes);
    }
    let tokens = tokenize(text);
    let mut next = 0;
    let mut root = Node { kind: NodeKind::File, start: 0, end: text.len(), children: Vec::new() };
    fill(&mut root, &shapes, &tokens, &mut next);
    root
}

/// A node before it holds its tokens: kind, range, inner nodes.
struct Shape {
    kind: NodeKind,
    start: usize,
    end: usize,
    inner: Vec<Shape>,
}

fn shape_item(item: &Item, out: &mut Vec<Shape>) {
    match item {
        Item::Statement(s) => out.push(shape_statement(s)),
        Item::Error(span) => out.push(Shape {
            kind: NodeKind::Error,
            start: span.start as usize,
            end: span.end as usize,
            inner: Vec::new(),
        }),
        // A comment is a token of its own.
        Item::Comment(_) => {}
    }
}

fn shape_statement(s: &Statement) -> Shape {
    let mut inner = vec![Shape {
        kind: NodeKind::Name,
        start: s.name.span.start as usize,
        end: s.name.span.end as usize,
        inner: Vec::new(),
    }];
    for a in &s.args {
        let kind = match &a.value {
            Value::Word(_) => "word",
            Value::Str(_) => "string",
            Value::Number(_) => "number",
            Value::Quantity { .. } => "quantity",
            Value::Percent(_) => "percent",
            Value::Port { .. } => "port",
            Value::Range { .. } => "range",
            Value::Reference(_) => "reference",
            Value::Path(_) => "path",
            Value::Call { .. } => "call",
        };
        inner.push(Shape {
            kind: NodeKind::Arg(kind),
            start: a.span.start as usize,
            end: a.span.end as usize,
            inner: Vec::new(),
        });
    }
    if let Some(b) = &s.block {
        let mut items = Vec::new();
        for i in &b.items {
            shape_item(i, &mut items);
        }
        inner.push(Shape {
            kind: NodeKind::Block,
            start: b.span.start as usize,
            end: b.span.end as usize,
            inner: items,
        });
    }
    Shape { kind: NodeKind::Statement, start: s.span.start as usize, end: s.span.end as usize, inner }
}

/// Puts the tokens from `next` that start inside `node` into it, descending into `shapes` (its inner
/// nodes, in order). A `}` that is not the last token of a block is an error node of its own.
fn fill(node: &mut Node, shapes: &[Shape], tokens: &[Token], next: &mut usize) {
    let mut shapes = shapes.iter().peekable();
    while let Some(&t) = tokens.get(*next) {
        if t.start >= node.end && node.kind != NodeKind::File {
            return;
        }
        // Inner nodes the tokens have passed (a span that holds no token start).
        while shapes.peek().is_some_and(|s| s.end <= t.start && s.start < t.start) {
            shapes.next();
        }
        if let Some(s) = shapes.peek().filter(|s| s.start <= t.start && t.start < s.end.max(s.start + 1)) {
            let mut child = Node { kind: s.kind, start: s.start, end: s.end, children: Vec::new() };
            fill(&mut child, &s.inner, tokens, next);
            // A node ends with its last token (a span may stop inside one).
            if let Some(Child::Token(last)) = child.children.last() {
                child.end = child.end.max(last.end);
            }
            node.children.push(Child::Node(child));
            shapes.next();
            continue;
        }
        *next += 1;
        let closes_block = node.kind == NodeKind::Block && t.end == node.end;
        if t.kind == TokenKind::CloseBrace && !closes_block {
            let children = vec![Child::Token(t)];
            node.children.push(Child::Node(Node { kind: NodeKind::Error, start: t.start, end: t.end, children }));
        } else {
            node.children.push(Child::Token(t));
        }
    }
}

/// The tree as text, one node or token a line, indented by depth, in the style of rust-analyzer's parser
/// tests: `STATEMENT@0..12`, `TEXT@0..5 "group"`.
pub fn dump(node: &Node, text: &str) -> String {
    let mut out = String::new();
    dump_into(node, text, 0, &mut out);
    out
}

fn dump_into(node: &Node, text: &str, depth: usize, out: &mut String) {
    let kind = match node.kind {
        NodeKind::File => "FILE".to_string(),
        NodeKind::Statement => "STATEMENT".to_string(),
        NodeKind::Name => "NAME".to_string(),
        NodeKind::Arg(k) => format!("ARG:{k}"),
        NodeKind::Block => "BLOCK".to_string(),
        NodeKind::Error => "ERROR".to_string(),
    };
    out.push_str(&format!("{:indent$}{kind}@{}..{}\n", "", node.start, node.end, indent = depth * 2));
    for child in &node.children {
        match child {
            Child::Node(n) => dump_into(n, text, depth + 1, out),
            Child::Token(t) => {
                let kind = match t.kind {
                    TokenKind::Space => "SPACE",
                    TokenKind::Newline => "NEWLINE",
                    TokenKind::Comment => "COMMENT",
                    TokenKind::Str => "STRING",
                    TokenKind::OpenBrace => "L_BRACE",
                    TokenKind::CloseBrace => "R_BRACE",
                    TokenKind::Semicolon => "SEMICOLON",
                    TokenKind::Text => "TEXT",
                };
                out.push_str(&format!(
                    "{:indent$}{kind}@{}..{} {:?}\n",
                    "",
                    t.start,
                    t.end,
                    t.text(text),
                    indent = (depth + 1) * 2
                ));
            }
        }
    }
}

/// The tokens of the tree, in order: printed, they are the file.
pub fn tokens(node: &Node) -> Vec<Token> {
    let mut out = Vec::new();
    let mut stack = vec![node.children.iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(Child::Token(t)) => out.push(*t),
            Some(Child::Node(n)) => stack.push(n.children.iter()),
            None => {
                stack.pop();
            }
        }
    }
    out
}
