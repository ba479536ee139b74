//! Java's regular-expression syntax, as `java.util.regex.Pattern.compile` (JDK 17) accepts it: Marathon
//! compiles `LIKE`/`UNLIKE` values with it, so a value is valid exactly when Java says so. Another engine
//! (the `regex` crate, PCRE) would refuse look-around, back-references, `\Q…\E` and possessive
//! quantifiers that Java takes, and take `(?P<name>…)` that Java refuses.
//!
//! This is a validator, not a matcher: it walks the pattern the way Java's parser does (the same
//! lexical rules, including `\Q…\E` quoting, `(?x)` comments, `{` that does not start a repetition,
//! dangling `]` and `}`), and measures look-behind bodies the way Java does, since Java refuses a
//! look-behind without an obvious maximum length. The test table in `tests/java_regex.rs` holds Java 17's
//! own verdicts.
//!
//! Known gap: `\N{NAME}` is accepted for any name of letters, digits, spaces and `-` (checking it needs
//! Unicode's name table).

use super::java_regex_names::{BLOCKS, POSIX, PROPERTIES, SCRIPTS, UNICODE_PROPERTIES};

/// Why Java refuses a pattern: its own description, and the index Java reports (the character, counted
/// from 0, before the one it stopped at; -1 at the start; counted after `\Q…\E` is rewritten).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub description: String,
    pub index: isize,
}

/// How deeply groups and classes may nest. Java's parser recurses too: with its default 1 MiB thread
/// stack it compiles 900 levels reliably, fails 1,000 on some runs (it depends on the JIT) and most
/// beyond 1,200 with "Stack overflow during pattern compilation". pkwc says the same beyond 800.
pub const MAX_NESTING: usize = 800;

/// Checks `pattern` as `Pattern.compile(pattern)` does.
pub fn check(pattern: &str) -> std::result::Result<(), SyntaxError> {
    // Each `(` or `[` can add a level of recursion; a pattern that could nest deeply is checked on a
    // thread with room for `MAX_NESTING` levels, so that no pattern can overflow the caller's stack.
    let openers = pattern.bytes().filter(|b| matches!(b, b'(' | b'[')).count();
    if openers <= 64 {
        return check_here(pattern);
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn_scoped(scope, || check_here(pattern))
            .ok()
            .and_then(|handle| handle.join().ok())
            .unwrap_or_else(|| {
                Err(SyntaxError { description: "Stack overflow during pattern compilation".to_string(), index: -1 })
            })
    })
}

fn check_here(pattern: &str) -> std::result::Result<(), SyntaxError> {
    let chars: Vec<u32> = pattern.chars().map(u32::from).collect();
    let mut p = Parser::new(unquote(chars));
    p.expr()?;
    if p.cursor != p.len {
        return Err(if p.peek() == u32::from(')') {
            p.error("Unmatched closing ')'")
        } else {
            p.error("Unexpected internal error")
        });
    }
    Ok(())
}

const COMMENTS: u32 = 1;
const UNICODE_CLASS: u32 = 2;
const UNIX_LINES: u32 = 4;
/// `Integer.MAX_VALUE`: the bound of `*`, `+` and `{n,}`.
const MAX_REPS: i32 = i32::MAX;

fn c(ch: char) -> u32 {
    u32::from(ch)
}

fn is_ascii(ch: u32) -> bool {
    ch < 128
}

fn is_alpha(ch: u32) -> bool {
    char::from_u32(ch).is_some_and(|c| c.is_ascii_alphabetic())
}

fn is_digit(ch: u32) -> bool {
    char::from_u32(ch).is_some_and(|c| c.is_ascii_digit())
}

fn is_hex(ch: u32) -> bool {
    char::from_u32(ch).is_some_and(|c| c.is_ascii_hexdigit())
}

fn is_space(ch: u32) -> bool {
    matches!(ch, 0x20 | 0x09 | 0x0A | 0x0B | 0x0C | 0x0D)
}

fn hex_value(ch: u32) -> u32 {
    char::from_u32(ch).and_then(|c| c.to_digit(16)).unwrap_or(0)
}

