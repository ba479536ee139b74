//! Position queries on unsaved text, for the language server and any other tool: what to show on hover,
//! and what may be written at the cursor. Plain data in, plain data out: no threads, no I/O, no protocol
//! types. Both read the tokens (`syntax::tokens`) and the schema table, which holds every directive's
//! documentation and where it may appear.

use crate::schema::{self, Kind, Place};
use crate::syntax::tokens::{tokenize, Token, TokenKind};
use crate::units::{self, UnitKind};

/// Hover text (Markdown) for the token at byte `offset`, and the token's byte range.
pub fn hover(text: &str, offset: usize) -> Option<(String, (usize, usize))> {
    let tokens = tokenize(text);
    let i = tokens.iter().position(|t| t.start <= offset && offset < t.end.max(t.start + 1))?;
    let token = tokens[i];
    if token.kind != TokenKind::Text {
        return None;
    }
    let word = token.text(text);
    let range = (token.start, token.end);
    let head = statement_head(&tokens, i);
    // The statement's first word: the directive's documentation.
    if head.is_none_or(|h| h == i) {
        let d = schema::directive(word)?;
        let places: Vec<&str> = d.places.iter().map(|p| p.describe()).collect();
        return Some((
            format!("**{}** ({})\n\n{}\n\n```pkw\n{}\n```", d.name, places.join(", "), d.doc, d.example),
            range,
        ));
    }
    // An option of the statement's directive.
    if let Some(directive) = head.and_then(|h| schema::directive(tokens[h].text(text))) {
        if let Some(o) = directive.options.iter().find(|o| o.name == word) {
            let kind = o.kind.map_or("a flag".to_string(), Kind::describe);
            return Some((format!("**{}** `{}`: {} ({kind})", directive.name, o.name, o.doc), range));
        }
    }
    // A size or a duration (a template parameter's value too): what Marathon receives.
    quantity(word).map(|q| (q, range))
}

/// `4GiB` → "4096 MiB (what Marathon receives)", `2m` → "120 seconds".
fn quantity(word: &str) -> Option<String> {
    let split = word.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = word.split_at(split);
    let n: f64 = number.parse().ok()?;
    let unit = units::suggest(unit).unwrap_or(unit);
    let scale = units::scale(unit)?;
    Some(match units::classify(unit)? {
        UnitKind::Size => format!("`{word}` = {} MiB (what Marathon receives)", n * scale),
        UnitKind::Duration => format!("`{word}` = {} seconds (what Marathon receives)", n * scale / 1000.0),
    })
}

/// The first token of the statement holding token `i` (after the last line break, `;`, `{` or `}` before
/// it), with its index; `None` when `i` is the first.
fn statement_head(tokens: &[Token], i: usize) -> Option<usize> {
    let start = tokens[..i]
        .iter()
        .rposition(|t| {
            matches!(t.kind, TokenKind::Newline | TokenKind::Semicolon | TokenKind::OpenBrace | TokenKind::CloseBrace)
        })
        .map_or(0, |p| p + 1);
    (start..=i).find(|&j| tokens[j].kind == TokenKind::Text)
}

/// A completion: the word to insert and what it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    pub detail: String,
}

