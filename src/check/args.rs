//! Matches a statement's arguments against its directive's schema entry: positional arguments by kind,
//! keyword options (on the line or in the block), flags. Every mismatch becomes a diagnostic; what matched
//! is returned as typed values with their spans.

use crate::diagnostics::{messages, Diagnostic};
use crate::model::{Num, Protocol};
use crate::schema::{self, Body, Directive, Kind};
use crate::source::{Span, Spanned};
use crate::syntax::{Arg, Statement, Value};
use crate::units::{self, UnitKind};

/// A value converted to the kind its schema entry asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    /// Names, keys, texts and file-system paths.
    Text(String),
    Int(i64),
    Num(Num),
    /// MiB.
    Size(f64),
    /// Whole seconds.
    Seconds(u64),
    Fraction(f64),
    Port {
        number: u16,
        protocol: Protocol,
        written: bool,
    },
    Range(u16, u16),
    /// An app or group path as written.
    Path(String),
    Enum(&'static str),
    /// A `KEY VALUE` option (`Kind::Entry`).
    Pair(Box<(Spanned<String>, Spanned<String>)>),
}

pub type TypedArg = Spanned<Typed>;

/// The arguments of one statement, matched against its directive.
#[derive(Debug, Default)]
pub struct Matched {
    /// One entry per schema argument: the values given for it (several for a variadic argument).
    pub positional: Vec<Vec<TypedArg>>,
    /// Options in the order written: (option name, value or `None` for a flag, span of the keyword).
    pub options: Vec<(&'static str, Option<TypedArg>, Span)>,
}

impl Matched {
    pub fn arg(&self, index: usize) -> Option<&TypedArg> {
        self.positional.get(index).and_then(|v| v.first())
    }

    pub fn option(&self, name: &str) -> Option<&TypedArg> {
        self.options.iter().find(|(n, _, _)| *n == name).and_then(|(_, v, _)| v.as_ref())
    }

    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _, _)| *n == name)
    }

    /// Every value of a repeatable option, in the order written.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a TypedArg> + 'a {
        self.options.iter().filter(move |(n, _, _)| *n == name).filter_map(|(_, v, _)| v.as_ref())
    }

    /// Every `KEY VALUE` of a repeatable `Kind::Entry` option, in the order written.
    pub fn pairs<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (&'a Spanned<String>, &'a Spanned<String>)> + 'a {
        self.all(name).filter_map(|v| match &v.value {
            Typed::Pair(pair) => Some((&pair.0, &pair.1)),
            _ => None,
        })
    }

    /// Where the flag (or option keyword) `name` was written, if it was.
    pub fn flag_span(&self, name: &str) -> Option<Span> {
        self.options.iter().find(|(n, _, _)| *n == name).map(|(_, _, span)| *span)
    }
}

