//! URI syntax as `new java.net.URI(s)` (JDK 17) accepts it: Marathon refuses a fetch URI that Java cannot
//! parse ("URI has invalid syntax.", from 0.15). Java follows RFC 2396 with RFC 2732's brackets, plus its
//! own deviations, which this validator keeps: an empty authority before a path (`file:///x`), raw
//! non-ASCII characters, and an authority that is not a valid server (`s3://my_bucket/key`, `h:abc`)
//! kept as a registry name instead of refused. `tests/java_uri.rs` holds Java 17's own verdicts.

/// Why Java refuses a URI: its reason, and the character (counted from 0) it names (-1 for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub reason: String,
    pub index: isize,
}

type Result<T> = std::result::Result<T, SyntaxError>;

/// Checks `uri` as `new java.net.URI(uri)` does.
pub fn check(uri: &str) -> Result<()> {
    Parser { s: uri.chars().collect(), ipv6_bytes: 0 }.parse()
}

const MARK: &str = "-_.!~*'()";
const RESERVED: &str = ";/?:@&=+$,[]";

fn alpha(c: char) -> bool {
    c.is_ascii_alphabetic()
}

fn alphanum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn unreserved(c: char) -> bool {
    alphanum(c) || MARK.contains(c)
}

/// The character classes of Java's parser. Those marked `escapes` also take `%HH` and visible non-ASCII.
#[derive(Clone, Copy)]
enum Class {
    /// Query, fragment and opaque part.
    Uric,
    Path,
    UserInfo,
    RegName,
    Server,
    /// `Server` with a plain `%` (Java allows it for IPv6 zone ids, and in practice almost everywhere).
    ServerPercent,
    Scheme,
    Digit,
    Hex,
    ScopeId,
    AlphaNum,
    AlphaNumDash,
    DigitDot,
}

impl Class {
    fn matches(self, c: char) -> bool {
        if !c.is_ascii() || c == '\0' {
            return false;
        }
        match self {
            Class::Uric => RESERVED.contains(c) || unreserved(c),
            Class::Path => unreserved(c) || ":@&=+$,;/".contains(c),
            Class::UserInfo => unreserved(c) || ";:&=+$,".contains(c),
            Class::RegName => unreserved(c) || "$,;:@&=+".contains(c),
            Class::Server => Class::UserInfo.matches(c) || ".:@[]-".contains(c),
            Class::ServerPercent => Class::Server.matches(c) || c == '%',
            Class::Scheme => alphanum(c) || "+-.".contains(c),
            Class::Digit => c.is_ascii_digit(),
            Class::Hex => c.is_ascii_hexdigit(),
            Class::ScopeId => alphanum(c) || c == '_' || c == '.',
            Class::AlphaNum => alphanum(c),
            Class::AlphaNumDash => alphanum(c) || c == '-',
            Class::DigitDot => c.is_ascii_digit() || c == '.',
        }
    }

    fn escapes(self) -> bool {
        matches!(
            self,
            Class::Uric | Class::Path | Class::UserInfo | Class::RegName | Class::Server | Class::ServerPercent
        )
    }
}