/// Java removes `\Q…\E` quoting before parsing: quoted punctuation is escaped, quoted digits that open
/// the quote become `\x3N` (so that no escape before the quote swallows them), and `\\` becomes `\\\\`.
fn unquote(chars: Vec<u32>) -> Vec<u32> {
    let len = chars.len();
    let mut i = 0;
    while i + 1 < len {
        if chars[i] != c('\\') {
            i += 1;
        } else if chars[i + 1] != c('Q') {
            i += 2;
        } else {
            break;
        }
    }
    if i + 1 >= len {
        return chars;
    }
    let mut out: Vec<u32> = chars[..i].to_vec();
    i += 2;
    let (mut in_quote, mut begin_quote) = (true, true);
    while i < len {
        let ch = chars[i];
        i += 1;
        if !is_ascii(ch) || is_alpha(ch) {
            out.push(ch);
        } else if is_digit(ch) {
            if begin_quote {
                out.extend([c('\\'), c('x'), c('3')]);
            }
            out.push(ch);
        } else if ch != c('\\') {
            if in_quote {
                out.push(c('\\'));
            }
            out.push(ch);
        } else if in_quote {
            if chars.get(i) == Some(&c('E')) {
                i += 1;
                in_quote = false;
            } else {
                out.extend([c('\\'), c('\\')]);
            }
        } else if chars.get(i) == Some(&c('Q')) {
            i += 1;
            in_quote = true;
            begin_quote = true;
            continue;
        } else {
            out.push(ch);
            if i != len {
                out.push(chars[i]);
                i += 1;
            }
        }
        begin_quote = false;
    }
    out
}

/// What Java's `TreeInfo` records while measuring a look-behind: lengths in 32-bit arithmetic that
/// wraps, as Java's does.
#[derive(Clone, Copy, Debug)]
struct Info {
    max: i32,
    max_valid: bool,
    deterministic: bool,
}

impl Info {
    const EMPTY: Info = Info { max: 0, max_valid: true, deterministic: true };
}

/// The parts of a parsed pattern that decide a look-behind's length.
#[derive(Clone, Debug)]
enum Node {
    /// One character, class, property or `.`.
    Char,
    /// A run of literal characters (its length in UTF-16 units).
    Slice(i32),
    /// An assertion, a look-around or a flag group: no width.
    Zero,
    /// `\R`: one or two characters.
    LineEnding,
    /// `\X`: a grapheme cluster.
    Grapheme,
    /// A back-reference: any length.
    BackRef,
    /// `x?` (and `x??`, `x?+`).
    Ques(Box<Node>),
    /// `(?>x)`.
    Independent(Box<Node>),
    /// Greedy `*`, `+` or `{n,}` on one character.
    CharGreedy,
    /// `x{n,m}` and the lazy and possessive forms of `*`, `+`, `{n,}`: the body, `cmax`, and whether
    /// `cmin == cmax`.
    Curly(Box<Node>, i32, bool),
    /// A group repeated by a quantifier whose body has no fixed shape.
    Loop,
    /// Alternatives (`None` for an empty one).
    Branch(Vec<Option<Node>>),
    Seq(Vec<Node>),
}

fn study(node: &Node, info: &mut Info) {
    match node {
        Node::Char => info.max = info.max.wrapping_add(1),
        Node::Slice(n) => info.max = info.max.wrapping_add(*n),
        Node::Zero => {}
        Node::LineEnding => info.max = info.max.wrapping_add(2),
        Node::Grapheme => info.deterministic = false,
        Node::BackRef => info.max_valid = false,
        Node::Ques(atom) => {
            study(atom, info);
            info.deterministic = false;
        }
        Node::Independent(atom) => study(atom, info),
        Node::CharGreedy => {
            if info.max_valid {
                info.max = info.max.wrapping_add(MAX_REPS);
            }
            info.deterministic = false;
        }
        Node::Curly(atom, cmax, fixed) => curly(atom, *cmax, *fixed, info),
        Node::Loop => {
            info.max_valid = false;
            info.deterministic = false;
        }
        Node::Branch(alternatives) => {
            let mut longest = -1i32;
            let mut valid = info.max_valid;
            for alt in alternatives {
                let mut inner = Info::EMPTY;
                if let Some(alt) = alt {
                    study(alt, &mut inner);
                }
                longest = longest.max(inner.max);
                valid &= inner.max_valid;
            }
            info.max = info.max.wrapping_add(longest);
            info.max_valid = valid;
            info.deterministic = false;
        }
        Node::Seq(nodes) => {
            for n in nodes {
                study(n, info);
            }
        }
    }
}

/// Java's `Curly`/`GroupCurly` measure: the body's maximum times `cmax`, refused when it wraps below
/// what came before. `fixed` is whether `cmin == cmax`.
fn curly(atom: &Node, cmax: i32, fixed: bool, info: &mut Info) {
    let before = *info;
    let mut inner = Info::EMPTY;
    study(atom, &mut inner);
    if before.max_valid && inner.max_valid {
        let total = inner.max.wrapping_mul(cmax).wrapping_add(before.max);
        info.max = total;
        info.max_valid = total >= before.max;
    } else {
        info.max_valid = false;
    }
    info.deterministic = inner.deterministic && fixed && before.deterministic;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Greedy,
    Lazy,
    Possessive,
}

/// A quantifier after an atom.
#[derive(Clone, Copy)]
enum Quantifier {
    None,
    Ques(Kind),
    /// `open` for `*`, `+` and `{n,}`, whose `cmax` is `MAX_REPS`.
    Curly {
        cmin: i32,
        cmax: i32,
        kind: Kind,
        open: bool,
    },
}

