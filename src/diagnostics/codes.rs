//! The catalogue of diagnostic codes: one line per code with its default severity and a one-line summary.
//! Each code's long explanation is `docs/codes/<topic>/<name>.md` (`pkwc explain CODE`); a missing file is a
//! compile error, so no code can ship without one.

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $topic:literal / $name:literal, $severity:ident, $summary:literal; )*) => {
        /// A stable diagnostic code. Codes are never renamed: editors and scripts match on them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The code as users see it, e.g. `pkw::ports::host-port-shared`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => concat!("pkw::", $topic, "::", $name), )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            /// The long explanation: what it means, why it breaks deployments, an example, the fix.
            pub fn explanation(self) -> &'static str {
                match self {
                    $( Code::$variant => include_str!(concat!("../../docs/codes/", $topic, "/", $name, ".md")), )*
                }
            }
        }
    };
}

impl Code {
    /// Finds a code by its full name (`pkw::syntax::unexpected`) or without the `pkw::` prefix.
    pub fn parse(name: &str) -> Option<Code> {
        let name = name.trim();
        let full = if name.starts_with("pkw::") { name.to_string() } else { format!("pkw::{name}") };
        Code::ALL.iter().copied().find(|c| c.as_str() == full)
    }
}

codes! {
    // Input that is not pkw text at all.
    InvalidUtf8 = "input" / "invalid-utf8", Error, "the file is not valid UTF-8";
    NulByte = "input" / "nul-byte", Error, "the file contains a NUL byte";
    EmptyFile = "input" / "empty", Error, "the file declares no apps or groups";

    // Syntax.
    Unexpected = "syntax" / "unexpected", Error, "a statement does not parse";
    UnterminatedString = "syntax" / "unterminated-string", Error, "a string has no closing quote";
    BadEscape = "syntax" / "bad-escape", Error, "a string contains an unknown escape";
    UnclosedBrace = "syntax" / "unclosed-brace", Error, "a `{` is never closed";
    UnmatchedBrace = "syntax" / "unmatched-brace", Error, "a `}` closes nothing";
    TooDeep = "syntax" / "too-deep", Error, "blocks or calls are nested too deeply";

    // Directives and their arguments, checked against the schema table.
    UnknownDirective = "directive" / "unknown", Error, "no directive has this name";
    MisplacedDirective = "directive" / "misplaced", Error, "a directive is used where it does not belong";
    DuplicateDirective = "directive" / "duplicate", Error, "a single-valued directive is given twice";
    MissingArgument = "args" / "missing", Error, "a directive lacks a required argument";
    ExtraArgument = "args" / "extra", Error, "a directive is given more arguments than it takes";
    WrongKind = "args" / "wrong-kind", Error, "a value of the wrong kind";
    UnknownOption = "args" / "unknown-option", Error, "a directive has no option or value of this name";
    UnexpectedBlock = "args" / "unexpected-block", Error, "a directive that takes no block is given one";
    OutOfRange = "value" / "out-of-range", Error, "a value lies outside what Marathon accepts";
    UnknownUnit = "value" / "unknown-unit", Error, "a number carries a unit pkw does not know";
    FractionalSeconds = "value" / "fractional-seconds", Error, "a duration is not a whole number of seconds";
    BadProtocol = "value" / "bad-protocol", Error, "a port protocol is not tcp, udp or udp+tcp";
    InvalidId = "id" / "invalid-segment", Error, "a name is not a valid Marathon id segment";
    ReservedId = "id" / "reserved", Error, "a name is reserved by Marathon's REST API";
    NeedsNewerMarathon = "version" / "unsupported", Error, "a feature the target Marathon version lacks";
    UnsupportedValue = "value" / "unsupported", Error, "a value pkw can parse but cannot express in Marathon JSON";
    UnknownReference = "ref" / "unknown", Error, "a `$name` or `${name}` names no `let` or `param`";
    UnknownFunction = "ref" / "unknown-function", Error, "a call names no function pkw has";
}