/// What may be written at byte `offset`: at the start of a statement, the directives of the block the
/// cursor is in (at the top level, in a group, in an app or template); after a directive, its options.
pub fn completions(text: &str, offset: usize) -> Vec<Completion> {
    let tokens = tokenize(text);
    let before: Vec<Token> = tokens.iter().copied().filter(|t| t.start < offset).collect();
    // The innermost block still open at the cursor, by its statement's first word.
    let mut open: Vec<usize> = Vec::new();
    for (i, t) in before.iter().enumerate() {
        match t.kind {
            TokenKind::OpenBrace => open.push(i),
            TokenKind::CloseBrace => {
                open.pop();
            }
            _ => {}
        }
    }
    let place = match open.last().and_then(|&b| statement_head(&before, b)).map(|h| before[h].text(text)) {
        None => Place::Top,
        Some("group") => Place::Group,
        Some(_) => Place::App,
    };
    // Words of the current statement before the cursor (the one being typed excluded).
    let start = before
        .iter()
        .rposition(|t| {
            matches!(t.kind, TokenKind::Newline | TokenKind::Semicolon | TokenKind::OpenBrace | TokenKind::CloseBrace)
        })
        .map_or(0, |p| p + 1);
    let typing = before.last().is_some_and(|t| t.kind == TokenKind::Text && t.end >= offset);
    let words: Vec<&str> = before[start..].iter().filter(|t| t.kind == TokenKind::Text).map(|t| t.text(text)).collect();
    let done = if typing { words.len().saturating_sub(1) } else { words.len() };
    if done == 0 {
        // Templates may hold what apps and groups hold.
        return schema::DIRECTIVES
            .iter()
            .filter(|d| d.places.contains(&place) || (place == Place::App && d.places.contains(&Place::Group)))
            .map(|d| Completion { label: d.name.to_string(), detail: first_sentence(d.doc) })
            .collect();
    }
    let Some(d) = schema::directive(words[0]) else { return Vec::new() };
    let mut out: Vec<Completion> = d
        .options
        .iter()
        .filter(|o| !words[1..done].contains(&o.name))
        .map(|o| Completion { label: o.name.to_string(), detail: o.doc.to_string() })
        .collect();
    // The words of an enumerated argument (`network host|bridge|container`).
    for a in d.args {
        if let Kind::Enum(values) = a.kind {
            out.extend(
                values.iter().map(|v| Completion { label: v.to_string(), detail: format!("{} {}", d.name, a.name) }),
            );
        }
    }
    out
}

/// A group, app or template of the outline.
#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    pub name: String,
    /// `group`, `app` or `template`.
    pub kind: &'static str,
    /// The whole statement, and its name.
    pub range: (usize, usize),
    pub selection: (usize, usize),
    pub children: Vec<Symbol>,
}

/// The outline of a file: its groups, apps and templates, nested as written (from the syntax tree, so a
/// file with errors still has one).
pub fn symbols(text: &str) -> Vec<Symbol> {
    let (tree, _) = crate::syntax::parse(text, crate::source::FileId(0));
    fn walk(statements: &mut dyn Iterator<Item = &crate::syntax::Statement>) -> Vec<Symbol> {
        let mut out = Vec::new();
        for st in statements {
            let kind = match st.name.value.as_str() {
                "group" => "group",
                "app" => "app",
                "template" => "template",
                _ => continue,
            };
            let Some(name) = st.args.first() else { continue };
            let text = match &name.value {
                crate::syntax::Value::Word(w) | crate::syntax::Value::Path(w) => w.clone(),
                other => other.describe().to_string(),
            };
            out.push(Symbol {
                name: text,
                kind,
                range: (st.span.start as usize, st.span.end as usize),
                selection: (name.span.start as usize, name.span.end as usize),
                children: walk(&mut st.block_statements()),
            });
        }
        out
    }
    let mut top = tree.items.iter().filter_map(|i| match i {
        crate::syntax::Item::Statement(s) => Some(s),
        _ => None,
    });
    walk(&mut top)
}

/// What a highlighted stretch of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Highlight {
    /// A directive, at the start of a statement.
    Directive,
    Comment,
    String,
    /// A number, with or without a unit (`512MiB`, `30s`, `50%`).
    Number,
    /// A `$name` reference.
    Reference,
    /// A call: `dns(…)`, `srv(…)`.
    Call,
}