struct Parser {
    /// The pattern's code points followed by two zeros, as Java keeps it.
    temp: Vec<u32>,
    len: usize,
    cursor: usize,
    flags: u32,
    groups: u32,
    names: std::collections::HashSet<String>,
    /// Groups and classes open around the cursor.
    depth: usize,
}

type Result<T> = std::result::Result<T, SyntaxError>;

impl Parser {
    fn new(chars: Vec<u32>) -> Parser {
        let len = chars.len();
        let mut temp = chars;
        temp.extend([0, 0]);
        Parser { temp, len, cursor: 0, flags: 0, groups: 1, names: Default::default(), depth: 0 }
    }

    fn error(&self, description: &str) -> SyntaxError {
        SyntaxError { description: description.to_string(), index: self.cursor as isize - 1 }
    }

    fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    fn at(&self, i: usize) -> u32 {
        self.temp.get(i).copied().unwrap_or(0)
    }

    fn peek(&mut self) -> u32 {
        let ch = self.at(self.cursor);
        if self.has(COMMENTS) {
            self.peek_past_whitespace(ch)
        } else {
            ch
        }
    }

    fn read(&mut self) -> u32 {
        let ch = self.at(self.cursor);
        self.cursor += 1;
        if self.has(COMMENTS) {
            self.parse_past_whitespace(ch)
        } else {
            ch
        }
    }

    fn next(&mut self) -> u32 {
        self.cursor += 1;
        let ch = self.at(self.cursor);
        if self.has(COMMENTS) {
            self.peek_past_whitespace(ch)
        } else {
            ch
        }
    }

    fn next_escaped(&mut self) -> u32 {
        self.cursor += 1;
        self.at(self.cursor)
    }

    fn skip(&mut self) -> u32 {
        let ch = self.at(self.cursor + 1);
        self.cursor += 2;
        ch
    }

    fn unread(&mut self) {
        self.cursor -= 1;
    }

    fn is_line_separator(&self, ch: u32) -> bool {
        if self.has(UNIX_LINES) {
            ch == c('\n')
        } else {
            ch == c('\n') || ch == c('\r') || (ch | 1) == 0x2029 || ch == 0x85
        }
    }

    fn peek_past_whitespace(&mut self, mut ch: u32) -> u32 {
        while is_space(ch) || ch == c('#') {
            while is_space(ch) {
                self.cursor += 1;
                ch = self.at(self.cursor);
            }
            if ch == c('#') {
                self.cursor += 1;
                ch = self.at(self.cursor);
                while ch != 0 && !self.is_line_separator(ch) {
                    self.cursor += 1;
                    ch = self.at(self.cursor);
                }
                if ch == 0 && self.cursor > self.len {
                    self.cursor = self.len;
                    ch = self.at(self.cursor);
                }
            }
        }
        ch
    }

    fn parse_past_whitespace(&mut self, mut ch: u32) -> u32 {
        while is_space(ch) || ch == c('#') {
            while is_space(ch) {
                ch = self.at(self.cursor);
                self.cursor += 1;
            }
            if ch == c('#') {
                ch = self.at(self.cursor);
                self.cursor += 1;
                while ch != 0 && !self.is_line_separator(ch) {
                    ch = self.at(self.cursor);
                    self.cursor += 1;
                }
                if ch == 0 && self.cursor > self.len {
                    self.cursor = self.len;
                    ch = self.at(self.cursor);
                    self.cursor += 1;
                }
            }
        }
        ch
    }

    fn accept(&mut self, want: u32, description: &str) -> Result<()> {
        let mut ch = self.at(self.cursor);
        self.cursor += 1;
        if self.has(COMMENTS) {
            ch = self.parse_past_whitespace(ch);
        }
        if ch == want {
            Ok(())
        } else {
            Err(self.error(description))
        }
    }

    /// Alternatives separated by `|`.
    fn expr(&mut self) -> Result<Node> {
        let mut alternatives = Vec::new();
        loop {
            let seq = self.sequence()?;
            alternatives.push(if seq.is_empty() { None } else { Some(Node::Seq(seq)) });
            if self.peek() != c('|') {
                break;
            }
            self.next();
        }
        Ok(if alternatives.len() == 1 {
            Node::Seq(alternatives.pop().flatten().into_iter().collect())
        } else {
            Node::Branch(alternatives)
        })
    }

