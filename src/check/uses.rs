//! Name resolution, kept: what each name written in the source resolved to while lowering. Editor tools
//! read it (go-to-definition, references, rename, hover); the compiler itself never does. Recorded only
//! when the caller asks (`Options::names`), so a build pays nothing for it.
//!
//! Spans here are the text as written (`via` 0): a template line used by a hundred apps is one use.

use crate::check::expand::{Expansion, Numbered, PendingName};
use crate::source::{FileId, Span};

/// What kind of name a definition binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    Let,
    /// A top-level `param` (what `--set` sets).
    Param,
    /// A template's `param`.
    TemplateParam,
    Template,
}

impl NameKind {
    pub fn describe(self) -> &'static str {
        match self {
            NameKind::Let => "let",
            NameKind::Param => "param",
            NameKind::TemplateParam => "template parameter",
            NameKind::Template => "template",
        }
    }
}

/// What a use resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A `let`, `param` or template, by the span of its name where it is declared.
    Name(NameKind, Span),
    /// The file an `import` read.
    File(FileId),
    /// An app or group path (`dns()`, `srv()`, `depends-on`, `external`), by its absolute id.
    Path(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Use {
    /// The text that names it: `$seeds`, `seeds` in `seeds 3`, `cassandra` in `cassandra seeds 3`, the string
    /// of an `import` or a `dns()` call, a `depends-on` path.
    pub at: Span,
    pub target: Target,
}

/// Every definition and every use lowering saw, in source order once `finish`ed.
#[derive(Debug, Default)]
pub struct Names {
    /// Each definition's name span and kind.
    pub defs: Vec<(Span, NameKind)>,
    pub uses: Vec<Use>,
    /// Every template expansion (`Span::via` numbers them), for the statement that made an app.
    pub expansions: Numbered<Expansion>,
    /// `dns-names dotted`: Mesos-DNS names in the legacy dotted form.
    pub dotted: bool,
    /// The name spans of the templates that make apps (group templates), which `app … from` cannot use.
    pub group_templates: Vec<Span>,
}

impl Names {
    pub fn def(&mut self, at: Span, kind: NameKind) {
        self.defs.push((as_written(at), kind));
    }

    pub fn use_of(&mut self, at: Span, target: Target) {
        let target = match target {
            Target::Name(kind, def) => Target::Name(kind, as_written(def)),
            other => other,
        };
        self.uses.push(Use { at: as_written(at), target });
    }

    pub fn extend(&mut self, other: Names) {
        self.defs.extend(other.defs);
        self.uses.extend(other.uses);
        self.group_templates.extend(other.group_templates);
    }

    /// Sorted by position, each definition and use once.
    pub fn finish(&mut self) {
        self.defs.sort_unstable_by_key(|(s, k)| (s.file, s.start, s.end, *k));
        self.defs.dedup();
        self.uses.sort_unstable_by(|a, b| {
            (a.at.file, a.at.start, a.at.end).cmp(&(b.at.file, b.at.start, b.at.end)).then(a.target.cmp(&b.target))
        });
        self.uses.dedup();
    }

    /// The text as the user wrote it: a span inside a template expansion points at the template's own line,
    /// and an app made by a template at the statement that used it.
    pub fn written_site(&self, mut span: Span) -> Span {
        // Each expansion's site was recorded before the expansions it holds: this ends.
        let mut hops = 0;
        while span.via != 0 && hops <= crate::limits::MAX_EXPANSION_DEPTH {
            match self.expansions.get(span.via) {
                Some(e) => span = e.site,
                None => break,
            }
            hops += 1;
        }
        as_written(span)
    }
}

fn as_written(span: Span) -> Span {
    Span { via: 0, ..span }
}

/// The app and group paths of `dns()`/`srv()` calls (`pending`) and of `depends-on` and `external`
/// statements, each by the absolute id it names.
pub fn paths(names: &mut Names, cluster: Option<&crate::model::Cluster>, pending: &Numbered<PendingName>) {
    for (_, p) in pending.iter() {
        if let Some(absolute) = &p.absolute {
            names.use_of(p.span, Target::Path(absolute.clone()));
        }
    }
    let Some(cluster) = cluster else { return };
    let mut stack = vec![&cluster.root];
    while let Some(g) = stack.pop() {
        for d in g.dependencies.iter().chain(&g.externals).chain(g.apps.iter().flat_map(|a| &a.dependencies)) {
            names.use_of(d.written.span, Target::Path(d.absolute.clone()));
        }
        stack.extend(&g.groups);
    }
}