/// The highlighted tokens of a file, in order, by byte range: what an editor without a pkw grammar colours.
pub fn highlights(text: &str) -> Vec<(usize, usize, Highlight)> {
    let tokens = tokenize(text);
    let mut out = Vec::new();
    let mut statement_start = true;
    for t in &tokens {
        let word = t.text(text);
        let kind = match t.kind {
            TokenKind::Comment => Some(Highlight::Comment),
            TokenKind::Str => Some(Highlight::String),
            TokenKind::Text if statement_start && schema::directive(word).is_some() => Some(Highlight::Directive),
            TokenKind::Text if word.starts_with('$') => Some(Highlight::Reference),
            TokenKind::Text if word.contains('(') => Some(Highlight::Call),
            TokenKind::Text if word.starts_with(|c: char| c.is_ascii_digit()) => Some(Highlight::Number),
            _ => None,
        };
        if let Some(kind) = kind {
            out.push((t.start, t.end, kind));
        }
        match t.kind {
            TokenKind::Newline | TokenKind::Semicolon | TokenKind::OpenBrace | TokenKind::CloseBrace => {
                statement_start = true
            }
            TokenKind::Space | TokenKind::Comment => {}
            _ => statement_start = false,
        }
    }
    out
}

fn first_sentence(doc: &str) -> String {
    doc.split(". ").next().unwrap_or(doc).trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hover_documents_directives_options_and_quantities() {
        let text = "group g {\n  app a {\n    mem 4GiB\n    health http grace 2m\n  }\n}\n";
        let (h, _) = hover(text, text.find("mem").unwrap() + 1).unwrap();
        assert!(h.starts_with("**mem**"), "{h}");
        let (h, _) = hover(text, text.find("4GiB").unwrap()).unwrap();
        assert!(h.contains("4096 MiB"), "{h}");
        let (h, _) = hover(text, text.find("grace").unwrap()).unwrap();
        assert!(h.contains("**health** `grace`"), "{h}");
        let (h, _) = hover(text, text.find("2m").unwrap()).unwrap();
        assert!(h.contains("120 seconds"), "{h}");
        assert!(hover(text, text.find('{').unwrap()).is_none());
    }

    #[test]
    fn highlights_directives_strings_comments_numbers_and_references() {
        let text = "app a { image \"x\"; mem 512MiB }  # note\nenv HOST dns(db) $port\n";
        let kinds: Vec<(&str, Highlight)> = highlights(text).iter().map(|&(a, b, k)| (&text[a..b], k)).collect();
        assert_eq!(
            kinds,
            [
                ("app", Highlight::Directive),
                ("image", Highlight::Directive),
                ("\"x\"", Highlight::String),
                ("mem", Highlight::Directive),
                ("512MiB", Highlight::Number),
                ("# note", Highlight::Comment),
                ("env", Highlight::Directive),
                ("dns(db)", Highlight::Call),
                ("$port", Highlight::Reference),
            ]
        );
    }

    #[test]
    fn the_outline_nests_groups_apps_and_templates() {
        let text = "group shop {\n  template web { image \"x\" }\n  app front from web\n  group db {\n    app pg { cmd \"pg\" }\n  }\n}\n";
        let outline = symbols(text);
        assert_eq!(outline.len(), 1);
        let names: Vec<(&str, &str)> = outline[0].children.iter().map(|s| (s.kind, s.name.as_str())).collect();
        assert_eq!(names, [("template", "web"), ("app", "front"), ("group", "db")]);
        assert_eq!(outline[0].children[2].children[0].name, "pg");
        let (a, b) = outline[0].selection;
        assert_eq!(&text[a..b], "shop");
    }

    #[test]
    fn completion_offers_the_directives_of_the_block_and_a_directive_s_options() {
        let text = "group g {\n  app a {\n    \n  }\n  \n}\n";
        let in_app = completions(text, text.find("    \n").unwrap() + 4);
        assert!(in_app.iter().any(|c| c.label == "cpus") && !in_app.iter().any(|c| c.label == "dns-names"));
        let in_group = completions(text, text.rfind("  \n").unwrap() + 2);
        assert!(in_group.iter().any(|c| c.label == "app") && !in_group.iter().any(|c| c.label == "cpus"));
        let text = "app a {\n  health http gr\n}\n";
        let options = completions(text, text.find("gr\n").unwrap() + 2);
        assert!(options.iter().any(|c| c.label == "grace"), "{options:?}");
        let text = "app a {\n  network \n}\n";
        let words = completions(text, text.find("network ").unwrap() + 8);
        assert!(words.iter().any(|c| c.label == "bridge"), "{words:?}");
    }
}