    fn sequence(&mut self) -> Result<Vec<Node>> {
        let mut nodes = Vec::new();
        loop {
            let ch = self.peek();
            let node = match char::from_u32(ch).unwrap_or('\u{0}') {
                '(' => {
                    if let Some(group) = self.group()? {
                        nodes.push(group);
                    }
                    continue;
                }
                '[' => {
                    self.class(true)?;
                    Node::Char
                }
                '\\' => {
                    let e = self.next_escaped();
                    if e == c('p') || e == c('P') {
                        self.property_after_p()?;
                        Node::Char
                    } else {
                        self.unread();
                        self.atom()?
                    }
                }
                '^' | '$' => {
                    self.next();
                    Node::Zero
                }
                '.' => {
                    self.next();
                    Node::Char
                }
                '|' | ')' => break,
                ']' | '}' => self.atom()?,
                '?' | '*' | '+' => {
                    self.next();
                    return Err(self.error(&format!("Dangling meta character '{}'", char::from_u32(ch).unwrap_or('?'))));
                }
                '\u{0}' if self.cursor >= self.len => break,
                _ => self.atom()?,
            };
            let node = self.closure(node)?;
            nodes.push(node);
        }
        Ok(nodes)
    }

    /// A run of literal characters, or one escape. Java unwinds the last literal when a quantifier
    /// follows, so that `ab*` repeats only `b`.
    fn atom(&mut self) -> Result<Node> {
        let mut first = 0usize;
        let mut units = 0i32;
        let mut last_units = 0i32;
        let mut prev = None;
        let mut ch = self.peek();
        loop {
            match char::from_u32(ch).unwrap_or('\u{0}') {
                '*' | '+' | '?' | '{' => {
                    if first > 1 {
                        self.cursor = prev.unwrap_or(self.cursor);
                        first -= 1;
                        units -= last_units;
                    }
                    break;
                }
                '$' | '.' | '^' | '(' | '[' | '|' | ')' => break,
                '\\' => {
                    let e = self.next_escaped();
                    if e == c('p') || e == c('P') {
                        if first > 0 {
                            self.unread();
                            break;
                        }
                        self.property_after_p()?;
                        return Ok(Node::Char);
                    }
                    self.unread();
                    prev = Some(self.cursor);
                    match self.escape(false, first == 0, false)? {
                        Escape::Char(code) => {
                            last_units = if code > 0xFFFF { 2 } else { 1 };
                            units += last_units;
                            first += 1;
                            ch = self.peek();
                            continue;
                        }
                        Escape::Node(node) if first == 0 => return Ok(node),
                        Escape::Node(_) => {
                            // A class or assertion after literals: parsed again on its own.
                            self.cursor = prev.unwrap_or(self.cursor);
                            break;
                        }
                    }
                }
                '\u{0}' if self.cursor >= self.len => break,
                _ => {
                    prev = Some(self.cursor);
                    last_units = if ch > 0xFFFF { 2 } else { 1 };
                    units += last_units;
                    first += 1;
                    ch = self.next();
                    continue;
                }
            }
        }
        Ok(if first == 1 { Node::Char } else { Node::Slice(units) })
    }

    fn closure(&mut self, atom: Node) -> Result<Node> {
        Ok(match self.quantifier()? {
            Quantifier::None => atom,
            Quantifier::Ques(_) => Node::Ques(Box::new(atom)),
            Quantifier::Curly { kind: Kind::Greedy, open: true, .. } if matches!(atom, Node::Char) => Node::CharGreedy,
            Quantifier::Curly { cmin, cmax, .. } => Node::Curly(Box::new(atom), cmax, cmin == cmax),
        })
    }

    /// After a quantifier: greedy, lazy (`?`) or possessive (`+`).
    fn kind(&mut self) -> Kind {
        let ch = self.next();
        if ch == c('?') {
            self.next();
            Kind::Lazy
        } else if ch == c('+') {
            self.next();
            Kind::Possessive
        } else {
            Kind::Greedy
        }
    }

    fn quantifier(&mut self) -> Result<Quantifier> {
        let ch = self.peek();
        if ch == c('?') {
            return Ok(Quantifier::Ques(self.kind()));
        }
        if ch == c('*') || ch == c('+') {
            let cmin = i32::from(ch == c('+'));
            return Ok(Quantifier::Curly { cmin, cmax: MAX_REPS, kind: self.kind(), open: true });
        }
        if ch != c('{') {
            return Ok(Quantifier::None);
        }
        let mut ch = self.skip();
        if !is_digit(ch) {
            return Err(self.error("Illegal repetition"));
        }
        let digit = |n: i32, ch: u32| n.checked_mul(10).and_then(|v| v.checked_add((ch - c('0')) as i32));
        let mut cmin: i32 = 0;
        loop {
            cmin = digit(cmin, ch).ok_or_else(|| self.error("Illegal repetition range"))?;
            ch = self.read();
            if !is_digit(ch) {
                break;
            }
        }
        let mut cmax = cmin;
        if ch == c(',') {
            ch = self.read();
            if ch == c('}') {
                self.unread();
                return Ok(Quantifier::Curly { cmin, cmax: MAX_REPS, kind: self.kind(), open: true });
            }
            cmax = 0;
            while is_digit(ch) {
                cmax = digit(cmax, ch).ok_or_else(|| self.error("Illegal repetition range"))?;
                ch = self.read();
            }
        }
        if ch != c('}') {
            return Err(self.error("Unclosed counted closure"));
        }
        if cmax < cmin {
            return Err(self.error("Illegal repetition range"));
        }
        self.unread();
        let kind = self.kind();
        Ok(if cmin == 0 && cmax == 1 {
            Quantifier::Ques(kind)
        } else {
            Quantifier::Curly { cmin, cmax, kind, open: false }
        })
    }

