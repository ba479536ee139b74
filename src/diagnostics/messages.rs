//! Every diagnostic's wording, in one place: messages are lowercase without a trailing period, user
//! identifiers in backticks; help lines say what to write instead.

use super::{Code, Diagnostic};
use crate::source::Span;

// ---- input -------------------------------------------------------------------------------------------

pub fn invalid_utf8(file: &str, offset: usize, line: usize) -> Diagnostic {
    Diagnostic::new(Code::InvalidUtf8, format!("`{file}` is not valid UTF-8: invalid byte at offset {offset} (line {line})"))
        .help("pkw files are UTF-8 text; re-save the file as UTF-8, or check that this is the file you meant")
}

pub fn nul_byte(file: &str, offset: usize, line: usize) -> Diagnostic {
    Diagnostic::new(Code::NulByte, format!("`{file}` contains a NUL byte at offset {offset} (line {line})"))
        .help("pkw files are text; this looks like a binary file")
}

pub fn empty_file(span: Span) -> Diagnostic {
    Diagnostic::new(Code::EmptyFile, "the file declares no apps or groups")
        .primary(span, "nothing to build here")
        .help("declare at least one app, e.g. `app web { image \"nginx\" }`, or a group of apps")
}

// ---- syntax ------------------------------------------------------------------------------------------

pub fn syntax_unexpected(span: Span, expected: &str, found: String) -> Diagnostic {
    Diagnostic::new(Code::Unexpected, format!("expected {expected}, found {found}"))
        .primary(span, "unexpected here")
        .help("each statement is `directive argument* {block}?` and ends at a newline or `;`; quote text that contains spaces or symbols")
}

pub fn unterminated_string(open: Span, end: Span) -> Diagnostic {
    Diagnostic::new(Code::UnterminatedString, "string is never closed")
        .primary(open, "this string starts here")
        .secondary(end, "the line ends before the closing `\"`")
        .help("add the closing `\"`; a string cannot span lines (write `\\n` for a line break)")
}

pub fn bad_escape(span: Span, escape: &str) -> Diagnostic {
    Diagnostic::new(Code::BadEscape, format!("unknown escape `{escape}` in a string"))
        .primary(span, "not an escape pkw knows")
        .help("the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\$`; write `\\\\` for a literal backslash")
}

pub fn unclosed_brace(open: Span, file_len: usize) -> Diagnostic {
    let end = Span { start: file_len as u32, end: file_len as u32, ..open };
    Diagnostic::new(Code::UnclosedBrace, "this `{` is never closed")
        .primary(open, "opened here")
        .secondary(end, "the file ends here")
        .help("add the matching `}` at the end of the block")
}

pub fn unmatched_brace(span: Span) -> Diagnostic {
    Diagnostic::new(Code::UnmatchedBrace, "this `}` closes no block")
        .primary(span, "no `{` before it is still open")
        .help("remove this `}`, or add the `{` it was meant to close")
}

pub fn too_deep(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::TooDeep, format!("blocks are nested too deeply (more than {max} levels)"))
        .primary(span, "this level is too deep")
        .help("real clusters need a handful of levels; check for runaway or generated braces")
}

// ---- directives and arguments ------------------------------------------------------------------------

fn did_you_mean(suggestion: Option<&str>, otherwise: String) -> String {
    match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise,
    }
}

pub fn unknown_directive(span: Span, name: &str, place: &str, suggestion: Option<&str>, known: Vec<&str>) -> Diagnostic {
    Diagnostic::new(Code::UnknownDirective, format!("unknown directive `{name}` {place}"))
        .primary(span, "not a directive pkw knows here")
        .help(did_you_mean(suggestion, format!("directives allowed {place}: {}", known.join(", "))))
}

pub fn misplaced_directive(span: Span, name: &str, place: &str, allowed: &str) -> Diagnostic {
    Diagnostic::new(Code::MisplacedDirective, format!("`{name}` cannot be used {place}"))
        .primary(span, format!("`{name}` belongs {allowed}"))
        .help(format!("move `{name}` {allowed}"))
}

pub fn duplicate_directive(span: Span, first: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDirective, format!("`{name}` is given twice"))
        .primary(span, "given again here")
        .secondary(first, "first given here")
        .help(format!("`{name}` takes one value; keep the one you mean and delete the other"))
}

pub fn duplicate_option(span: Span, first: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDirective, format!("option `{name}` is given twice"))
        .primary(span, "given again here")
        .secondary(first, "first given here")
        .help(format!("keep one `{name}`"))
}

pub fn duplicate_key(span: Span, first: Span, directive: &str, key: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDirective, format!("`{directive} {key}` is set twice"))
        .primary(span, "set again here")
        .secondary(first, "first set here")
        .help(format!("each {directive} key takes one value; keep the one you mean"))
}

pub fn missing_argument(span: Span, directive: &str, arg: &str, kind: &str) -> Diagnostic {
    Diagnostic::new(Code::MissingArgument, format!("`{directive}` needs its {arg}: {kind}"))
        .primary(span, format!("{arg} missing"))
        .help(format!("write it after `{directive}`; `pkwc explain {}` shows the form", Code::MissingArgument.as_str()))
}

pub fn missing_option_value(span: Span, option: &str, kind: &str) -> Diagnostic {
    Diagnostic::new(Code::MissingArgument, format!("option `{option}` needs a value: {kind}"))
        .primary(span, "no value follows")
        .help(format!("write the value right after `{option}`"))
}