/// Matches `args` (already evaluated: no references or calls left) against `directive`.
pub fn match_args(
    directive: &'static Directive,
    stmt: &Statement,
    args: &[Arg],
    diags: &mut Vec<Diagnostic>,
) -> Matched {
    let mut matched = Matched { positional: vec![Vec::new(); directive.args.len()], options: Vec::new() };
    // Which positional arguments were given a value, even one that failed to convert (already reported).
    // (A directive has at most a handful of positional arguments: one bit each.)
    let mut given: u64 = 0;
    let mut index = 0;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        // A word that names an option is that option, unless a required positional argument is still
        // waiting and the word fits it (`health command command "…"`: the first `command` is the protocol).
        let awaited = directive
            .args
            .get(index)
            .is_some_and(|a| a.required && given & (1 << index) == 0 && fits(a.kind, &arg.value));
        if let (Value::Word(word), false) = (&arg.value, awaited) {
            if let Some(opt) = directive.options.iter().find(|o| o.name == word) {
                let value = match opt.kind {
                    None => None,
                    Some(Kind::Entry) => match (args.get(i), args.get(i + 1)) {
                        (Some(key), Some(value)) => {
                            i += 2;
                            pair(key, value, What(directive.name, Some(opt.name)), diags)
                        }
                        _ => {
                            diags.push(messages::missing_option_value(arg.span, opt.name, &Kind::Entry.describe()));
                            i = args.len();
                            None
                        }
                    },
                    Some(kind) => match args.get(i) {
                        Some(next) if !is_option_word(directive, next) => {
                            i += 1;
                            convert(kind, next, What(directive.name, Some(opt.name)), diags)
                        }
                        _ => {
                            diags.push(messages::missing_option_value(arg.span, opt.name, &kind.describe()));
                            None
                        }
                    },
                };
                push_option(&mut matched, opt, value, arg.span, diags);
                continue;
            }
        }
        // Positional: skip optional arguments whose kind does not fit this value.
        while index < directive.args.len() {
            let spec = &directive.args[index];
            let filled = !matched.positional[index].is_empty();
            if spec.variadic && filled && !fits(spec.kind, &arg.value) {
                index += 1;
                continue;
            }
            if !spec.required && !filled {
                let later = &directive.args[index + 1..];
                // An optional argument only takes a value of its kind.
                let misfit = !fits(spec.kind, &arg.value);
                // Too few values left for the required arguments after this one: leave this one out.
                let remaining = args[i - 1..].iter().filter(|a| !is_option_word(directive, a)).count();
                let needed = later.iter().filter(|a| a.required).count();
                if misfit || remaining <= needed {
                    index += 1;
                    continue;
                }
            }
            break;
        }
        match directive.args.get(index) {
            Some(spec) => {
                given |= 1 << index;
                let named = directive.args.len() > 1 || matches!(spec.kind, Kind::Enum(_));
                let what = What(directive.name, named.then_some(spec.name));
                if let Some(v) = convert(spec.kind, arg, what, diags) {
                    matched.positional[index].push(v);
                }
                if !spec.variadic {
                    index += 1;
                }
            }
            None => {
                diags.push(extra(directive, arg));
                // An unknown option's value is not reported again as an extra argument.
                if matches!(arg.value, Value::Word(_)) && !directive.options.is_empty() {
                    if let Some(next) = args.get(i) {
                        if !matches!(next.value, Value::Word(_)) {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
    // Options written in the block, one per line.
    if let Some(block) = &stmt.block {
        match directive.body {
            Body::Options => {
                for inner in block.statements() {
                    match_block_option(directive, inner, &mut matched, diags);
                }
            }
            Body::None => diags.push(messages::unexpected_block(block.span, directive.name)),
            Body::Children(_) | Body::Entries | Body::Json => {}
        }
    }
    let entries_block = directive.body == Body::Entries && stmt.block.is_some();
    for (i, spec) in directive.args.iter().enumerate() {
        if spec.required && given & (1 << i) == 0 && !entries_block {
            diags.push(messages::missing_argument(
                stmt.name.span.to(stmt.span),
                directive.name,
                spec.name,
                &spec.kind.describe(),
            ));
            break;
        }
    }
    matched
}

fn is_option_word(directive: &Directive, arg: &Arg) -> bool {
    matches!(&arg.value, Value::Word(w) if directive.options.iter().any(|o| o.name == w))
}

fn push_option(
    matched: &mut Matched,
    opt: &'static schema::Opt,
    value: Option<TypedArg>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    let (name, takes_value) = (opt.name, opt.kind.is_some());
    if let Some((_, _, first)) = matched.options.iter().find(|(n, _, _)| *n == name).filter(|_| !opt.repeat) {
        diags.push(messages::duplicate_option(span, *first, name));
        return;
    }
    if takes_value && value.is_none() {
        // The value was wrong or missing; that is reported. Remember the keyword so it is not reported twice.
        matched.options.push((name, None, span));
        return;
    }
    matched.options.push((name, value, span));
}

fn match_block_option(
    directive: &'static Directive,
    inner: &Statement,
    matched: &mut Matched,
    diags: &mut Vec<Diagnostic>,
) {
    let word = inner.name.value.as_str();
    let Some(opt) = directive.options.iter().find(|o| o.name == word) else {
        let names = directive.options.iter().map(|o| o.name);
        diags.push(messages::unknown_option(
            inner.name.span,
            word,
            directive.name,
            schema::closest(word, names),
            directive.options,
        ));
        return;
    };
    if let Some(block) = &inner.block {
        diags.push(messages::unexpected_block(block.span, opt.name));
    }
    let value = match (opt.kind, inner.args.as_slice()) {
        (None, []) => None,
        (None, [first, ..]) => {
            diags.push(messages::extra_argument(first.span, opt.name, "it is a flag and takes no value"));
            None
        }
        (Some(kind), []) | (Some(kind @ Kind::Entry), [_]) => {
            diags.push(messages::missing_option_value(inner.name.span, opt.name, &kind.describe()));
            None
        }
        (Some(Kind::Entry), [key, value, rest @ ..]) => {
            if let Some(extra) = rest.first() {
                diags.push(messages::extra_argument(extra.span, opt.name, "it takes a key and a value"));
            }
            pair(key, value, What(directive.name, Some(opt.name)), diags)
        }
        (Some(kind), [value, rest @ ..]) => {
            if let Some(extra) = rest.first() {
                diags.push(messages::extra_argument(extra.span, opt.name, "it takes one value"));
            }
            convert(kind, value, What(directive.name, Some(opt.name)), diags)
        }
    };
    push_option(matched, opt, value, inner.name.span, diags);
}

/// The key and value of a `Kind::Entry` option, spanning both.
fn pair(key: &Arg, value: &Arg, what: What, diags: &mut Vec<Diagnostic>) -> Option<TypedArg> {
    let key = convert(Kind::Key, key, what, diags);
    let value = convert(Kind::Scalar, value, what, diags);
    let (Some(Spanned { value: Typed::Text(k), span: ks }), Some(Spanned { value: Typed::Text(v), span: vs })) =
        (key, value)
    else {
        return None;
    };
    Some(Spanned::new(Typed::Pair(Box::new((Spanned::new(k, ks), Spanned::new(v, vs)))), ks.to(vs)))
}

fn extra(directive: &Directive, arg: &Arg) -> Diagnostic {
    match &arg.value {
        // `backoff 5`: the duration was skipped for want of a unit.
        Value::Number(n) if directive.args.iter().any(|a| a.kind == Kind::Duration) => {
            messages::duration_without_unit(arg.span, directive.name, &n.text)
        }
        // `health http /health`: the path is an option's value.
        Value::Path(p) if directive.options.iter().any(|o| o.name == "path") => {
            messages::extra_argument(arg.span, directive.name, "a path is given with `path`")
                .help(format!("did you mean `path \"{p}\"`?"))
        }
        Value::Word(word) if !directive.options.is_empty() => {
            let names = directive.options.iter().map(|o| o.name);
            messages::unknown_option(arg.span, word, directive.name, schema::closest(word, names), directive.options)
        }
        _ => {
            let takes = match directive.args.len() {
                0 => "it takes no arguments".to_string(),
                n => format!("it takes {n} argument{}", if n == 1 { "" } else { "s" }),
            };
            messages::extra_argument(arg.span, directive.name, &takes)
        }
    }
}

/// Whether a value could be meant for an argument of this kind (used to skip optional arguments).
fn fits(kind: Kind, value: &Value) -> bool {
    match kind {
        Kind::Name => matches!(value, Value::Word(_)),
        // A port name may come from a `param` or `let` (a string once evaluated).
        Kind::Ident => matches!(value, Value::Word(_) | Value::Str(_)),
        Kind::Key => matches!(value, Value::Word(_) | Value::Str(_)),
        Kind::Text => matches!(value, Value::Str(_)),
        Kind::Scalar => matches!(value, Value::Str(_) | Value::Number(_) | Value::Word(_)),
        Kind::Integer | Kind::Number => matches!(value, Value::Number(_)),
        Kind::Size => matches!(value, Value::Number(_) | Value::Quantity { .. }),
        Kind::Duration => matches!(value, Value::Quantity { .. }),
        Kind::Fraction => matches!(value, Value::Number(_) | Value::Percent(_)),
        // `ports` also takes ranges (`10000-10099`); `port` refuses one with its own message.
        Kind::Port => matches!(value, Value::Number(_) | Value::Port { .. } | Value::Range { .. }),
        Kind::PortRange => matches!(value, Value::Range { .. }),
        Kind::Path => matches!(value, Value::Path(_) | Value::Word(_)),
        Kind::FsPath => matches!(value, Value::Path(_) | Value::Word(_) | Value::Str(_)),
        Kind::Enum(words) => matches!(value, Value::Word(w) if words.contains(&w.as_str())),
        Kind::Any => true,
        Kind::Limit => matches!(value, Value::Number(_) | Value::Quantity { .. } | Value::Word(_)),
        // Only ever an option's two values.
        Kind::Entry => false,
    }
}

/// What a value is for, in messages: a directive (`mem`), or one of its arguments or options
/// (`health interval`). Spelled out only when a message needs it.
#[derive(Clone, Copy)]
pub struct What(pub &'static str, pub Option<&'static str>);

impl std::fmt::Display for What {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 {
            Some(part) => write!(f, "{} {part}", self.0),
            None => f.write_str(self.0),
        }
    }
}

/// Converts one value to `kind`, reporting what is wrong with it. `what` names the argument or option.
pub fn convert(kind: Kind, arg: &Arg, what: What, diags: &mut Vec<Diagnostic>) -> Option<TypedArg> {
    let what = &what;
    let span = arg.span;
    let wrong = |diags: &mut Vec<Diagnostic>| {
        let mut d = messages::wrong_kind(span, &what.to_string(), &kind.describe(), arg.value.describe());
        // `.5` is read as a relative path: numbers need a digit before the point.
        if let (Kind::Number | Kind::Fraction | Kind::Size, Value::Path(p)) = (kind, &arg.value) {
            if p.len() > 1 && p.starts_with('.') && p[1..].bytes().all(|b| b.is_ascii_digit()) {
                d = d.help(format!("write `0{p}`: a number starts with a digit"));
            }
        }
        diags.push(d);
        None
    };
    let typed = match (kind, &arg.value) {
        (Kind::Name | Kind::Ident, Value::Word(w)) => Typed::Text(w.clone()),
        (Kind::Name, Value::Number(n)) if n.is_integer() && !n.text.starts_with('-') => Typed::Text(n.text.clone()),
        (Kind::Key, Value::Word(w)) => Typed::Text(w.clone()),
        (Kind::Key | Kind::Text | Kind::Scalar | Kind::FsPath | Kind::Ident, Value::Str(_)) => {
            match arg.value.plain_string() {
                Some(s) => Typed::Text(s),
                None => return wrong(diags),
            }
        }
        (Kind::Scalar, Value::Number(n)) => Typed::Text(n.text.clone()),
        (Kind::Scalar, Value::Word(w)) => Typed::Text(w.clone()),
        (Kind::FsPath, Value::Path(p) | Value::Word(p)) => Typed::Text(p.clone()),
        (Kind::Integer, Value::Number(n)) if n.is_integer() => match n.as_i64() {
            Some(i) => Typed::Int(i),
            None => {
                diags.push(messages::out_of_range(span, &what.to_string(), &n.text, "an integer that fits in 64 bits"));
                return None;
            }
        },
        // `+ 0.0` turns `-0` into 0: Marathon would otherwise be sent `-0.0`.
        (Kind::Number, Value::Number(n)) => Typed::Num(Num { value: n.as_f64() + 0.0, integer: n.is_integer() }),
        (Kind::Size, Value::Number(n)) => Typed::Size(n.as_f64() + 0.0),
        (Kind::Size, Value::Quantity { number, unit }) => match units::classify(&unit.value) {
            Some(UnitKind::Size) => Typed::Size(number.as_f64() * units::scale(&unit.value).unwrap_or(1.0) + 0.0),
            Some(UnitKind::Duration) => return wrong(diags),
            None => return unknown_unit(unit, UnitKind::Size, diags),
        },
        (Kind::Duration, Value::Quantity { number, unit }) => match units::classify(&unit.value) {
            Some(UnitKind::Duration) => {
                let scale = units::scale(&unit.value).unwrap_or(1.0) as u64;
                let out_of_range = |diags: &mut Vec<Diagnostic>| {
                    diags.push(messages::out_of_range(
                        span,
                        &what.to_string(),
                        &format!("{}{}", number.text, unit.value),
                        "0s to 2147483647s (Marathon stores seconds as a 32-bit integer)",
                    ));
                    None
                };
                match exact_seconds(&number.text, scale) {
                    Seconds::Whole(s) if s <= i32::MAX as u64 => Typed::Seconds(s),
                    Seconds::Whole(_) | Seconds::Negative | Seconds::TooLarge => return out_of_range(diags),
                    Seconds::Fractional(rounded) if rounded > i32::MAX as u128 => return out_of_range(diags),
                    Seconds::Fractional(rounded) => {
                        let written = format!("{}{}", number.text, unit.value);
                        diags.push(messages::fractional_seconds(span, &what.to_string(), &written, rounded.max(1)));
                        return None;
                    }
                }
            }
            Some(UnitKind::Size) => return wrong(diags),
            None => return unknown_unit(unit, UnitKind::Duration, diags),
        },
        (Kind::Duration, Value::Number(n)) => {
            diags.push(messages::duration_without_unit(span, &what.to_string(), &n.text));
            return None;
        }
        (Kind::Fraction, Value::Number(n)) => Typed::Fraction(n.as_f64() + 0.0),
        (Kind::Fraction, Value::Percent(n)) => Typed::Fraction(n.as_f64() / 100.0 + 0.0),
        (Kind::Port, Value::Number(n)) if n.is_integer() => Typed::Port {
            number: port_number(n.as_i64(), &n.text, span, what, diags)?,
            protocol: Protocol::Tcp,
            written: false,
        },
        (Kind::Port, Value::Port { number, protocol }) if number.is_integer() => {
            let port = port_number(number.as_i64(), &number.text, span, what, diags)?;
            let protocol = match protocol.value.to_ascii_lowercase().as_str() {
                "tcp" => Protocol::Tcp,
                "udp" => Protocol::Udp,
                "udp+tcp" | "tcp+udp" | "udp,tcp" => Protocol::UdpTcp,
                _ => {
                    diags.push(messages::bad_protocol(protocol.span, &protocol.value));
                    return None;
                }
            };
            Typed::Port { number: port, protocol, written: true }
        }
        (Kind::PortRange | Kind::Port, Value::Range { start, end }) => {
            let a = port_number(start.as_i64(), &start.text, span, what, diags)?;
            let b = port_number(end.as_i64(), &end.text, span, what, diags)?;
            Typed::Range(a, b)
        }
        (Kind::Path, Value::Path(p) | Value::Word(p)) => Typed::Path(p.clone()),
        (Kind::Limit, Value::Word(w)) if w == "unlimited" => Typed::Enum("unlimited"),
        (Kind::Limit, Value::Word(w)) => {
            let closest = schema::closest(w, ["unlimited"]);
            diags.push(messages::unknown_value(span, w, &what.to_string(), closest, &["unlimited"]));
            return None;
        }
        (Kind::Limit, Value::Number(_)) => return convert(Kind::Number, arg, *what, diags),
        (Kind::Limit, Value::Quantity { .. }) => return convert(Kind::Size, arg, *what, diags),
        (Kind::Enum(words), Value::Word(w)) => match words.iter().find(|x| **x == w) {
            Some(x) => Typed::Enum(x),
            None => {
                diags.push(messages::unknown_value(
                    span,
                    w,
                    &what.to_string(),
                    schema::closest(w, words.iter().copied()),
                    words,
                ));
                return None;
            }
        },
        _ => return wrong(diags),
    };
    Some(Spanned::new(typed, span))
}

fn port_number(value: Option<i64>, text: &str, span: Span, what: &What, diags: &mut Vec<Diagnostic>) -> Option<u16> {
    match value {
        Some(v @ 0..=65535) => Some(v as u16),
        _ => {
            diags.push(messages::out_of_range(
                span,
                &what.to_string(),
                text,
                "a port number from 0 to 65535 (0: any free port)",
            ));
            None
        }
    }
}

fn unknown_unit(unit: &Spanned<String>, kind: UnitKind, diags: &mut Vec<Diagnostic>) -> Option<TypedArg> {
    let suggestion = units::suggest(&unit.value).filter(|u| units::classify(u) == Some(kind));
    diags.push(messages::unknown_unit(unit.span, &unit.value, suggestion, units::names(kind).collect()));
    None
}

/// A duration in whole seconds, computed exactly from its written digits (no rounding through `f64`).
#[derive(Debug, PartialEq)]
enum Seconds {
    Whole(u64),
    /// Not whole: the nearest whole number of seconds.
    Fractional(u128),
    Negative,
    TooLarge,
}

/// `text` (`-?digits(.digits)?`) times `scale_ms` milliseconds, in seconds.
fn exact_seconds(text: &str, scale_ms: u64) -> Seconds {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    // `1.500` is `1.5`: trailing zeros of the fraction say nothing.
    let fraction = fraction.trim_end_matches('0');
    let all: String = [whole, fraction].concat();
    let all = all.trim_start_matches('0');
    if all.is_empty() {
        return Seconds::Whole(0);
    }
    if negative {
        return Seconds::Negative;
    }
    // 30 digits times a day in milliseconds still fits in 128 bits.
    let (Ok(n), true) = (all.parse::<u128>(), all.len() <= 30) else { return Seconds::TooLarge };
    let denominator = 10u128.pow(fraction.len().min(30) as u32) * 1000;
    let ms = n * scale_ms as u128;
    if !ms.is_multiple_of(denominator) {
        return Seconds::Fractional((ms + denominator / 2) / denominator);
    }
    u64::try_from(ms / denominator).map_or(Seconds::TooLarge, Seconds::Whole)
}

#[cfg(test)]
mod exact_seconds_tests {
    use super::*;

    #[test]
    fn durations_are_exact() {
        assert_eq!(exact_seconds("30", 1000), Seconds::Whole(30));
        assert_eq!(exact_seconds("1.5", 60_000), Seconds::Whole(90));
        assert_eq!(exact_seconds("1500", 1), Seconds::Fractional(2));
        assert_eq!(exact_seconds("99999999999999999999", 1), Seconds::Fractional(100_000_000_000_000_000));
        assert_eq!(exact_seconds("99999999999999999000", 1), Seconds::Whole(99_999_999_999_999_999));
        assert_eq!(exact_seconds("18446744073709551615", 86_400_000), Seconds::TooLarge);
        assert_eq!(exact_seconds("-0", 1000), Seconds::Whole(0));
        assert_eq!(exact_seconds("-1", 1000), Seconds::Negative);
        assert_eq!(exact_seconds("0.0001", 1000), Seconds::Fractional(0));
        assert_eq!(exact_seconds(&"9".repeat(40), 1000), Seconds::TooLarge);
        assert_eq!(exact_seconds(&format!("1.{}", "0".repeat(40)), 1000), Seconds::Whole(1));
    }
}