    /// `(` … `)`: returns `None` for a flags-only group such as `(?i)`.
    fn group(&mut self) -> Result<Option<Node>> {
        self.enter()?;
        let group = self.group_inside();
        self.depth -= 1;
        group
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error("Stack overflow during pattern compilation"));
        }
        Ok(())
    }

    fn group_inside(&mut self) -> Result<Option<Node>> {
        let saved = self.flags;
        let mut ch = self.next();
        // Look-arounds and `(?>…)` are one node that takes the quantifier itself.
        let mut single = None;
        let body = if ch == c('?') {
            ch = self.skip();
            match char::from_u32(ch).unwrap_or('\u{0}') {
                ':' => self.expr()?,
                '=' | '!' => {
                    self.expr()?;
                    single = Some(Node::Zero);
                    Node::Zero
                }
                '>' => {
                    let inner = self.expr()?;
                    single = Some(Node::Independent(Box::new(inner)));
                    Node::Zero
                }
                '<' => {
                    ch = self.read();
                    if ch != c('=') && ch != c('!') {
                        let name = self.group_name(ch)?;
                        if self.names.contains(&name) {
                            return Err(self.error(&format!("Named capturing group <{name}> is already defined")));
                        }
                        self.groups += 1;
                        self.names.insert(name);
                        self.expr()?
                    } else {
                        let inner = self.expr()?;
                        let mut info = Info::EMPTY;
                        study(&inner, &mut info);
                        if !info.max_valid {
                            return Err(self.error("Look-behind group does not have an obvious maximum length"));
                        }
                        single = Some(Node::Zero);
                        Node::Zero
                    }
                }
                '$' | '@' => return Err(self.error("Unknown group type")),
                _ => {
                    self.unread();
                    self.add_flags();
                    ch = self.read();
                    if ch == c(')') {
                        return Ok(None);
                    }
                    if ch != c(':') {
                        return Err(self.error("Unknown inline modifier"));
                    }
                    self.expr()?
                }
            }
        } else {
            self.groups += 1;
            self.expr()?
        };
        self.accept(c(')'), "Unclosed group")?;
        self.flags = saved;
        let q = self.quantifier()?;
        if let Some(atom) = single {
            return Ok(Some(match q {
                Quantifier::None => atom,
                Quantifier::Ques(_) => Node::Ques(Box::new(atom)),
                Quantifier::Curly { cmin, cmax, .. } => Node::Curly(Box::new(atom), cmax, cmin == cmax),
            }));
        }
        Ok(Some(match q {
            Quantifier::None => body,
            Quantifier::Ques(Kind::Possessive) => Node::Ques(Box::new(body)),
            Quantifier::Ques(_) => Node::Branch(vec![Some(body), None]),
            Quantifier::Curly { cmin, cmax, kind: Kind::Possessive, .. } => {
                Node::Curly(Box::new(body), cmax, cmin == cmax)
            }
            Quantifier::Curly { cmin, cmax, .. } => {
                // Java repeats a deterministic body as one measurable node, anything else as a loop.
                let mut info = Info::EMPTY;
                study(&body, &mut info);
                if info.deterministic {
                    Node::Curly(Box::new(body), cmax, cmin == cmax)
                } else {
                    Node::Loop
                }
            }
        }))
    }

    fn group_name(&mut self, first: u32) -> Result<String> {
        if !is_alpha(first) {
            return Err(self.error("capturing group name does not start with a Latin letter"));
        }
        let mut name = String::new();
        let mut ch = first;
        loop {
            name.push(char::from_u32(ch).unwrap_or('?'));
            ch = self.read();
            if !(is_alpha(ch) || is_digit(ch)) {
                break;
            }
        }
        if ch != c('>') {
            return Err(self.error("named capturing group is missing trailing '>'"));
        }
        Ok(name)
    }

    fn add_flags(&mut self) {
        let mut ch = self.peek();
        let mut on = true;
        loop {
            let flag = match char::from_u32(ch).unwrap_or('\u{0}') {
                'x' => COMMENTS,
                'U' => UNICODE_CLASS,
                'd' => UNIX_LINES,
                'i' | 'm' | 's' | 'u' | 'c' => 0,
                '-' if on => {
                    on = false;
                    ch = self.next();
                    continue;
                }
                _ => return,
            };
            if on {
                self.flags |= flag;
            } else {
                self.flags &= !flag;
            }
            ch = self.next();
        }
    }

    /// After `\p` or `\P`: a one-letter name or `{NAME}`.
    fn property_after_p(&mut self) -> Result<()> {
        let ch = self.next();
        let one_letter = ch != c('{');
        if one_letter {
            self.unread();
        }
        self.property(one_letter)
    }

    fn property(&mut self, one_letter: bool) -> Result<()> {
        self.next();
        let name: String = if one_letter {
            let ch = self.at(self.cursor);
            self.read();
            char::from_u32(ch).map(String::from).unwrap_or_default()
        } else {
            let start = self.cursor;
            // Java marks the end with `}` so that the scan stops there.
            self.temp[self.len] = c('}');
            while self.read() != c('}') {}
            self.temp[self.len] = 0;
            let end = self.cursor;
            if end > self.len {
                return Err(self.error("Unclosed character family"));
            }
            if start + 1 >= end {
                return Err(self.error("Empty character family"));
            }
            self.temp[start..end - 1].iter().filter_map(|&u| char::from_u32(u)).collect()
        };
        if let Some((key, value)) = name.split_once('=') {
            let known = match key.to_lowercase().as_str() {
                "sc" | "script" => is_script(value),
                "blk" | "block" => is_block(value),
                "gc" | "general_category" => PROPERTIES.binary_search(&value).is_ok(),
                _ => false,
            };
            if !known {
                return Err(
                    self.error(&format!("Unknown Unicode property {{name=<{}>, value=<{value}>}}", key.to_lowercase()))
                );
            }
            return Ok(());
        }
        let known = if let Some(block) = name.strip_prefix("In") {
            is_block(block)
        } else if let Some(short) = name.strip_prefix("Is") {
            UNICODE_PROPERTIES.binary_search(&short.to_uppercase().as_str()).is_ok()
                || PROPERTIES.binary_search(&short).is_ok()
                || is_script(short)
        } else {
            (self.has(UNICODE_CLASS) && POSIX.binary_search(&name.to_uppercase().as_str()).is_ok())
                || PROPERTIES.binary_search(&name.as_str()).is_ok()
        };
        if known {
            Ok(())
        } else {
            Err(self.error(&format!("Unknown character property name {{{name}}}")))
        }
    }

    /// `[` … `]`, with nested classes and `&&` intersections. `consume` is false for the right side of
    /// `&&` written without brackets, whose `]` belongs to the enclosing class.
    fn class(&mut self, consume: bool) -> Result<()> {
        self.enter()?;
        let class = self.class_inside(consume);
        self.depth -= 1;
        class
    }

    fn class_inside(&mut self, consume: bool) -> Result<()> {
        let mut prev = false;
        let mut has_bits = false;
        let mut ch = self.next();
        if ch == c('^') && self.at(self.cursor - 1) == c('[') {
            ch = self.next();
        }
        loop {
            match char::from_u32(ch).unwrap_or('\u{0}') {
                '[' => {
                    self.class(true)?;
                    prev = true;
                    ch = self.peek();
                    continue;
                }
                '&' => {
                    ch = self.next();
                    if ch == c('&') {
                        ch = self.next();
                        let mut right = false;
                        while ch != c(']') && ch != c('&') {
                            if ch == c('[') {
                                self.class(true)?;
                            } else {
                                self.unread();
                                self.class(false)?;
                            }
                            right = true;
                            ch = self.peek();
                        }
                        if has_bits {
                            prev = true;
                            has_bits = false;
                        }
                        // (Java 17 has no "Bad intersection syntax" yet: `[\da&&]` is valid there.)
                        if !prev {
                            if !right {
                                return Err(self.error("Bad class syntax"));
                            }
                            prev = true;
                        }
                        continue;
                    }
                    self.unread();
                }
                '\u{0}' if self.cursor >= self.len => return Err(self.error("Unclosed character class")),
                ']' if prev || has_bits => {
                    if consume {
                        self.next();
                    }
                    return Ok(());
                }
                _ => {}
            }
            if self.range()? {
                prev = true;
            } else {
                has_bits = true;
            }
            ch = self.peek();
        }
    }

    /// One member of a class: returns whether Java makes it a predicate (a property, an escape class, a
    /// range, a character from U+0100) rather than a bit of its Latin-1 set.
    fn range(&mut self) -> Result<bool> {
        let mut ch = self.peek();
        if ch == c('\\') {
            let e = self.next_escaped();
            if e == c('p') || e == c('P') {
                self.property_after_p()?;
                return Ok(true);
            }
            let is_range = self.at(self.cursor + 1) == c('-');
            self.unread();
            match self.escape(true, true, is_range)? {
                Escape::Node(_) => return Ok(true),
                Escape::Char(code) => ch = code,
            }
        } else {
            self.next();
        }
        if self.peek() == c('-') {
            let end = self.at(self.cursor + 1);
            if end == c('[') {
                return Ok(ch >= 256);
            }
            if end != c(']') {
                self.next();
                let mut m = self.peek();
                if m == c('\\') {
                    m = match self.escape(true, false, true)? {
                        Escape::Char(code) => code,
                        Escape::Node(_) => return Err(self.error("Illegal character range")),
                    };
                } else {
                    self.next();
                }
                if m < ch {
                    return Err(self.error("Illegal character range"));
                }
                return Ok(true);
            }
        }
        Ok(ch >= 256)
    }

    /// The escape at the cursor (`\` included). `create` is false where Java only looks at an escape to
    /// end a run of literals; it then leaves back-reference digits and `\b{g}` for the next look.
    fn escape(&mut self, in_class: bool, create: bool, is_range: bool) -> Result<Escape> {
        let ch = self.skip();
        let illegal = |s: &Parser| Err(s.error("Illegal/unsupported escape sequence"));
        let node = |n: Node| Ok(Escape::Node(n));
        match char::from_u32(ch).unwrap_or('\u{0}') {
            '0' => self.octal().map(Escape::Char),
            '1'..='9' if in_class => illegal(self),
            '1'..='9' => {
                if create {
                    // Further digits belong to the reference while they name an existing group.
                    let mut number = ch - c('0');
                    loop {
                        let d = self.peek();
                        if !is_digit(d) {
                            break;
                        }
                        let longer = number * 10 + (d - c('0'));
                        if self.groups - 1 < longer {
                            break;
                        }
                        number = longer;
                        self.read();
                    }
                }
                node(Node::BackRef)
            }
            'A' | 'B' | 'G' | 'Z' | 'z' if in_class => illegal(self),
            'A' | 'B' | 'G' | 'Z' | 'z' => node(Node::Zero),
            'R' | 'X' if in_class => illegal(self),
            'R' => node(Node::LineEnding),
            'X' => node(Node::Grapheme),
            'D' | 'H' | 'S' | 'V' | 'W' | 'd' | 'h' | 's' | 'w' => node(Node::Char),
            'N' => self.named_char().map(Escape::Char),
            'a' => Ok(Escape::Char(7)),
            'b' if in_class => illegal(self),
            'b' => {
                if create && self.peek() == c('{') {
                    if self.skip() == c('g') {
                        if self.read() == c('}') {
                            return node(Node::Zero);
                        }
                        return illegal(self);
                    }
                    self.unread();
                    self.unread();
                }
                node(Node::Zero)
            }
            'c' => {
                if self.cursor < self.len {
                    Ok(Escape::Char(self.read() ^ 64))
                } else {
                    Err(self.error("Illegal control escape sequence"))
                }
            }
            'e' => Ok(Escape::Char(0x1B)),
            'f' => Ok(Escape::Char(0x0C)),
            'k' if in_class => illegal(self),
            'k' => {
                if self.read() != c('<') {
                    return Err(self.error("\\k is not followed by '<' for named capturing group"));
                }
                let first = self.read();
                let name = self.group_name(first)?;
                if !self.names.contains(&name) {
                    return Err(self.error(&format!("named capturing group <{name}> does not exist")));
                }
                node(Node::BackRef)
            }
            'n' => Ok(Escape::Char(0x0A)),
            'r' => Ok(Escape::Char(0x0D)),
            't' => Ok(Escape::Char(0x09)),
            'u' => self.unicode().map(Escape::Char),
            'v' if is_range => Ok(Escape::Char(0x0B)),
            'v' => node(Node::Char),
            'x' => self.hex().map(Escape::Char),
            'C' | 'E' | 'F' | 'I' | 'J' | 'K' | 'L' | 'M' | 'O' | 'P' | 'Q' | 'T' | 'U' | 'Y' | 'g' | 'i' | 'j'
            | 'l' | 'm' | 'o' | 'p' | 'q' | 'y' => illegal(self),
            _ => Ok(Escape::Char(ch)),
        }
    }

    fn octal(&mut self) -> Result<u32> {
        let is_octal = |ch: u32| (c('0')..=c('7')).contains(&ch);
        let n = self.read();
        if !is_octal(n) {
            return Err(self.error("Illegal octal escape sequence"));
        }
        let m = self.read();
        if !is_octal(m) {
            self.unread();
            return Ok(n - c('0'));
        }
        let o = self.read();
        if is_octal(o) && n <= c('3') {
            return Ok((n - c('0')) * 64 + (m - c('0')) * 8 + (o - c('0')));
        }
        self.unread();
        Ok((n - c('0')) * 8 + (m - c('0')))
    }

    fn hex(&mut self) -> Result<u32> {
        let n = self.read();
        if is_hex(n) {
            let m = self.read();
            if is_hex(m) {
                return Ok(hex_value(n) * 16 + hex_value(m));
            }
        } else if n == c('{') && is_hex(self.peek()) {
            let mut code: u32 = 0;
            let mut d = self.read();
            while is_hex(d) {
                code = (code << 4) + hex_value(d);
                if code > 0x10FFFF {
                    return Err(self.error("Hexadecimal codepoint is too big"));
                }
                d = self.read();
            }
            if d != c('}') {
                return Err(self.error("Unclosed hexadecimal escape sequence"));
            }
            return Ok(code);
        }
        Err(self.error("Illegal hexadecimal escape sequence"))
    }

    fn four_hex(&mut self) -> Result<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let ch = self.read();
            if !is_hex(ch) {
                return Err(self.error("Illegal Unicode escape sequence"));
            }
            n = n * 16 + hex_value(ch);
        }
        Ok(n)
    }

    fn unicode(&mut self) -> Result<u32> {
        let n = self.four_hex()?;
        if (0xD800..0xDC00).contains(&n) {
            let at = self.cursor;
            if self.read() == c('\\') && self.read() == c('u') {
                if let Ok(low) = self.four_hex() {
                    if (0xDC00..0xE000).contains(&low) {
                        return Ok(0x10000 + ((n - 0xD800) << 10) + (low - 0xDC00));
                    }
                }
            }
            self.cursor = at;
        }
        Ok(n)
    }

    fn named_char(&mut self) -> Result<u32> {
        if self.read() != c('{') {
            return Err(self.error("Illegal character name escape sequence"));
        }
        let start = self.cursor;
        while self.read() != c('}') {
            if self.cursor >= self.len {
                return Err(self.error("Unclosed character name escape sequence"));
            }
        }
        let name: String = self.temp[start..self.cursor - 1].iter().filter_map(|&u| char::from_u32(u)).collect();
        let plausible =
            !name.trim().is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
        if plausible {
            Ok(c('a'))
        } else {
            Err(self.error(&format!("Unknown character name [{name}]")))
        }
    }
}