pub fn extra_argument(span: Span, directive: &str, why: &str) -> Diagnostic {
    Diagnostic::new(Code::ExtraArgument, format!("too many arguments for `{directive}`: {why}"))
        .primary(span, "not expected here")
        .help("remove it, or quote it if it belongs to the previous string")
}

pub fn unknown_option(span: Span, word: &str, directive: &str, suggestion: Option<&str>, options: &[crate::schema::Opt]) -> Diagnostic {
    let known: Vec<&str> = options.iter().map(|o| o.name).collect();
    Diagnostic::new(Code::UnknownOption, format!("`{directive}` has no option `{word}`"))
        .primary(span, "unknown option")
        .help(did_you_mean(suggestion, format!("options of `{directive}`: {}", known.join(", "))))
}

pub fn unknown_value(span: Span, word: &str, what: &str, suggestion: Option<&str>, words: &[&str]) -> Diagnostic {
    Diagnostic::new(Code::UnknownOption, format!("`{word}` is not a valid {what}"))
        .primary(span, format!("expected {}", crate::schema::one_of(words)))
        .help(did_you_mean(suggestion, format!("write {}", crate::schema::one_of(words))))
}

pub fn unexpected_block(span: Span, directive: &str) -> Diagnostic {
    Diagnostic::new(Code::UnexpectedBlock, format!("`{directive}` does not take a block"))
        .primary(span, "unexpected block")
        .help(format!("write the values of `{directive}` on its line and remove the braces"))
}

pub fn wrong_kind(span: Span, what: &str, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(Code::WrongKind, format!("expected {expected} for `{what}`, found {found}"))
        .primary(span, format!("this is {found}"))
        .help(format!("write {expected}"))
}

pub fn duration_without_unit(span: Span, what: &str, number: &str) -> Diagnostic {
    Diagnostic::new(Code::WrongKind, format!("expected a duration like 30s for `{what}`, found a number without a unit"))
        .primary(span, "no unit")
        .help(format!("write `{number}s` for seconds (units: ms, s, m, h, d)"))
}

pub fn out_of_range(span: Span, what: &str, value: &str, allowed: &str) -> Diagnostic {
    Diagnostic::new(Code::OutOfRange, format!("`{value}` is out of range for `{what}`"))
        .primary(span, "out of range")
        .help(format!("`{what}` takes {allowed}"))
}

pub fn unknown_unit(span: Span, unit: &str, suggestion: Option<&str>, units: Vec<&str>) -> Diagnostic {
    Diagnostic::new(Code::UnknownUnit, format!("unknown unit `{unit}`"))
        .primary(span, "not a unit pkw knows")
        .help(did_you_mean(suggestion, format!("units here: {}", units.join(", "))))
}

pub fn fractional_seconds(span: Span, what: &str, ms: f64) -> Diagnostic {
    Diagnostic::new(Code::FractionalSeconds, format!("`{what}` must be a whole number of seconds"))
        .primary(span, format!("this is {ms}ms"))
        .help(format!("Marathon counts `{what}` in whole seconds; write `{}s`", (ms / 1000.0).round().max(1.0)))
}

pub fn bad_protocol(span: Span, protocol: &str) -> Diagnostic {
    Diagnostic::new(Code::BadProtocol, format!("unknown port protocol `{protocol}`"))
        .primary(span, "not a protocol")
        .help("write `tcp`, `udp` or `udp+tcp`, e.g. `53/udp`")
}

pub fn invalid_id(span: Span, name: &str, suggestion: Option<String>) -> Diagnostic {
    let fix = match suggestion {
        Some(s) => format!("write `{s}`: "),
        None => String::new(),
    };
    Diagnostic::new(Code::InvalidId, format!("`{name}` is not a valid Marathon id segment"))
        .primary(span, "invalid name")
        .help(format!(
            "{fix}names use lowercase letters, digits and `-`, start and end with a letter or digit, and may be split into labels by `.`"
        ))
}

pub fn reserved_id(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::ReservedId, format!("`{name}` is reserved by Marathon and cannot end an id"))
        .primary(span, "reserved name")
        .help("Marathon's REST API uses `restart`, `tasks` and `versions` as path words; pick another name, e.g. `{name}-svc`".replace("{name}", name))
}

pub fn needs_newer_marathon(span: Span, what: &str, needed: crate::version::Version, target: crate::version::Version) -> Diagnostic {
    Diagnostic::new(Code::NeedsNewerMarathon, format!("{what} needs Marathon {needed} or later, but the target is {target}"))
        .primary(span, format!("needs Marathon {needed}"))
        .help(format!("build with `--marathon {needed}` (or newer) if your cluster runs it, or remove this"))
}

pub fn unsupported_value(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::new(Code::UnsupportedValue, what.to_string()).primary(span, "cannot be expressed").help(help.to_string())
}

// ---- references ---------------------------------------------------------------------------------------

pub fn unknown_reference(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::new(Code::UnknownReference, format!("unknown reference `${name}`"))
        .primary(span, "no `let` or `param` has this name")
        .help(did_you_mean(suggestion, format!("declare it first, e.g. `let {name} \"value\"`")))
}

pub fn unknown_function(span: Span, name: &str, known: &[&str]) -> Diagnostic {
    Diagnostic::new(Code::UnknownFunction, format!("unknown function `{name}`"))
        .primary(span, "not a function pkw has")
        .help(format!("the functions are {}", crate::schema::one_of(known)))
}

pub fn invalid_port_name(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidId, format!("`{name}` is not a valid port name"))
        .primary(span, "invalid port name")
        .help("port names use lowercase letters, digits and `-`, and start with a letter, e.g. `http` or `jmx-2`")
}
