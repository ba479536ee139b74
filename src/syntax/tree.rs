//! The syntax tree: statements, arguments and comments in source order, each with its byte span.
//! Nothing here knows what a directive means; that is the schema table's job.

use crate::source::{Span, Spanned};

/// A parsed file: its top-level statements and comments, in order.
#[derive(Clone, Debug, Default)]
pub struct SyntaxFile {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug)]
pub enum Item {
    Statement(Statement),
    Comment(Comment),
    /// A statement that did not parse (already reported); kept so later phases know the block is partial.
    Error(Span),
}

#[derive(Clone, Debug)]
pub struct Comment {
    /// The comment text including the leading `#`, without the line break.
    pub text: String,
    pub span: Span,
}

/// `directive argument* block?`
#[derive(Clone, Debug)]
pub struct Statement {
    pub name: Spanned<String>,
    pub args: Vec<Arg>,
    pub block: Option<Block>,
    pub span: Span,
}

impl Statement {
    /// The statements of the block, if any, without the comments.
    pub fn block_statements(&self) -> impl Iterator<Item = &Statement> {
        self.block.iter().flat_map(|b| b.statements())
    }
}

#[derive(Clone, Debug)]
pub struct Block {
    pub items: Vec<Item>,
    /// From `{` to `}` inclusive.
    pub span: Span,
}

impl Block {
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.items.iter().filter_map(|i| match i {
            Item::Statement(s) => Some(s),
            _ => None,
        })
    }

    /// Whether a statement of this block failed to parse.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|i| matches!(i, Item::Error(_)))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub value: Value,
    pub span: Span,
}

/// A number as written: the text is kept so that `4` and `4.0` stay distinguishable and nothing is rounded
/// before the checker decides what the number is for.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub text: String,
}

impl Number {
    pub fn is_integer(&self) -> bool {
        !self.text.contains('.')
    }
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse().ok()
    }
    pub fn as_f64(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Text(String),
    /// `${name}`
    Interp(Spanned<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A bare word: keyword, flag, enumerated value or name.
    Word(String),
    Str(Vec<StrPart>),
    Number(Number),
    /// A number with a unit: `512MiB`, `30s`.
    Quantity {
        number: Number,
        unit: Spanned<String>,
    },
    Percent(Number),
    /// A port with its protocol: `53/udp`.
    Port {
        number: Number,
        protocol: Spanned<String>,
    },
    /// `7000-10000`
    Range {
        start: Number,
        end: Number,
    },
    /// `$name`
    Reference(String),
    /// `/a/b`, `../a`, `./a`
    Path(String),
    /// `dns(../db/cassandra-seed)`
    Call {
        name: Spanned<String>,
        args: Vec<Arg>,
    },
}

impl Value {
    /// The kind of value in the user's words, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Word(_) => "a word",
            Value::Str(_) => "a string",
            Value::Number(n) if n.is_integer() => "an integer",
            Value::Number(_) => "a decimal number",
            Value::Quantity { unit, .. } => match crate::units::classify(&unit.value) {
                Some(crate::units::UnitKind::Size) => "a size",
                Some(crate::units::UnitKind::Duration) => "a duration",
                None => "a number with a unit",
            },
            Value::Percent(_) => "a percentage",
            Value::Port { .. } => "a port with a protocol",
            Value::Range { .. } => "a port range",
            Value::Reference(_) => "a `$` reference",
            Value::Path(_) => "a path",
            Value::Call { .. } => "a call",
        }
    }

    /// The string's text when it has no interpolation.
    pub fn plain_string(&self) -> Option<String> {
        match self {
            Value::Str(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        StrPart::Text(t) => s.push_str(t),
                        StrPart::Interp(_) => return None,
                    }
                }
                Some(s)
            }
            _ => None,
        }
    }
}

impl Statement {
    /// A copy whose every span is marked as instantiated by expansion `via`.
    pub fn instantiated(&self, via: u32) -> Statement {
        let mark = |s: Span| Span { via, ..s };
        Statement {
            name: Spanned::new(self.name.value.clone(), mark(self.name.span)),
            args: self.args.iter().map(|a| a.instantiated(via)).collect(),
            block: self.block.as_ref().map(|b| Block {
                items: b
                    .items
                    .iter()
                    .map(|i| match i {
                        Item::Statement(s) => Item::Statement(s.instantiated(via)),
                        Item::Comment(c) => Item::Comment(Comment { text: c.text.clone(), span: mark(c.span) }),
                        Item::Error(s) => Item::Error(mark(*s)),
                    })
                    .collect(),
                span: mark(b.span),
            }),
            span: mark(self.span),
        }
    }

    /// Calls `f` with every name this statement and its block refer to (`$name`, `${name}`).
    pub fn references(&self, f: &mut impl FnMut(&str)) {
        for arg in &self.args {
            arg.value.references(f);
        }
        for s in self.block_statements() {
            s.references(f);
        }
    }
}

impl Arg {
    pub fn instantiated(&self, via: u32) -> Arg {
        let mark = |s: Span| Span { via, ..s };
        let value = match &self.value {
            Value::Str(parts) => Value::Str(
                parts
                    .iter()
                    .map(|p| match p {
                        StrPart::Text(t) => StrPart::Text(t.clone()),
                        StrPart::Interp(n) => StrPart::Interp(Spanned::new(n.value.clone(), mark(n.span))),
                    })
                    .collect(),
            ),
            Value::Quantity { number, unit } => {
                Value::Quantity { number: number.clone(), unit: Spanned::new(unit.value.clone(), mark(unit.span)) }
            }
            Value::Port { number, protocol } => Value::Port {
                number: number.clone(),
                protocol: Spanned::new(protocol.value.clone(), mark(protocol.span)),
            },
            Value::Call { name, args } => Value::Call {
                name: Spanned::new(name.value.clone(), mark(name.span)),
                args: args.iter().map(|a| a.instantiated(via)).collect(),
            },
            other => other.clone(),
        };
        Arg { value, span: mark(self.span) }
    }
}

impl Value {
    pub fn references(&self, f: &mut impl FnMut(&str)) {
        match self {
            Value::Reference(name) => f(name),
            Value::Str(parts) => {
                for p in parts {
                    if let StrPart::Interp(n) = p {
                        f(&n.value);
                    }
                }
            }
            Value::Call { args, .. } => {
                for a in args {
                    a.value.references(f);
                }
            }
            _ => {}
        }
    }
}