enum Escape {
    Char(u32),
    Node(Node),
}

fn is_script(name: &str) -> bool {
    SCRIPTS.binary_search(&name.to_uppercase().as_str()).is_ok()
}

fn is_block(name: &str) -> bool {
    BLOCKS.binary_search(&name.to_uppercase().as_str()).is_ok()
}

/// Whether the `regex` crate, matching bytes in ASCII mode, gives Java's verdict for `pattern` on a
/// printable-ASCII value: literals, `.`, flat classes (no nesting, no `&&`, no POSIX `[:…:]`), `\d`,
/// `\w`, `\s` and their negations, escaped punctuation, plain groups, alternation, and greedy or lazy
/// quantifiers. Anything else is Java's alone, and pkwc does not guess what it matches.
pub fn portable(pattern: &str) -> bool {
    let b = pattern.as_bytes();
    let mut in_class = false;
    let mut i = 0;
    while i < b.len() {
        let ch = b[i];
        if !(0x20..0x7F).contains(&ch) {
            return false;
        }
        match ch {
            b'\\' => match b.get(i + 1) {
                Some(e) if e.is_ascii_punctuation() || b"dwsDWS".contains(e) => i += 1,
                _ => return false,
            },
            b'[' if in_class => return false,
            b'[' => {
                in_class = true;
                if b.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                // A `]` first in a class is a literal in Java and an error in some engines.
                if b.get(i + 1) == Some(&b']') {
                    return false;
                }
            }
            b']' if in_class => in_class = false,
            b'&' if in_class && b.get(i + 1) == Some(&b'&') => return false,
            b'(' if !in_class && b.get(i + 1) == Some(&b'?') => return false,
            // A `}` outside a counted repetition is a literal in Java and an error in other engines.
            b'}' if !in_class => return false,
            b'{' if !in_class => {
                let after_atom = i > 0 && !b"(|".contains(&b[i - 1]);
                let Some(end) = b[i..].iter().position(|&c| c == b'}') else { return false };
                // Everything here is ASCII, so byte offsets are character boundaries.
                let inner = &pattern[i + 1..i + end];
                let (lo, hi) = inner.split_once(',').unwrap_or((inner, "0"));
                let counted = !lo.is_empty() && lo.bytes().chain(hi.bytes()).all(|c| c.is_ascii_digit());
                if !after_atom || !counted {
                    return false;
                }
                i += end;
            }
            b'+' if i > 0 && b"*+?}".contains(&b[i - 1]) && !in_class => return false,
            _ => {}
        }
        i += 1;
    }
    !in_class
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_patterns_are_the_plain_ones() {
        for yes in ["rack-[0-9]+", "eu-.*", "a{2,3}b", "(a|b)\\d*?", "[^x-z]"] {
            assert!(portable(yes), "{yes}");
        }
        for no in ["}", "a}", "{2}", "a{2", "a{x}", "(?i)a", "[[:alpha:]]", "[a&&b]", "a*+", "é", "[]a]", "\\p{L}"] {
            assert!(!portable(no), "{no}");
        }
    }
}
