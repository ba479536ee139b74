//! The lexical layer: every byte of a file in exactly one token, so that the tokens, printed in order, give
//! back the file byte for byte. Strings and comments are delimited the way the grammar delimits them (a
//! string ends at its closing quote or at the end of its line; a comment runs to the end of its line), so
//! what is inside them is never taken for a brace. The brace pre-pass and the formatter read these.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Spaces, tabs and carriage returns that no line feed follows.
    Space,
    /// A line feed, with the carriage return before it if there is one.
    Newline,
    /// `#` to the end of the line.
    Comment,
    /// `"…"`, to the closing quote or the end of the line (unterminated).
    Str,
    OpenBrace,
    CloseBrace,
    Semicolon,
    /// Anything else, up to the next space, line end, quote, `#`, brace or `;`: words, numbers, paths,
    /// references, calls.
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text(self, source: &str) -> &str {
        &source[self.start..self.end]
    }
}

/// The tokens of `text`, in order, covering it exactly.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 4);
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b'\n' => {
                i += 1;
                TokenKind::Newline
            }
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                TokenKind::Newline
            }
            b' ' | b'\t' | b'\r' => {
                while i < bytes.len()
                    && (matches!(bytes[i], b' ' | b'\t') || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                {
                    i += 1;
                }
                TokenKind::Space
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
                    i += 1;
                }
                TokenKind::Comment
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    // An escape takes the next character, unless the line ends there.
                    i += if bytes[i] == b'\\' && bytes.get(i + 1).is_some_and(|&b| b != b'\n') { 2 } else { 1 };
                }
                if i < bytes.len() && bytes[i] == b'"' {
                    i += 1;
                }
                // Never split a character: an escape before a multi-byte character takes all of it.
                while i < bytes.len() && !text.is_char_boundary(i) {
                    i += 1;
                }
                TokenKind::Str
            }
            b'{' => {
                i += 1;
                TokenKind::OpenBrace
            }
            b'}' => {
                i += 1;
                TokenKind::CloseBrace
            }
            b';' => {
                i += 1;
                TokenKind::Semicolon
            }
            _ => {
                while i < bytes.len()
                    && !matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'"' | b'{' | b'}' | b';')
                {
                    i += 1;
                }
                TokenKind::Text
            }
        };
        tokens.push(Token { kind, start, end: i.min(bytes.len()) });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_cover_the_text_and_keep_strings_and_comments_whole() {
        let text = "app a { cmd \"echo {}; # not a comment\" } # a { comment }\r\n\tx\r y\"open\n";
        let tokens = tokenize(text);
        let printed: String = tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(printed, text);
        let braces = tokens.iter().filter(|t| matches!(t.kind, TokenKind::OpenBrace | TokenKind::CloseBrace)).count();
        assert_eq!(braces, 2);
        assert!(tokens.iter().any(|t| t.kind == TokenKind::Comment && t.text(text) == "# a { comment }"));
        assert!(tokens.iter().any(|t| t.kind == TokenKind::Str && t.text(text) == "\"open"));
    }
}