/// `Character.isSpaceChar`: Unicode's space separators, line and paragraph separators.
fn is_space_char(c: char) -> bool {
    matches!(
        c,
        '\u{20}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

struct Parser {
    s: Vec<char>,
    ipv6_bytes: u32,
}

impl Parser {
    fn fail<T>(&self, reason: &str, index: usize) -> Result<T> {
        Err(SyntaxError { reason: reason.to_string(), index: index as isize })
    }

    fn expecting<T>(&self, what: &str, index: usize) -> Result<T> {
        self.fail(&format!("Expected {what}"), index)
    }

    fn at(&self, p: usize, end: usize, c: char) -> bool {
        p < end && self.s[p] == c
    }

    /// The first index from `start` holding one of `stop`, or `end`.
    fn find(&self, start: usize, end: usize, stop: &str) -> usize {
        (start..end).find(|&i| stop.contains(self.s[i])).unwrap_or(end.max(start))
    }

    /// Like `find`, but `None` if one of `err` comes first.
    fn find_unless(&self, start: usize, end: usize, err: &str, stop: &str) -> Option<usize> {
        for i in start..end {
            if err.contains(self.s[i]) {
                return None;
            }
            if stop.contains(self.s[i]) {
                return Some(i);
            }
        }
        Some(end.max(start))
    }

    /// How far characters of `class` run from `start` (escapes checked where the class takes them).
    fn scan(&self, start: usize, end: usize, class: Class) -> Result<usize> {
        let mut p = start;
        while p < end {
            let c = self.s[p];
            if class.matches(c) {
                p += 1;
                continue;
            }
            if class.escapes() {
                if c == '%' {
                    let hex = |i: usize| self.s.get(i).is_some_and(|c| c.is_ascii_hexdigit());
                    if p + 3 <= end && hex(p + 1) && hex(p + 2) {
                        p += 3;
                        continue;
                    }
                    return self.fail("Malformed escape pair", p);
                }
                if u32::from(c) > 128 && !is_space_char(c) && !c.is_control() {
                    p += 1;
                    continue;
                }
            }
            break;
        }
        Ok(p)
    }

    fn check_chars(&self, start: usize, end: usize, class: Class, what: &str) -> Result<()> {
        let p = self.scan(start, end, class)?;
        if p < end {
            return self.fail(&format!("Illegal character in {what}"), p);
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<()> {
        let n = self.s.len();
        let colon = self.find_unless(0, n, "/?#", ":");
        let mut p;
        match colon {
            Some(c) if self.at(c, n, ':') => {
                if c == 0 {
                    return self.expecting("scheme name", 0);
                }
                if !alpha(self.s[0]) {
                    return self.fail("Illegal character in scheme name", 0);
                }
                self.check_chars(1, c, Class::Scheme, "scheme name")?;
                p = c + 1;
                if self.at(p, n, '/') {
                    p = self.hierarchical(p, n)?;
                } else {
                    let q = self.find(p, n, "#");
                    if q <= p {
                        return self.expecting("scheme-specific part", p);
                    }
                    self.check_chars(p, q, Class::Uric, "opaque part")?;
                    p = q;
                }
            }
            _ => p = self.hierarchical(0, n)?,
        }
        if self.at(p, n, '#') {
            self.check_chars(p + 1, n, Class::Uric, "fragment")?;
            p = n;
        }
        if p < n {
            return self.expecting("end of URI", p);
        }
        Ok(())
    }

    fn hierarchical(&mut self, start: usize, n: usize) -> Result<usize> {
        let mut p = start;
        if self.at(p, n, '/') && self.at(p + 1, n, '/') {
            p += 2;
            let q = self.find(p, n, "/?#");
            if q > p {
                p = self.authority(p, q)?;
            } else if q >= n {
                return self.expecting("authority", p);
            }
        }
        let q = self.find(p, n, "?#");
        self.check_chars(p, q, Class::Path, "path")?;
        p = q;
        if self.at(p, n, '?') {
            p += 1;
            let q = self.find(p, n, "#");
            self.check_chars(p, q, Class::Uric, "query")?;
            p = q;
        }
        Ok(p)
    }

    fn authority(&mut self, start: usize, n: usize) -> Result<usize> {
        let server_class = if self.find(start, n, "]") > start { Class::ServerPercent } else { Class::Server };
        let server_chars = self.scan(start, n, server_class)? == n;
        let reg_chars = self.scan(start, n, Class::RegName)? == n;
        if reg_chars && !server_chars {
            return Ok(n);
        }
        let mut failure = None;
        let mut q = start;
        if server_chars {
            match self.server(start, n) {
                Ok(end) if end < n => failure = Some(self.expecting::<()>("end of authority", end).unwrap_err()),
                Ok(end) => q = end,
                Err(e) => failure = Some(e),
            }
        }
        if q < n {
            if reg_chars {
                // Kept as a registry-based authority: no host, no port.
                return Ok(n);
            }
            if let Some(e) = failure {
                return Err(e);
            }
            return self.fail("Illegal character in authority", start);
        }
        Ok(n)
    }

    fn server(&mut self, start: usize, n: usize) -> Result<usize> {
        let mut p = start;
        if let Some(q) = self.find_unless(p, n, "/?#", "@").filter(|&q| self.at(q, n, '@')) {
            self.check_chars(p, q, Class::UserInfo, "user info")?;
            p = q + 1;
        }
        if self.at(p, n, '[') {
            p += 1;
            let q = self.find_unless(p, n, "/?#", "]").unwrap_or(n);
            if q > p && self.at(q, n, ']') {
                let r = self.find(p, q, "%");
                if r > p {
                    self.ipv6(p, r)?;
                    if r + 1 == q {
                        return Err(SyntaxError { reason: "scope id expected".to_string(), index: -1 });
                    }
                    if r < q {
                        self.check_chars(r + 1, q, Class::ScopeId, "scope id")?;
                    }
                } else {
                    self.ipv6(p, q)?;
                }
                p = q + 1;
            } else {
                return self.expecting("closing bracket for IPv6 address", q);
            }
        } else {
            let q = self.ipv4_host(p, n)?;
            p = match q {
                Some(q) if q > p => q,
                _ => self.hostname(p, n)?,
            };
        }
        if self.at(p, n, ':') {
            p += 1;
            let q = n;
            if q > p {
                self.check_chars(p, q, Class::Digit, "port number")?;
                let digits: String = self.s[p..q].iter().collect();
                if digits.parse::<i32>().is_err() {
                    return self.fail("Malformed port number", p);
                }
                p = q;
            }
        }
        if p < n {
            return self.expecting("port number", p);
        }
        Ok(p)
    }

    /// An IPv4 host: `None` when the text is not one (then it is read as a host name).
    fn ipv4_host(&self, start: usize, n: usize) -> Result<Option<usize>> {
        let Ok(Some(p)) = self.ipv4(start, n, false) else { return Ok(None) };
        if p > start && p < n && self.s[p] != ':' {
            return Ok(None);
        }
        Ok(Some(p))
    }

    /// Four bytes joined by dots; `Ok(None)` when the text does not start like one, `Err` when it does
    /// but is not one.
    fn ipv4(&self, start: usize, n: usize, strict: bool) -> Result<Option<usize>> {
        let m = self.scan(start, n, Class::DigitDot)?;
        if m <= start || (strict && m != n) {
            return Ok(None);
        }
        let mut p = start;
        for part in 0..4 {
            if part > 0 {
                if !self.at(p, m, '.') {
                    return self.fail("Malformed IPv4 address", p);
                }
                p += 1;
            }
            let q = self.scan(p, m, Class::Digit)?;
            let digits: String = self.s[p..q].iter().collect();
            if q <= p || digits.parse::<u32>().map_or(true, |v| v > 255) {
                return self.fail("Malformed IPv4 address", p);
            }
            p = q;
        }
        if p < m {
            return self.fail("Malformed IPv4 address", p);
        }
        Ok(Some(p))
    }

    fn take_ipv4(&self, start: usize, n: usize, expected: &str) -> Result<usize> {
        match self.ipv4(start, n, true)? {
            Some(p) if p > start => Ok(p),
            _ => self.expecting(expected, start),
        }
    }

    fn hostname(&self, start: usize, n: usize) -> Result<usize> {
        let mut p = start;
        let mut last = None;
        loop {
            let q = self.scan(p, n, Class::AlphaNum)?;
            if q <= p {
                break;
            }
            last = Some(p);
            p = q;
            let q = self.scan(p, n, Class::AlphaNumDash)?;
            if q > p {
                if self.s[q - 1] == '-' {
                    return self.fail("Illegal character in hostname", q - 1);
                }
                p = q;
            }
            if !self.at(p, n, '.') {
                break;
            }
            p += 1;
            if p >= n {
                break;
            }
        }
        if p < n && !self.at(p, n, ':') {
            return self.fail("Illegal character in hostname", p);
        }
        let Some(last) = last else { return self.expecting("hostname", start) };
        if last > start && !alpha(self.s[last]) {
            return self.fail("Illegal character in hostname", last);
        }
        Ok(p)
    }

    fn ipv6(&mut self, start: usize, n: usize) -> Result<()> {
        let mut p = start;
        let mut compressed = false;
        match self.hex_seq(p, n)? {
            Some(q) if q > p => {
                p = q;
                if self.at(p, n, ':') && self.at(p + 1, n, ':') {
                    compressed = true;
                    p = self.hex_post(p + 2, n)?;
                } else if self.at(p, n, ':') {
                    p = self.take_ipv4(p + 1, n, "IPv4 address")?;
                    self.ipv6_bytes += 4;
                }
            }
            _ => {
                if self.at(p, n, ':') && self.at(p + 1, n, ':') {
                    compressed = true;
                    p = self.hex_post(p + 2, n)?;
                }
            }
        }
        if p < n {
            return self.fail("Malformed IPv6 address", start);
        }
        if self.ipv6_bytes > 16 {
            return self.fail("IPv6 address too long", start);
        }
        if !compressed && self.ipv6_bytes < 16 {
            return self.fail("IPv6 address too short", start);
        }
        if compressed && self.ipv6_bytes == 16 {
            return self.fail("Malformed IPv6 address", start);
        }
        Ok(())
    }

    fn hex_post(&mut self, start: usize, n: usize) -> Result<usize> {
        if start == n {
            return Ok(start);
        }
        match self.hex_seq(start, n)? {
            Some(q) if q > start => {
                if self.at(q, n, ':') {
                    let p = self.take_ipv4(q + 1, n, "hex digits or IPv4 address")?;
                    self.ipv6_bytes += 4;
                    return Ok(p);
                }
                Ok(q)
            }
            _ => {
                let p = self.take_ipv4(start, n, "hex digits or IPv4 address")?;
                self.ipv6_bytes += 4;
                Ok(p)
            }
        }
    }

    /// Groups of up to four hex digits joined by single colons; `None` when none starts here (or an
    /// IPv4 address does).
    fn hex_seq(&mut self, start: usize, n: usize) -> Result<Option<usize>> {
        let q = self.scan(start, n, Class::Hex)?;
        if q <= start || self.at(q, n, '.') {
            return Ok(None);
        }
        if q > start + 4 {
            return self.fail("IPv6 hexadecimal digit sequence too long", start);
        }
        self.ipv6_bytes += 2;
        let mut p = q;
        while p < n {
            if !self.at(p, n, ':') || self.at(p + 1, n, ':') {
                break;
            }
            p += 1;
            let q = self.scan(p, n, Class::Hex)?;
            if q <= p {
                return self.expecting("digits for an IPv6 address", p);
            }
            if self.at(q, n, '.') {
                p -= 1;
                break;
            }
            if q > p + 4 {
                return self.fail("IPv6 hexadecimal digit sequence too long", p);
            }
            self.ipv6_bytes += 2;
            p = q;
        }
        Ok(Some(p))
    }
}
