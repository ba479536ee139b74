//! Syntax tree → model: walks groups and apps in lexical scopes, expands templates, `if`, `let`, `param`,
//! imports and calls, looks every statement up in the schema table, matches its arguments (`args.rs`) and
//! applies them to the model (`apply.rs`).
//!
//! Invariant: every statement produced by a template expansion carries the expansion in its spans (`via`),
//! so a diagnostic can name the use site as well as the template line (`expand.rs`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::args::{match_args, Matched, Typed};
use super::expand::{Expansion, Numbered, PendingName, BANKS};
use super::ids;
use super::uses::{NameKind, Names, Target};
use crate::diagnostics::{messages, Diagnostic};
use crate::limits;
use crate::model::*;
use crate::schema::{self, Body, Count, Directive, Place};
use crate::source::{FileId, SourceFile, Sources, Span, Spanned};
use crate::syntax::{self, Arg, Item, Statement, StrPart, SyntaxFile, Value};
use crate::version::Version;

/// The functions a call may name.
pub const FUNCTIONS: &[&str] = &["dns", "srv"];

/// What one compilation may spend on making apps and expanding templates (`limits`), shared by the
/// lowering threads. Each limit is reported once, by the thread that reaches it first.
#[derive(Debug, Default)]
pub struct Budget {
    apps: AtomicUsize,
    groups: AtomicUsize,
    expansions: AtomicUsize,
    /// "Did you mean" comparisons spent so far.
    suggestions: AtomicUsize,
    group_depth_reported: AtomicBool,
}

impl Budget {
    /// Takes one from `counter`; `Some(true)` the first time it runs out (report it), `Some(false)` after
    /// that (stay quiet), `None` while there is room.
    fn take(counter: &AtomicUsize, max: usize) -> Option<bool> {
        let before = counter.fetch_add(1, Ordering::Relaxed);
        match before.cmp(&max) {
            std::cmp::Ordering::Less => None,
            std::cmp::Ordering::Equal => Some(true),
            std::cmp::Ordering::Greater => {
                // Keep the counter from wrapping on a pathological input.
                counter.store(max + 1, Ordering::Relaxed);
                Some(false)
            }
        }
    }

    /// Whether a suggestion search over `candidates` names still fits in the budget.
    pub fn may_suggest(&self, candidates: usize) -> bool {
        let spent = self.suggestions.fetch_add(candidates.max(1), Ordering::Relaxed);
        spent.saturating_add(candidates) <= limits::MAX_SUGGESTION_WORK
    }
}

/// Reads imported files. The library never touches the file system itself. `Sync`: lowering may run on
/// two threads.
pub trait Loader: Sync {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>>;

    /// What makes two paths the same file, for import cycles and repeated imports (the file system's
    /// loader resolves symbolic links). By default the path itself, with `.` and `..` folded.
    fn identity(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// A value bound by `let` or `param`.
#[derive(Clone, Debug)]
pub struct Binding {
    /// `None` when the value failed to evaluate (already reported): uses stay quiet.
    pub value: Option<Value>,
    /// Where the name is declared (for "its default is …" labels).
    pub declared: Span,
    /// The name where it is declared, and what declares it (for `check::uses`).
    pub name: Span,
    pub kind: NameKind,
}

#[derive(Debug)]
pub struct ParamDef {
    pub name: Spanned<String>,
    pub default: Arg,
}

#[derive(Debug)]
pub struct Template {
    pub name: Spanned<String>,
    pub params: Vec<ParamDef>,
    pub body: Vec<Statement>,
    /// The scope the template was declared in: its body sees those names. Weak, because that scope holds
    /// the template: a strong reference would be a cycle that outlives the compilation. Whoever finds the
    /// template finds it through that scope, which is alive then.
    pub scope: std::sync::Weak<Scope>,
    /// The body holds `app` or `group` statements (see `Template::makes_apps` for the whole rule).
    pub is_group: bool,
    /// What one use of the template can make at most, once worked out (`Template::cost`).
    pub cost: std::sync::OnceLock<Cost>,
    /// Something uses the template (set by real uses, not by checking untaken code); an unused one's body
    /// is checked on its own (`Lowerer::check_unused_templates`).
    pub used: std::sync::atomic::AtomicBool,
}

/// The most apps and template expansions one use of a template can make: both sides of every `if`, every
/// template it uses, counted through. A group template that uses the one before it twice, thirty times
/// over, makes 2^30 apps from 1.5 KB; this sees it before expanding anything.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cost {
    pub apps: u64,
    pub groups: u64,
    pub expansions: u64,
}

/// A lexical scope: `let`s, `param`s and templates, looked up through the parents. Shared between the
/// threads that lower sibling groups (a scope is filled before the statements that see it are lowered).
#[derive(Debug, Default)]
pub struct Scope {
    parent: Option<ScopeRef>,
    bindings: RwLock<HashMap<String, Binding>>,
    templates: RwLock<HashMap<String, Arc<Template>>>,
}

pub type ScopeRef = Arc<Scope>;

/// Reads a scope's table. Nothing panics while holding one, so a poisoned lock still holds whole data.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}

impl Template {
    /// The most one use of this template makes (memoized; a template that uses itself counts as far as
    /// `limits::MAX_EXPANSION_DEPTH` levels, where its expansion is refused anyway).
    pub fn cost(&self) -> Cost {
        self.cost_at(0)
    }

    fn cost_at(&self, depth: usize) -> Cost {
        if let Some(c) = self.cost.get() {
            return *c;
        }
        if depth > limits::MAX_EXPANSION_DEPTH {
            return Cost::default();
        }
        let Some(scope) = self.scope.upgrade() else { return Cost::default() };
        let body = statements_cost(self.body.iter(), &scope, depth);
        let cost = Cost { expansions: body.expansions.saturating_add(1), ..body };
        let _ = self.cost.set(cost);
        cost
    }

    /// Whether the template makes apps (a group template): its body holds `app` or `group`, or uses a group
    /// template (a misspelt directive in an app template stays an app template, and is reported as such).
    fn makes_apps(&self) -> bool {
        self.makes_apps_at(0)
    }

    /// `depth` bounds the search through templates that use templates (a cycle is reported elsewhere).
    fn makes_apps_at(&self, depth: usize) -> bool {
        // Past the depth limit, expanding it reports the depth (or the cycle) in the user's terms.
        self.is_group
            || depth > limits::MAX_EXPANSION_DEPTH
            || self.scope.upgrade().is_some_and(|scope| self.body.iter().any(|s| uses_template(s, &scope, depth)))
    }
}

fn statements_cost<'s>(stmts: impl Iterator<Item = &'s Statement>, scope: &Scope, depth: usize) -> Cost {
    let mut total = Cost::default();
    for s in stmts {
        let c = match s.name.value.as_str() {
            "app" => Cost { apps: 1, groups: 0, expansions: u64::from(s.args.len() > 1) },
            "group" => {
                let inner = statements_cost(s.block_statements(), scope, depth);
                Cost { groups: inner.groups.saturating_add(1), ..inner }
            }
            "if" => statements_cost(s.block_statements(), scope, depth),
            name if schema::directive(name).is_none() => {
                scope.template(name).map_or(Cost::default(), |t| t.cost_at(depth + 1))
            }
            _ => Cost::default(),
        };
        total.apps = total.apps.saturating_add(c.apps);
        total.groups = total.groups.saturating_add(c.groups);
        total.expansions = total.expansions.saturating_add(c.expansions);
    }
    total
}

fn uses_template(s: &Statement, scope: &Scope, depth: usize) -> bool {
    match s.name.value.as_str() {
        "if" => s.block_statements().any(|i| uses_template(i, scope, depth)),
        name => schema::directive(name).is_none() && scope.template(name).is_some_and(|t| t.makes_apps_at(depth + 1)),
    }
}

impl Scope {
    pub fn child(parent: &ScopeRef) -> ScopeRef {
        Arc::new(Scope { parent: Some(parent.clone()), ..Scope::default() })
    }

    fn binding(&self, name: &str) -> Option<Binding> {
        match read(&self.bindings).get(name) {
            Some(b) => Some(b.clone()),
            None => self.parent.as_ref().and_then(|p| p.binding(name)),
        }
    }

    fn template(&self, name: &str) -> Option<Arc<Template>> {
        match read(&self.templates).get(name) {
            Some(t) => Some(t.clone()),
            None => self.parent.as_ref().and_then(|p| p.template(name)),
        }
    }

    /// Every name bound in this scope and its parents, for "did you mean".
    fn names(&self, out: &mut Vec<String>, templates: bool) {
        if templates {
            out.extend(read(&self.templates).keys().cloned());
        } else {
            out.extend(read(&self.bindings).keys().cloned());
        }
        if let Some(p) = &self.parent {
            p.names(out, templates);
        }
    }

    /// How many names `names` would give.
    fn count(&self, templates: bool) -> usize {
        let here = if templates { read(&self.templates).len() } else { read(&self.bindings).len() };
        here + self.parent.as_ref().map_or(0, |p| p.count(templates))
    }

    fn bind(&self, name: String, binding: Binding) {
        write(&self.bindings).insert(name, binding);
    }
}

/// A `--set NAME=VALUE` from the command line, parsed against its own pseudo source file.
#[derive(Clone, Debug)]
pub struct SetParam {
    pub name: Spanned<String>,
    pub value: Arg,
}

/// A statement to process, with the scope its references resolve in.
type Scoped<'a> = (Cow<'a, Statement>, ScopeRef);

pub struct Lowerer<'a> {
    pub version: Version,
    pub diags: Vec<Diagnostic>,
    pub expansions: Numbered<Expansion>,
    pub pending: Numbered<PendingName>,
    pub dotted_dns: bool,
    pub sources: &'a mut Sources,
    loader: &'a dyn Loader,
    prelude: Option<FileId>,
    sets: Vec<(SetParam, bool)>,
    /// Names referred to in imported files (for unused `let`/`param` warnings).
    referenced: HashSet<String>,
    /// `let`s and top-level `param`s of the user's files, checked for use once everything is read.
    declared: Vec<(Spanned<String>, &'static str)>,
    /// Every top-level `param`, imported ones included (what `--set` may name).
    top_params: Vec<String>,
    /// Syntax errors were reported before lowering: an empty result is their consequence.
    pub after_syntax_errors: bool,
    /// A statement was skipped because a value it uses failed earlier (reported there).
    skipped: bool,
    /// Templates being expanded, with their use sites (for cycles).
    expanding: Vec<(Span, String)>,
    /// Files being imported, with the import statements (for cycles), and files already imported, by
    /// `Loader::identity`.
    importing: Vec<(PathBuf, Span, String)>,
    imported: HashSet<PathBuf>,
    /// The path each file was read from (its name may be a lossy rendering of it): imports resolve
    /// against it. The main file's is set by the caller.
    pub paths: HashMap<FileId, PathBuf>,
    /// The `#[allow(…)]` comments of imported files.
    pub allows: Vec<syntax::AllowComment>,
    /// The group whose id relative paths in calls resolve against.
    group_id: String,
    /// Which bank of `expansions` and `pending` this lowerer numbers into: 0 for the main thread.
    bank: u32,
    /// Shared with the second lowering thread.
    budget: Arc<Budget>,
    /// How many groups the statement being lowered sits in, templates expanded.
    group_depth: usize,
    /// Banks used so far (main thread only), and whether a large block may be split onto a second thread now.
    banks_used: u32,
    may_fork: bool,
    /// Checking code that is not built (a false `if`, an unused template): everything is looked up and
    /// matched, nothing is made, imported, expanded, counted or resolved.
    dry: bool,
    /// The file being compiled (its unused templates are checked; an imported library's are not).
    main_file: Option<FileId>,
    /// What each name resolved to, when the caller asked (`Options::names`).
    pub names: Option<Names>,
    /// Large blocks may be lowered on two threads, and imports parsed so (`Options::threads`).
    pub threads: bool,
}

/// What a lowerer on the second thread starts from: the state the statements it lowers can see.
struct ForkSeed<'a> {
    version: Version,
    loader: &'a dyn Loader,
    prelude: Option<FileId>,
    dotted_dns: bool,
    after_syntax_errors: bool,
    expanding: Vec<(Span, String)>,
    group_id: String,
    bank: u32,
    budget: Arc<Budget>,
    group_depth: usize,
    names: bool,
}

/// What a lowerer on the second thread hands back.
struct ForkResult {
    names: Option<Names>,
    group: Group,
    diags: Vec<Diagnostic>,
    expansions: Numbered<Expansion>,
    pending: Numbered<PendingName>,
    declared: Vec<(Spanned<String>, &'static str)>,
}

/// A block whose run of `app` and `group` statements holds at least this much source is lowered on two
/// threads: half of the run on each.
const FORK_MIN_BYTES: u32 = 64 * 1024;

/// The second lowering thread's stack: what a main thread has (most of it is never touched).
const LOWER_STACK: usize = 8 * 1024 * 1024;

impl<'a> Lowerer<'a> {
    pub fn new(version: Version, sources: &'a mut Sources, loader: &'a dyn Loader, sets: Vec<SetParam>) -> Self {
        Lowerer {
            version,
            diags: Vec::new(),
            expansions: Numbered::default(),
            pending: Numbered::default(),
            dotted_dns: false,
            sources,
            loader,
            prelude: None,
            sets: sets.into_iter().map(|s| (s, false)).collect(),
            referenced: HashSet::default(),
            declared: Vec::new(),
            top_params: Vec::new(),
            after_syntax_errors: false,
            skipped: false,
            expanding: Vec::new(),
            importing: Vec::new(),
            imported: HashSet::default(),
            paths: HashMap::default(),
            allows: Vec::new(),
            group_id: "/".into(),
            bank: 0,
            budget: Arc::default(),
            group_depth: 0,
            banks_used: 1,
            may_fork: true,
            dry: false,
            main_file: None,
            names: None,
            threads: true,
        }
    }

    /// A lowerer for the second thread. It never reaches `import` (only the top level imports, and forks
    /// lower groups and apps), so its `sources` are an empty table of its own.
    fn from_seed(seed: ForkSeed<'a>, sources: &'a mut Sources) -> Self {
        Lowerer {
            version: seed.version,
            expansions: Numbered::for_bank(seed.bank),
            pending: Numbered::for_bank(seed.bank),
            dotted_dns: seed.dotted_dns,
            prelude: seed.prelude,
            after_syntax_errors: seed.after_syntax_errors,
            expanding: seed.expanding,
            group_id: seed.group_id,
            bank: seed.bank,
            budget: seed.budget,
            group_depth: seed.group_depth,
            banks_used: 0,
            may_fork: false,
            dry: false,
            main_file: None,
            names: seed.names.then(Names::default),
            ..Lowerer::new(seed.version, sources, seed.loader, Vec::new())
        }
    }

    /// Lowers the built-in prelude and then the user's file. `file_span` covers the user's file.
    pub fn file(
        &mut self,
        prelude: Option<(&SyntaxFile, FileId)>,
        file: &SyntaxFile,
        file_span: Span,
    ) -> Option<Cluster> {
        let root_scope: ScopeRef = Arc::new(Scope::default());
        if let Some((tree, id)) = prelude {
            self.prelude = Some(id);
            let stmts: Vec<&Statement> = statements(&tree.items).collect();
            let rest =
                self.definitions(stmts.into_iter().map(|s| (Cow::Borrowed(s), root_scope.clone())), Place::Top, true);
            debug_assert!(rest.is_empty(), "the prelude holds definitions only");
        }
        // The main file is where the import chain starts: importing it again is a cycle.
        let main = match self.paths.get(&file_span.file) {
            Some(path) => normalize(path),
            None => normalize(Path::new(&self.sources.get(file_span.file).name)),
        };
        self.paths.insert(file_span.file, main.clone());
        self.main_file = Some(file_span.file);
        let main = self.loader.identity(&main);
        self.imported.insert(main.clone());
        self.importing.push((main, file_span, self.sources.get(file_span.file).name.clone()));
        let scope = Scope::child(&root_scope);
        let mut root = Group { id: "/".into(), name: Spanned::new(String::new(), file_span), ..Group::default() };
        let stmts: Vec<Scoped> = statements(&file.items).map(|s| (Cow::Borrowed(s), scope.clone())).collect();
        self.block(stmts, Place::Top, &mut root);
        self.unknown_sets();
        self.unused(file);
        if root.apps.is_empty() && root.groups.is_empty() {
            // A library (definitions only, made to be imported) is checked, not built: that is no error.
            if !self.after_syntax_errors && !self.diags.iter().any(Diagnostic::is_error) && !is_library(file) {
                self.diags.push(messages::empty_file(Span { end: file_span.start, ..file_span }));
            }
            return None;
        }
        // Exactly one top-level group and nothing else: that group is the output.
        if root.apps.is_empty() && root.groups.len() == 1 && root.dependencies.is_empty() {
            let externals = std::mem::take(&mut root.externals);
            root = root.groups.pop()?;
            // What the file declares as deployed elsewhere holds for the whole file.
            root.externals.extend(externals);
        }
        Some(Cluster { root })
    }

    fn in_prelude(&self, span: Span) -> bool {
        self.prelude == Some(span.file)
    }

    /// Looks a statement up in the schema for `place`, reporting unknown and misplaced directives.
    fn directive(&mut self, stmt: &Statement, place: Place, scope: &Scope) -> Option<&'static Directive> {
        let name = stmt.name.value.as_str();
        match schema::directive(name) {
            Some(d) if d.places.contains(&place) => Some(d),
            Some(d) => {
                let allowed = match d.places {
                    [Place::App] => "inside an app",
                    [Place::Top] => "at the top level",
                    [Place::Group, Place::App] => "inside a group or an app",
                    _ => "at the top level or inside a group",
                };
                self.diags.push(messages::misplaced_directive(stmt.name.span, name, place.describe(), allowed));
                None
            }
            None => {
                let mut known: Vec<String> = schema::names_at(place).map(String::from).collect();
                if place != Place::App && self.budget.may_suggest(scope.count(true)) {
                    scope.names(&mut known, true);
                }
                let suggestion = schema::closest(name, known.iter().map(String::as_str)).map(String::from);
                let known: Vec<&str> = schema::names_at(place).collect();
                self.diags.push(messages::unknown_directive(
                    stmt.name.span,
                    name,
                    place.describe(),
                    suggestion.as_deref(),
                    known,
                ));
                None
            }
        }
    }

    /// Reports a second use of a single-valued directive in the same block.
    fn once(&mut self, seen: &mut schema::Seen, d: &'static Directive, stmt: &Statement) -> bool {
        if d.count != Count::Once {
            return true;
        }
        if let Some(first) = seen.first(d, stmt.name.span) {
            self.diags.push(messages::duplicate_directive(stmt.name.span, first, d.name));
            return false;
        }
        true
    }

    // ---- values ---------------------------------------------------------------------------------------

    /// Resolves references, interpolations and calls; `None` when one could not be (already reported).
    pub(super) fn eval(&mut self, args: &[Arg], scope: &Scope) -> Option<Vec<Arg>> {
        let mut out = Vec::with_capacity(args.len());
        let mut ok = true;
        for arg in args {
            match self.eval_one(arg, scope) {
                Some(a) => out.push(a),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn eval_one(&mut self, arg: &Arg, scope: &Scope) -> Option<Arg> {
        match &arg.value {
            Value::Reference(name) => match scope.binding(name).inspect(|b| self.refer(arg.span, b)) {
                Some(Binding { value: Some(value), .. }) => Some(Arg { value, span: arg.span }),
                Some(_) => {
                    self.skipped = true;
                    None
                }
                None => {
                    self.unknown_reference(arg.span, name, scope, true);
                    None
                }
            },
            Value::Str(parts) if parts.iter().any(|p| matches!(p, StrPart::Interp(_))) => {
                let mut text = String::new();
                let mut ok = true;
                for part in parts {
                    match part {
                        StrPart::Text(t) => text.push_str(t),
                        StrPart::Interp(name) => {
                            match scope.binding(&name.value).inspect(|b| self.refer(name.span, b)).map(|b| b.value) {
                                Some(None) => {
                                    self.skipped = true;
                                    ok = false;
                                }
                                Some(Some(v)) => match interpolated(&v) {
                                    Some(t) if text.len() + t.len() > limits::MAX_VALUE_BYTES => {
                                        self.diags.push(messages::value_too_long(arg.span, limits::MAX_VALUE_BYTES));
                                        return None;
                                    }
                                    Some(t) => text.push_str(&t),
                                    None => {
                                        self.diags.push(messages::wrong_kind(
                                            name.span,
                                            &name.value,
                                            "a string, word or number",
                                            v.describe(),
                                        ));
                                        ok = false;
                                    }
                                },
                                None => {
                                    self.unknown_reference(name.span, &name.value, scope, false);
                                    ok = false;
                                }
                            }
                        }
                    }
                }
                ok.then(|| Arg { value: Value::Str(vec![StrPart::Text(text)]), span: arg.span })
            }
            Value::Call { name, args } => self.call(name, args, arg.span, scope),
            _ => Some(arg.clone()),
        }
    }

    /// `dollar`: the span holds `$name` (not the name inside `${…}`).
    fn unknown_reference(&mut self, span: Span, name: &str, scope: &Scope, dollar: bool) {
        let mut known = Vec::new();
        if self.budget.may_suggest(scope.count(false)) {
            scope.names(&mut known, false);
        }
        let suggestion = schema::closest(name, known.iter().map(String::as_str));
        self.diags.push(messages::unknown_reference(span, name, suggestion, dollar));
    }

    /// `dns(path)` and `srv(path)`: a placeholder now, the Mesos-DNS name once every app is known.
    fn call(&mut self, name: &Spanned<String>, args: &[Arg], span: Span, scope: &Scope) -> Option<Arg> {
        if !FUNCTIONS.contains(&name.value.as_str()) {
            self.diags.push(messages::unknown_function(name.span, &name.value, FUNCTIONS));
            return None;
        }
        let args = self.eval(args, scope)?;
        // `srv(path, udp)` asks for one protocol's record; by default, the one of the app's first port.
        let (args, protocol) = match args.as_slice() {
            [path, Arg { value: Value::Word(w), span: wspan }] if name.value == "srv" => {
                let protocol = match w.to_ascii_lowercase().as_str() {
                    "tcp" => Protocol::Tcp,
                    "udp" => Protocol::Udp,
                    _ => {
                        self.diags.push(messages::wrong_kind(*wspan, "srv", "`tcp` or `udp`", "another word"));
                        return None;
                    }
                };
                (std::slice::from_ref(path), Some(protocol))
            }
            all => (all, None),
        };
        let path = match args {
            [Arg { value: Value::Path(p) | Value::Word(p), .. }] => p.clone(),
            [other] => {
                self.diags.push(messages::wrong_kind(
                    other.span,
                    &name.value,
                    "an app path like ../db/redis",
                    other.value.describe(),
                ));
                return None;
            }
            _ => {
                self.diags.push(messages::call_arity(span, &name.value));
                return None;
            }
        };
        if self.dry {
            // Nothing is built from this: a name of the right shape, resolved against nothing.
            return Some(Arg { value: Value::Str(vec![StrPart::Text(format!("{path}.marathon.mesos"))]), span });
        }
        let pending = PendingName {
            written: path.clone(),
            absolute: ids::resolve(&self.group_id, &path),
            srv: name.value == "srv",
            protocol,
            span,
        };
        let marker = PendingName::marker(self.pending.push(self.bank, pending));
        Some(Arg { value: Value::Str(vec![StrPart::Text(marker)]), span })
    }

    pub(super) fn matched(&mut self, d: &'static Directive, stmt: &Statement, scope: &Scope) -> Option<Matched> {
        // Most statements have nothing to evaluate: match them in place.
        if !stmt.args.iter().any(|a| needs_eval(&a.value)) {
            return Some(match_args(d, stmt, &stmt.args, &mut self.diags));
        }
        let args = self.eval(&stmt.args, scope)?;
        Some(match_args(d, stmt, &args, &mut self.diags))
    }

    /// An app's or group's name: a word, or a `$param`/`${…}` that evaluates to one.
    fn name(&mut self, arg: Option<&Arg>, stmt: &Statement, scope: &Scope) -> Option<Spanned<String>> {
        let evaluated;
        let arg = match arg {
            Some(a) if needs_eval(&a.value) => {
                evaluated = self.eval_one(a, scope)?;
                Some(&evaluated)
            }
            other => other,
        };
        let Some(arg) = arg else {
            self.diags.push(messages::missing_argument(
                stmt.name.span,
                &stmt.name.value,
                "name",
                "a name like `web-tier`",
            ));
            return None;
        };
        let name = match &arg.value {
            Value::Word(w) => w.clone(),
            Value::Str(_) if arg.value.plain_string().is_some() => arg.value.plain_string().unwrap_or_default(),
            Value::Number(n) if n.is_integer() && !n.text.starts_with('-') => n.text.clone(),
            // `9lives` reads as a number with a unit; ids may start with a digit.
            Value::Quantity { number, unit } if number.is_integer() && !number.text.starts_with('-') => {
                format!("{}{}", number.text, unit.value)
            }
            other => {
                self.diags.push(messages::wrong_kind(
                    arg.span,
                    &stmt.name.value,
                    "a name like `web-tier`",
                    other.describe(),
                ));
                return None;
            }
        };
        // An invalid name is reported, and the block is still checked so that every error shows at once.
        if !ids::is_valid_segment(&name) {
            self.diags.push(messages::invalid_id(arg.span, &name, ids::suggest_segment(&name)));
        } else if ids::is_reserved(&name) {
            self.diags.push(messages::reserved_id(arg.span, &name));
        }
        Some(Spanned::new(name, arg.span))
    }

    // ---- definitions ----------------------------------------------------------------------------------

    /// Registers the definitions among `stmts` (templates, lets, params, imports, settings) in `scope`,
    /// expands `if`s, and returns the other statements in order.
    fn definitions<'s>(
        &mut self,
        stmts: impl IntoIterator<Item = Scoped<'s>>,
        place: Place,
        library: bool,
    ) -> Vec<Scoped<'s>> {
        let mut rest = Vec::new();
        let mut seen = schema::Seen::default();
        for (stmt, at) in stmts {
            match stmt.name.value.as_str() {
                "template" if place != Place::App => self.define_template(&stmt, &at),
                "let" if place != Place::App => {
                    if let Some((name, value)) = self.name_and_value(&stmt, &at) {
                        if !self.declare(&name, "let", &at, library) {
                            continue;
                        }
                        let value = value.map(|v| v.value);
                        self.define(name.span, NameKind::Let);
                        at.bind(
                            name.value,
                            Binding { value, declared: name.span, name: name.span, kind: NameKind::Let },
                        );
                    }
                }
                "param" if place == Place::Top => {
                    if let Some((name, default)) = self.name_and_value(&stmt, &at) {
                        if !self.declare(&name, "param", &at, library) {
                            continue;
                        }
                        if !self.dry {
                            self.top_params.push(name.value.clone());
                        }
                        let declared = default.as_ref().map_or(name.span, |d| d.span);
                        let value = default.and_then(|d| self.set_value(&name, &d, &at));
                        self.define(name.span, NameKind::Param);
                        at.bind(name.value, Binding { value, declared, name: name.span, kind: NameKind::Param });
                    }
                }
                "import" if place == Place::Top && self.dry => {}
                "import" if place == Place::Top => {
                    let more = self.import(&stmt, &at);
                    rest.extend(more);
                }
                "dns-names" if place == Place::Top && !library && self.dry => {}
                "dns-names" if place == Place::Top && !library => {
                    let Some(d) = self.directive(&stmt, place, &at) else { continue };
                    if !self.once(&mut seen, d, &stmt) {
                        continue;
                    }
                    if let Some(m) = self.matched(d, &stmt, &at) {
                        self.dotted_dns = m.arg(0).is_some_and(|a| a.value == Typed::Enum("dotted"));
                    }
                }
                "if" => {
                    if self.condition(&stmt, &at) {
                        let inner: Vec<Scoped<'s>> = match stmt {
                            Cow::Borrowed(s) => s.block_statements().map(|i| (Cow::Borrowed(i), at.clone())).collect(),
                            Cow::Owned(s) => {
                                s.block_statements().map(|i| (Cow::Owned(i.clone()), at.clone())).collect()
                            }
                        };
                        // Inside an app, what an `if` block declares overrides what comes before it, by the
                        // template rule; in a group it simply adds its apps and groups.
                        let more = self.definitions(inner, place, library);
                        if place == Place::App {
                            rest = merge(rest, more, &mut Vec::new());
                        } else {
                            rest.extend(more);
                        }
                    } else if !library {
                        // Not built, but checked as if it were: a mistake should not wait for the flag.
                        let inner = Scope::child(&at);
                        let stmts: Vec<Scoped> =
                            stmt.block_statements().map(|i| (Cow::Owned(i.clone()), inner.clone())).collect();
                        self.check_untaken(stmts, place);
                    }
                }
                _ if library => {
                    self.diags.push(messages::import_not_library(stmt.name.span, &stmt.name.value));
                }
                _ => rest.push((stmt, at)),
            }
        }
        rest
    }

    /// Checks a new `let`/`param` name against the scope (a second one is an error, `false`) and remembers
    /// user declarations for the unused check.
    fn declare(&mut self, name: &Spanned<String>, kind: &'static str, scope: &Scope, library: bool) -> bool {
        let first = read(&scope.bindings).get(&name.value).map(|b| b.declared);
        if let Some(first) = first {
            self.diags.push(messages::duplicate_key(name.span, first, kind, &name.value));
            return false;
        }
        if !library && !self.in_prelude(name.span) {
            self.declared.push((name.clone(), kind));
        }
        true
    }

    /// `let NAME value` and `param NAME default`: the name and the evaluated value.
    /// `None` when the statement is malformed; the value is `None` when it failed to evaluate.
    fn name_and_value(&mut self, stmt: &Statement, scope: &Scope) -> Option<(Spanned<String>, Option<Arg>)> {
        let what = stmt.name.value.as_str();
        match stmt.args.as_slice() {
            [Arg { value: Value::Word(name), span }, value] => {
                if let Some(block) = &stmt.block {
                    self.diags.push(messages::unexpected_block(block.span, what));
                }
                let value = self.eval_one(value, scope);
                Some((Spanned::new(name.clone(), *span), value))
            }
            [first, ..] if !matches!(first.value, Value::Word(_)) => {
                self.diags.push(messages::wrong_kind(first.span, what, "a name like `nodes`", first.value.describe()));
                None
            }
            [_, _, extra, ..] => {
                self.diags.push(messages::extra_argument(extra.span, what, "it takes a name and one value"));
                None
            }
            _ => {
                self.diags.push(messages::missing_argument(stmt.span, what, "name and value", "a name, then a value"));
                None
            }
        }
    }

    /// Warns about `let`s and top-level `param`s nothing refers to. The file is only scanned when it declares
    /// some, which most large generated files do not.
    fn unused(&mut self, file: &SyntaxFile) {
        if self.declared.is_empty() {
            return;
        }
        for s in statements(&file.items) {
            s.references(&mut |n| {
                self.referenced.insert(n.to_string());
            });
        }
        for (name, kind) in std::mem::take(&mut self.declared) {
            if !self.referenced.contains(&name.value) {
                self.diags.push(messages::unused(name.span, kind, &name.value));
            }
        }
    }

    /// A top-level param's value: its default, or the `--set` for it.
    /// `None` if the `--set` value failed to evaluate (reported).
    fn set_value(&mut self, name: &Spanned<String>, default: &Arg, scope: &Scope) -> Option<Value> {
        // The last `--set` of a name wins; the others count as used too.
        let Some(i) = self.sets.iter().rposition(|(s, _)| s.name.value == name.value) else {
            return Some(default.value.clone());
        };
        for (s, used) in self.sets.iter_mut() {
            *used |= s.name.value == name.value;
        }
        let (given, flag_name) = (self.sets[i].0.value.clone(), self.sets[i].0.name.span);
        // `--set nodes` alone sets a flag; for any other parameter, the value was forgotten.
        if given.span == flag_name && value_class(&default.value) != "bool" {
            let kind = class_description(value_class(&default.value));
            self.diags.push(messages::set_without_value(flag_name, &name.value, kind, default.span));
            return None;
        }
        let mut set = self.eval_one(&given, scope)?;
        // On the command line a string parameter's value needs no quotes.
        let text = match &set.value {
            Value::Word(w) | Value::Path(w) => Some(w.clone()),
            Value::Number(n) => Some(n.text.clone()),
            _ => None,
        };
        if let (Some(text), "string") = (text, value_class(&default.value)) {
            set.value = Value::Str(vec![StrPart::Text(text)]);
        }
        if !same_kind(&set.value, &default.value) {
            self.diags.push(messages::param_wrong_kind(
                set.span,
                &name.value,
                class_description(value_class(&default.value)),
                set.value.describe(),
                default.span,
            ));
            return Some(default.value.clone());
        }
        Some(set.value)
    }

    fn unknown_sets(&mut self) {
        let mut known = self.top_params.clone();
        known.sort();
        for (set, used) in self.sets.clone() {
            if !used {
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                let suggestion = schema::closest(&set.name.value, known.iter().copied());
                self.diags.push(messages::unknown_set(set.name.span, &set.name.value, suggestion, &known));
            }
        }
    }

    /// Whether an `if`'s block is included.
    fn condition(&mut self, stmt: &Statement, scope: &Scope) -> bool {
        let [arg] = stmt.args.as_slice() else {
            self.diags.push(messages::missing_argument(
                stmt.span,
                "if",
                "flag",
                "a `$` reference to a boolean param or let",
            ));
            return false;
        };
        match self.eval_one(arg, scope) {
            Some(Arg { value: Value::Word(w), .. }) if w == "true" => true,
            Some(Arg { value: Value::Word(w), .. }) if w == "false" => false,
            Some(other) => {
                self.diags.push(messages::not_bool(arg.span, other.value.describe()));
                false
            }
            None => false,
        }
    }

    fn define_template(&mut self, stmt: &Statement, scope: &ScopeRef) {
        let (name, span, parent) = match stmt.args.as_slice() {
            [Arg { value: Value::Word(name), span }] => (name, span, None),
            // `template b from a { … }`: a's parameters and body, then b's by the override rule.
            [Arg { value: Value::Word(name), span }, Arg { value: Value::Word(from), .. }, Arg { value: Value::Word(parent), span: pspan }]
                if from == "from" =>
            {
                match self.look_up_template(scope, parent, *pspan) {
                    Some(t) => (name, span, Some(t)),
                    None => {
                        let mut known = Vec::new();
                        if self.budget.may_suggest(scope.count(true)) {
                            scope.names(&mut known, true);
                        }
                        let suggestion = schema::closest(parent, known.iter().map(String::as_str));
                        self.diags.push(messages::unknown_template(*pspan, parent, suggestion));
                        return;
                    }
                }
            }
            [_, Arg { value: Value::Word(from), span: fspan }] if from == "from" => {
                self.diags.push(messages::missing_option_value(*fspan, "from", "a template name"));
                return;
            }
            _ => {
                self.diags.push(messages::missing_argument(
                    stmt.span,
                    "template",
                    "name",
                    "a name like `web-node`, optionally `from` the template it extends",
                ));
                return;
            }
        };
        self.define(*span, NameKind::Template);
        let mut params: Vec<ParamDef> = Vec::new();
        let mut body = Vec::new();
        let mut is_group = false;
        for inner in stmt.block_statements() {
            if inner.name.value == "param" {
                match inner.args.as_slice() {
                    [Arg { value: Value::Word(p), span }, default] => {
                        self.define(*span, NameKind::TemplateParam);
                        params.push(ParamDef { name: Spanned::new(p.clone(), *span), default: default.clone() })
                    }
                    // Only the name: the default is what is missing (a parameter's kind is its default's).
                    [Arg { value: Value::Word(p), .. }] => self.diags.push(
                        messages::missing_argument(
                            inner.span,
                            "param",
                            "default",
                            "a default value, like `1` or \"nginx\"",
                        )
                        .help(format!("write `param {p} VALUE`: the default also gives the parameter its kind")),
                    ),
                    _ => self.diags.push(messages::missing_argument(
                        inner.span,
                        "param",
                        "name and default",
                        "a name, then a value",
                    )),
                }
            } else {
                is_group |= makes_apps(inner);
                body.push(inner.clone());
            }
        }
        if let Some(parent) = &parent {
            // The parent's parameters, the new template's own replacing same-named ones.
            let own: Vec<ParamDef> = std::mem::take(&mut params);
            for p in &parent.params {
                if !own.iter().any(|o| o.name.value == p.name.value) {
                    params.push(ParamDef { name: p.name.clone(), default: p.default.clone() });
                }
            }
            params.extend(own);
            let inherited: Vec<Scoped> = parent.body.iter().map(|s| (Cow::Owned(s.clone()), scope.clone())).collect();
            let own: Vec<Scoped> = body.iter().map(|s: &Statement| (Cow::Owned(s.clone()), scope.clone())).collect();
            // An app template overrides by the app rule; a group template adds its apps and groups.
            let merged = if parent.is_group || is_group {
                inherited.into_iter().chain(own).collect()
            } else {
                merge(inherited, own, &mut Vec::new())
            };
            body = merged.into_iter().map(|(s, _)| s.into_owned()).collect();
            is_group |= parent.is_group;
        }
        // A parameter the body never mentions is a mistake (the prelude's own definitions stay quiet).
        if !self.in_prelude(*span) {
            let mut used = HashSet::default();
            for s in &body {
                s.references(&mut |n| {
                    used.insert(n.to_string());
                });
            }
            // A default may be made from an earlier parameter (`param b $a`).
            for p in &params {
                p.default.value.references(&mut |n| {
                    used.insert(n.to_string());
                });
            }
            for p in &params {
                if !used.contains(&p.name.value) {
                    self.diags.push(messages::unused(p.name.span, "param", &p.name.value));
                }
            }
        }
        let template = Template {
            name: Spanned::new(name.clone(), *span),
            params,
            body,
            scope: Arc::downgrade(scope),
            is_group,
            cost: Default::default(),
            used: Default::default(),
        };
        let template = Arc::new(template);
        write(&scope.templates).insert(name.clone(), template.clone());
        if template.makes_apps() {
            if let Some(names) = &mut self.names {
                names.group_templates.push(Span { via: 0, ..*span });
            }
        }
    }

    /// `import "path.pkw"`: parses the file and registers its definitions in `scope`.
    fn import<'s>(&mut self, stmt: &Statement, scope: &ScopeRef) -> Vec<Scoped<'s>> {
        let [Arg { value, span }] = stmt.args.as_slice() else {
            self.diags.push(messages::missing_argument(stmt.span, "import", "path", "a string like \"common.pkw\""));
            return Vec::new();
        };
        let Some(path_text) = value.plain_string() else {
            self.diags.push(messages::wrong_kind(*span, "import", "a string like \"common.pkw\"", value.describe()));
            return Vec::new();
        };
        let importer = match self.paths.get(&span.file) {
            Some(path) => path.parent().map(Path::to_path_buf).unwrap_or_default(),
            None => Path::new(&self.sources.get(span.file).name).parent().map(Path::to_path_buf).unwrap_or_default(),
        };
        let path = normalize(&importer.join(&path_text));
        let identity = self.loader.identity(&path);
        if let Some(at) = self.importing.iter().position(|(p, _, _)| *p == identity) {
            let mut chain: Vec<(Span, String)> =
                self.importing[at + 1..].iter().map(|(_, s, n)| (*s, n.clone())).collect();
            chain.push((*span, path_text.clone()));
            self.diags.push(messages::import_cycle(&chain));
            return Vec::new();
        }
        if self.importing.len() > limits::MAX_IMPORT_DEPTH {
            self.diags.push(messages::import_too_deep(*span, limits::MAX_IMPORT_DEPTH));
            return Vec::new();
        }
        if !self.imported.insert(identity.clone()) {
            if let Some(file) = self.paths.iter().find_map(|(f, p)| (*p == path).then_some(*f)) {
                self.record(*span, Target::File(file));
            }
            return Vec::new();
        }
        let bytes = match self.loader.load(&path) {
            Ok(b) => b,
            Err(e) => {
                self.diags.push(messages::import_not_found(*span, &path_text, &e.to_string()));
                return Vec::new();
            }
        };
        let name = path.display().to_string();
        let text = match crate::decode(&name, bytes) {
            Ok(t) => t,
            Err(d) => {
                self.diags.push(d.primary(*span, "imported here"));
                return Vec::new();
            }
        };
        let file = self.sources.add(SourceFile::new(name, text));
        self.record(*span, Target::File(file));
        self.paths.insert(file, path);
        let text = self.sources.get(file).text.clone();
        let (tree, diags) = syntax::parse_on(&text, file, self.threads);
        self.diags.extend(diags);
        self.allows.extend(syntax::allow_comments(&tree, &text, Span::new(file, 0, text.len())));
        for s in statements(&tree.items) {
            s.references(&mut |n| {
                self.referenced.insert(n.to_string());
            });
        }
        self.importing.push((identity, *span, path_text));
        let stmts: Vec<Scoped> = statements(&tree.items).map(|s| (Cow::Owned(s.clone()), scope.clone())).collect();
        self.definitions(stmts, Place::Top, true);
        self.importing.pop();
        Vec::new()
    }

    // ---- groups and apps -------------------------------------------------------------------------------

    fn block(&mut self, stmts: Vec<Scoped>, place: Place, group: &mut Group) {
        // Calls in this block's `let`s resolve against this group.
        self.group_id = group.id.clone();
        let scope = stmts.first().map(|(_, s)| s.clone());
        let rest = self.definitions(stmts, place, false);
        self.block_statements(rest, place, group);
        // Every use of this block's templates is in the block: the ones nothing used are checked now.
        if let Some(scope) = scope {
            self.group_id = group.id.clone();
            self.check_unused_templates(&scope);
        }
    }

    fn block_statements(&mut self, rest: Vec<Scoped>, place: Place, group: &mut Group) {
        let mut seen = schema::Seen::default();
        let Some((start, mid, end)) = self.fork_point(&rest) else {
            for (stmt, at) in rest {
                self.block_statement(stmt, at, place, group, &mut seen);
            }
            return;
        };
        let mut rest = rest.into_iter();
        for (stmt, at) in rest.by_ref().take(start) {
            self.block_statement(stmt, at, place, group, &mut seen);
        }
        let first: Vec<Scoped> = rest.by_ref().take(mid - start).collect();
        let second: Vec<Scoped> = rest.by_ref().take(end - mid).collect();
        self.lower_on_two_threads(first, second, place, group);
        for (stmt, at) in rest {
            self.block_statement(stmt, at, place, group, &mut seen);
        }
    }

    /// Where to split a large block over two threads: the longest run of `app` and `group` statements, if
    /// it holds at least `FORK_MIN_BYTES` of source, cut where half of its text lies on each side.
    /// Such statements are independent: each makes its own app or group and sees only scopes already filled.
    fn fork_point(&self, rest: &[Scoped]) -> Option<(usize, usize, usize)> {
        if !self.may_fork || !self.threads || self.dry || self.banks_used >= BANKS {
            return None;
        }
        let size = |s: &Statement| s.span.end.saturating_sub(s.span.start);
        let (mut best, mut run_start, mut run_bytes) = ((0, 0, 0u32), 0, 0u32);
        for (i, (stmt, _)) in rest.iter().enumerate() {
            if matches!(stmt.name.value.as_str(), "app" | "group") {
                run_bytes = run_bytes.saturating_add(size(stmt));
                if run_bytes > best.2 {
                    best = (run_start, i + 1, run_bytes);
                }
            } else {
                (run_start, run_bytes) = (i + 1, 0);
            }
        }
        let (start, end, bytes) = best;
        if bytes < FORK_MIN_BYTES || end - start < 2 {
            return None;
        }
        let mut half = 0u32;
        let mid = (start..end).find(|&i| {
            half = half.saturating_add(size(&rest[i].0));
            half >= bytes / 2
        })?;
        Some((start, (mid + 1).min(end - 1), end))
    }

    /// Lowers `first` here and `second` on a second thread, then takes over what the second thread made, in
    /// the order a single thread would have produced it.
    fn lower_on_two_threads(&mut self, first: Vec<Scoped>, second: Vec<Scoped>, place: Place, group: &mut Group) {
        let seed = ForkSeed {
            version: self.version,
            loader: self.loader,
            prelude: self.prelude,
            dotted_dns: self.dotted_dns,
            after_syntax_errors: self.after_syntax_errors,
            expanding: self.expanding.clone(),
            group_id: group.id.clone(),
            bank: self.banks_used,
            budget: self.budget.clone(),
            group_depth: self.group_depth,
            names: self.names.is_some(),
        };
        self.banks_used += 1;
        self.may_fork = false;
        let scratch = Group { id: group.id.clone(), name: group.name.clone(), ..Group::default() };
        // Taken by the second thread; left here if no thread could be started.
        let second = std::sync::Mutex::new(Some(second));
        let result = std::thread::scope(|scope| {
            // Lowering recurses once per group and template level (both bounded by `limits`); give the
            // second thread the room the main thread has.
            let second = &second;
            let spawned = std::thread::Builder::new().stack_size(LOWER_STACK).spawn_scoped(scope, move || {
                let second = second.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
                let mut sources = Sources::default();
                let mut fork = Lowerer::from_seed(seed, &mut sources);
                let mut group = scratch;
                let mut seen = schema::Seen::default();
                for (stmt, at) in second {
                    fork.block_statement(stmt, at, place, &mut group, &mut seen);
                }
                ForkResult {
                    names: fork.names,
                    group,
                    diags: fork.diags,
                    expansions: fork.expansions,
                    pending: fork.pending,
                    declared: fork.declared,
                }
            });
            let mut seen = schema::Seen::default();
            for (stmt, at) in first {
                self.block_statement(stmt, at, place, group, &mut seen);
            }
            spawned.map(|handle| handle.join())
        });
        self.may_fork = true;
        match result {
            Ok(Ok(r)) => {
                group.apps.extend(r.group.apps);
                group.groups.extend(r.group.groups);
                group.dependencies.extend(r.group.dependencies);
                self.diags.extend(r.diags);
                self.expansions.merge(r.expansions);
                self.pending.merge(r.pending);
                self.declared.extend(r.declared);
                if let (Some(names), Some(theirs)) = (&mut self.names, r.names) {
                    names.extend(theirs);
                }
            }
            // A panic there is a bug, as it would be on one thread: carry it on rather than lose half the block.
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            // No thread to be had: this one does the second half too.
            Err(_) => {
                let second = second.into_inner().unwrap_or_else(|e| e.into_inner()).unwrap_or_default();
                let mut seen = schema::Seen::default();
                for (stmt, at) in second {
                    self.block_statement(stmt, at, place, group, &mut seen);
                }
            }
        }
    }

    /// One statement of a group (or the top level), after the definitions.
    fn block_statement(
        &mut self,
        stmt: Cow<'_, Statement>,
        at: ScopeRef,
        place: Place,
        group: &mut Group,
        seen: &mut schema::Seen,
    ) {
        // A child group processed just before changed it.
        self.group_id = group.id.clone();
        let name = stmt.name.value.as_str();
        if schema::directive(name).is_none() {
            if let Some(t) = self.look_up_template(&at, name, stmt.name.span) {
                self.use_group_template(&stmt, &t, group, &at);
                return;
            }
        }
        let Some(d) = self.directive(&stmt, place, &at) else { return };
        if !self.once(seen, d, &stmt) {
            return;
        }
        match d.name {
            "group" => {
                let Some(name) = self.name(stmt.args.first(), &stmt, &at) else { return };
                if let Some(extra) = stmt.args.get(1) {
                    self.diags.push(messages::extra_argument(extra.span, "group", "it takes a name"));
                }
                if let Some(first) = Budget::take(&self.budget.groups, limits::MAX_GROUPS).filter(|_| !self.dry) {
                    if first {
                        self.diags.push(messages::too_many_groups(name.span, limits::MAX_GROUPS));
                    }
                    return;
                }
                if self.group_depth >= limits::MAX_GROUP_DEPTH {
                    if !self.budget.group_depth_reported.swap(true, Ordering::Relaxed) {
                        self.diags.push(messages::group_too_deep(name.span, limits::MAX_GROUP_DEPTH));
                    }
                    return;
                }
                let mut child = Group { id: ids::child(&group.id, &name.value), name, ..Group::default() };
                let inner = Scope::child(&at);
                let stmts = block_items(&stmt, &inner);
                self.group_depth += 1;
                self.block(stmts, Place::Group, &mut child);
                self.group_depth -= 1;
                // Exact sizes: apps are large, and a big cluster has thousands of groups.
                child.apps.shrink_to_fit();
                child.groups.shrink_to_fit();
                group.groups.push(child);
            }
            "app" => {
                if let Some(first) = Budget::take(&self.budget.apps, limits::MAX_APPS).filter(|_| !self.dry) {
                    if first {
                        self.diags.push(messages::too_many_apps(stmt.name.span, limits::MAX_APPS));
                    }
                    return;
                }
                if let Some(app) = self.app(&stmt, &group.id, &at) {
                    group.apps.push(app);
                }
            }
            "marathon" => self.passthrough(&stmt, &at, crate::marathon::fields::GROUP, &mut group.passthrough),
            "external" => {
                if let Some(m) = self.matched(d, &stmt, &at) {
                    let declared = self.dependencies(&m, &group.id);
                    group.externals.extend(declared);
                }
            }
            "depends-on" => {
                self.group_id = group.id.clone();
                if let Some(m) = self.matched(d, &stmt, &at) {
                    let deps = self.dependencies(&m, &group.id);
                    group.dependencies.extend(deps);
                }
            }
            _ => {}
        }
    }

    /// Keeps what a use resolved to, when names are kept.
    fn record(&mut self, at: Span, target: Target) {
        if let Some(names) = &mut self.names {
            names.use_of(at, target);
        }
    }

    fn refer(&mut self, at: Span, b: &Binding) {
        self.record(at, Target::Name(b.kind, b.name));
    }

    fn define(&mut self, at: Span, kind: NameKind) {
        if let Some(names) = &mut self.names {
            names.def(at, kind);
        }
    }

    /// A template by name, marked used unless the use is in code that is not built.
    fn look_up_template(&mut self, scope: &Scope, name: &str, at: Span) -> Option<Arc<Template>> {
        let t = scope.template(name)?;
        self.record(at, Target::Name(NameKind::Template, t.name.span));
        if !self.dry {
            t.used.store(true, Ordering::Relaxed);
        }
        Some(t)
    }

    /// Checks statements that are not built (a false `if`'s block, an unused template's body) the way they
    /// would be if they were: unknown directives, wrong kinds, units, references. What they would make is
    /// dropped.
    fn check_untaken(&mut self, stmts: Vec<Scoped>, place: Place) {
        let was = std::mem::replace(&mut self.dry, true);
        let group_id = self.group_id.clone();
        if place == Place::App {
            let items = self.definitions(stmts, Place::App, false);
            let mut app = App { id: ids::child(&group_id, "untaken"), ..App::default() };
            self.app_items(&items, None, &group_id, &mut app);
        } else {
            let mut scratch = Group { id: group_id.clone(), ..Group::default() };
            self.block(stmts, place, &mut scratch);
        }
        self.group_id = group_id;
        self.dry = was;
    }

    /// Checks the body of each template of the main file declared in `scope` that nothing used, with its
    /// parameters unknown (statements that use one are not matched, as after any failed value).
    fn check_unused_templates(&mut self, scope: &ScopeRef) {
        let Some(main) = self.main_file else { return };
        let mut unused: Vec<Arc<Template>> = read(&scope.templates)
            .values()
            .filter(|t| t.name.span.file == main && t.name.span.via == 0 && !t.used.load(Ordering::Relaxed))
            .cloned()
            .collect();
        unused.sort_by_key(|t| t.name.span.start);
        for t in unused {
            // Checked once, even if this scope is seen again.
            t.used.store(true, Ordering::Relaxed);
            let instance = Scope::child(scope);
            for p in &t.params {
                let kind = NameKind::TemplateParam;
                instance.bind(
                    p.name.value.clone(),
                    Binding { value: None, declared: p.name.span, name: p.name.span, kind },
                );
            }
            let body: Vec<Scoped> = t.body.iter().map(|s| (Cow::Owned(s.clone()), instance.clone())).collect();
            let place = if t.makes_apps() { Place::Group } else { Place::App };
            self.check_untaken(body, place);
        }
    }

    /// Starts an expansion of `template` used at `site`; `None` (reported) if it would recurse.
    fn enter(&mut self, template: &Template, site: Span) -> Option<u32> {
        if let Some(at) = self.expanding.iter().position(|(_, n)| *n == template.name.value) {
            let mut chain: Vec<(Span, String)> = self.expanding[at..].to_vec();
            chain.push((site, template.name.value.clone()));
            // Show the cycle where the user wrote it: the first use, then each template's inner use.
            chain.remove(0);
            chain.insert(0, (self.expanding[at].0, template.name.value.clone()));
            // The chain already names every use site.
            let chain: Vec<(Span, String)> = chain.into_iter().map(|(s, n)| (Span { via: 0, ..s }, n)).collect();
            self.diags.push(messages::template_cycle(&chain));
            return None;
        }
        if self.expanding.len() >= limits::MAX_EXPANSION_DEPTH {
            self.diags.push(messages::expansion_too_deep(site, limits::MAX_EXPANSION_DEPTH));
            return None;
        }
        if let Some(first) = Budget::take(&self.budget.expansions, limits::MAX_EXPANSIONS) {
            if first {
                self.diags.push(messages::too_many_expansions(site, limits::MAX_EXPANSIONS));
            }
            return None;
        }
        self.expanding.push((site, template.name.value.clone()));
        let expansion =
            Expansion { site, template: template.name.value.clone(), in_prelude: self.in_prelude(template.name.span) };
        Some(self.expansions.push(self.bank, expansion))
    }

    /// Binds a template's parameters: defaults, overridden by the settings at the use site.
    fn bind_params(
        &mut self,
        template: &Template,
        settings: &[(&Statement, Option<&Arg>)],
        use_scope: &Scope,
    ) -> ScopeRef {
        let parent = template.scope.upgrade().unwrap_or_default();
        let scope = Scope::child(&parent);
        let names: Vec<&str> = template.params.iter().map(|p| p.name.value.as_str()).collect();
        // The settings, evaluated where the template is used; `None` for one that failed (reported).
        let mut given: HashMap<&str, Option<Arg>> = HashMap::default();
        for (stmt, value) in settings {
            let name = &stmt.name;
            let found = template.params.iter().find(|p| p.name.value == name.value);
            if let Some(p) = found {
                self.record(name.span, Target::Name(NameKind::TemplateParam, p.name.span));
            }
            let Some(p) = found else {
                let suggestion = schema::closest(&name.value, names.iter().copied());
                self.diags.push(messages::unknown_param(
                    name.span,
                    &name.value,
                    &template.name.value,
                    suggestion,
                    &names,
                ));
                continue;
            };
            if let Some(extra) = stmt.args.get(1) {
                self.diags.push(messages::extra_argument(extra.span, &name.value, "a parameter takes one value"));
            }
            if let Some(block) = &stmt.block {
                self.diags.push(messages::unexpected_block(block.span, &name.value));
            }
            let is_bool = matches!(&p.default.value, Value::Word(w) if w == "true" || w == "false");
            let value = match value {
                None if is_bool => Some(Arg { value: Value::Word("true".into()), span: name.span }),
                None => {
                    let kind = class_description(value_class(&p.default.value));
                    self.diags.push(messages::missing_option_value(name.span, &name.value, kind));
                    continue;
                }
                Some(v) => self.eval_one(v, use_scope),
            };
            given.insert(p.name.value.as_str(), value);
        }
        // The parameters in order: each default sees the parameters declared before it.
        for p in &template.params {
            let default = self.eval_one(&p.default, &scope);
            let value = match given.remove(p.name.value.as_str()) {
                None => default.map(|d| d.value),
                Some(None) => None,
                Some(Some(v)) => match &default {
                    Some(d) if !same_kind(&v.value, &d.value) => {
                        let expected = class_description(value_class(&d.value));
                        self.diags.push(messages::param_wrong_kind(
                            v.span,
                            &p.name.value,
                            expected,
                            v.value.describe(),
                            p.default.span,
                        ));
                        None
                    }
                    _ => Some(v.value),
                },
            };
            let kind = NameKind::TemplateParam;
            scope.bind(p.name.value.clone(), Binding { value, declared: p.default.span, name: p.name.span, kind });
        }
        scope
    }

    /// `NAME value` settings written on a template use line, after `skip` leading arguments.
    fn inline_settings<'s>(
        &mut self,
        stmt: &'s Statement,
        skip: usize,
        template: &Template,
    ) -> Vec<(Statement, Option<&'s Arg>)> {
        let mut out = Vec::new();
        let mut args = stmt.args.iter().skip(skip).peekable();
        while let Some(arg) = args.next() {
            let Value::Word(word) = &arg.value else {
                self.diags.push(messages::extra_argument(
                    arg.span,
                    &template.name.value,
                    "parameters are written `NAME value`",
                ));
                continue;
            };
            let is_bool = template
                .params
                .iter()
                .find(|p| p.name.value == *word)
                .is_some_and(|p| matches!(&p.default.value, Value::Word(w) if w == "true" || w == "false"));
            let value = match args.peek() {
                Some(next) if is_bool => {
                    matches!(&next.value, Value::Word(w) if w == "true" || w == "false").then(|| args.next()).flatten()
                }
                Some(_) if !is_bool => args.next(),
                _ => None,
            };
            let setting =
                Statement { name: Spanned::new(word.clone(), arg.span), args: Vec::new(), block: None, span: arg.span };
            out.push((setting, value));
        }
        out
    }

    fn use_group_template(&mut self, stmt: &Statement, template: &Arc<Template>, group: &mut Group, scope: &ScopeRef) {
        if !template.makes_apps() {
            self.diags.push(messages::template_is_app(stmt.name.span, &template.name.value, template.name.span));
            return;
        }
        if self.dry {
            // The template's own body is checked where it is defined.
            return;
        }
        let inline = self.inline_settings(stmt, 0, template);
        let mut settings: Vec<(&Statement, Option<&Arg>)> = inline.iter().map(|(s, v)| (s, *v)).collect();
        for s in stmt.block_statements() {
            settings.push((s, s.args.first()));
        }
        // What one use can make, before anything is expanded: exponential templates stop here.
        let cost = template.cost();
        let bounds = [
            ("apps", cost.apps, limits::MAX_APPS),
            ("groups", cost.groups, limits::MAX_GROUPS),
            ("template expansions", cost.expansions, limits::MAX_EXPANSIONS),
        ];
        if let Some((what, n, max)) = bounds.into_iter().find(|(_, n, max)| *n > *max as u64) {
            let (name, at) = (&template.name.value, template.name.span);
            self.diags.push(messages::template_makes_too_many(stmt.name.span, name, at, what, n, max));
            return;
        }
        let Some(via) = self.enter(template, stmt.span) else { return };
        let instance = self.bind_params(template, &settings, scope);
        let body: Vec<Scoped> =
            template.body.iter().map(|s| (Cow::Owned(s.instantiated(via)), instance.clone())).collect();
        self.block(body, Place::Group, group);
        self.expanding.pop();
    }

    fn app(&mut self, stmt: &Statement, group_id: &str, scope: &ScopeRef) -> Option<App> {
        let name = self.name(stmt.args.first(), stmt, scope)?;
        let mut app = App { id: ids::child(group_id, &name.value), name, ..App::default() };
        let errors_before = self.diags.len();
        self.skipped = false;
        self.group_id = group_id.to_string();
        let template = match stmt.args.get(1) {
            None => None,
            Some(Arg { value: Value::Word(w), .. }) if w == "from" => match stmt.args.get(2) {
                Some(Arg { value: Value::Word(t), span }) => match self.look_up_template(scope, t, *span) {
                    Some(t) if t.makes_apps() => {
                        self.diags.push(messages::template_is_group(*span, &t.name.value, t.name.span));
                        None
                    }
                    Some(t) => Some(t),
                    None => {
                        let mut known = Vec::new();
                        if self.budget.may_suggest(scope.count(true)) {
                            scope.names(&mut known, true);
                        }
                        let suggestion = schema::closest(t, known.iter().map(String::as_str));
                        self.diags.push(messages::unknown_template(*span, t, suggestion));
                        app.incomplete = true;
                        None
                    }
                },
                _ => {
                    self.diags.push(messages::missing_option_value(stmt.args[1].span, "from", "a template name"));
                    None
                }
            },
            Some(other) => {
                self.diags.push(messages::extra_argument(
                    other.span,
                    "app",
                    "it takes a name, then optionally `from TEMPLATE`",
                ));
                None
            }
        };
        let own_scope = Scope::child(scope);
        let own_items: Vec<Scoped> = stmt.block_statements().map(|i| (Cow::Borrowed(i), own_scope.clone())).collect();
        let mut items = self.definitions(own_items, Place::App, false);
        if let Some(t) = &template {
            // Statements naming a parameter of the template set it.
            let inline = self.inline_settings(stmt, 3, t);
            let (settings, own): (Vec<Scoped>, Vec<Scoped>) =
                items.into_iter().partition(|(s, _)| t.params.iter().any(|p| p.name.value == s.name.value));
            let mut all: Vec<(&Statement, Option<&Arg>)> = inline.iter().map(|(s, v)| (s, *v)).collect();
            all.extend(settings.iter().map(|(s, _)| (s.as_ref(), s.args.first())));
            items = own;
            // Checking untaken code, a template's body is checked where it is defined, not expanded here.
            let via = if self.dry { None } else { self.enter(t, stmt.span) };
            if let Some(via) = via {
                let instance = self.bind_params(t, &all, scope);
                let body: Vec<Scoped> =
                    t.body.iter().map(|s| (Cow::Owned(s.instantiated(via)), instance.clone())).collect();
                let from_template = self.definitions(body, Place::App, false);
                let mut replaced = Vec::new();
                items = merge(from_template, items, &mut replaced);
                for (unique_host, constraint) in replaced {
                    self.diags.push(messages::constraint_replaces_unique_host(constraint, unique_host, &t.name.value));
                }
                self.expanding.pop();
            }
        }
        self.app_items(&items, template.as_deref(), group_id, &mut app);
        app.incomplete |= self.skipped
            || self.diags[errors_before..].iter().any(Diagnostic::is_error)
            || stmt.block.as_ref().is_some_and(|b| b.has_errors());
        Some(app)
    }

    /// Applies an app's statements (its template's merged in) to the app.
    fn app_items(&mut self, items: &[Scoped], template: Option<&Template>, group_id: &str, app: &mut App) {
        let mut seen = schema::Seen::default();
        let mut keys = super::apply::Keys::default();
        for (inner, at) in items {
            if let (Some(t), None) = (template, schema::directive(&inner.name.value)) {
                // Probably a misspelt parameter of the template.
                let names: Vec<&str> = t.params.iter().map(|p| p.name.value.as_str()).collect();
                if let Some(close) = schema::closest(&inner.name.value, names.iter().copied()) {
                    self.diags.push(messages::unknown_param(
                        inner.name.span,
                        &inner.name.value,
                        &t.name.value,
                        Some(close),
                        &names,
                    ));
                    continue;
                }
            }
            let Some(d) = self.directive(inner, Place::App, at) else { continue };
            if !self.once(&mut seen, d, inner) {
                continue;
            }
            self.group_id = group_id.to_string();
            if d.body == Body::Entries {
                self.entries(d, inner, at, app, &mut keys);
                continue;
            }
            if d.body == Body::Json {
                self.passthrough(inner, at, crate::marathon::fields::APP, &mut app.passthrough);
                continue;
            }
            if let Some(m) = self.matched(d, inner, at) {
                self.apply(d, inner, &m, group_id, app);
            }
        }
    }
}

/// The template's statements first, then the app's own; what the app declares replaces the template's:
/// single-valued directives and lists by directive name, `env` and `label` per key.
/// `replaced` gets each template `unique-host` that the app's own `constraint`s replace, with the first of
/// those (the list is replaced whole, which is easy to miss).
fn merge<'s>(template: Vec<Scoped<'s>>, own: Vec<Scoped<'s>>, replaced: &mut Vec<(Span, Span)>) -> Vec<Scoped<'s>> {
    // An app declares a handful of directives: lists beat sets built for every app.
    let mut declared: Vec<&str> = Vec::new();
    let mut keys: Vec<(&str, String)> = Vec::new();
    for (s, _) in &own {
        match schema::directive(&s.name.value) {
            Some(d) if d.body == Body::Json => keys.extend(entry_keys(s).into_iter().take(1).map(|k| (d.name, k))),
            Some(d) if d.count == Count::PerKey => keys.extend(entry_keys(s).into_iter().map(|k| (d.name, k))),
            Some(d) => declared.push(list_of(d.name)),
            None => {}
        }
    }
    // Beyond a handful of keys, a set: an app may have thousands of `env` entries.
    let set: Option<HashSet<(&str, &str)>> =
        (keys.len() > SMALL).then(|| keys.iter().map(|(d, k)| (*d, k.as_str())).collect());
    let overridden = |directive: &str, k: &str| match &set {
        Some(set) => set.contains(&(directive, k)),
        None => keys.iter().any(|(d, key)| *d == directive && key == k),
    };
    let mut out: Vec<Scoped<'s>> = Vec::with_capacity(template.len() + own.len());
    for (s, scope) in template {
        match schema::directive(&s.name.value) {
            // A passthrough's key is its field; its block is the value, not keys.
            Some(d) if d.body == Body::Json => {
                if !entry_keys(&s).first().is_some_and(|k| overridden(d.name, k)) {
                    out.push((s, scope));
                }
            }
            Some(d) if d.count == Count::PerKey => {
                if let Some(kept) = without_keys(&s, d.name, &overridden) {
                    out.push((kept, scope));
                }
            }
            Some(d) if declared.contains(&list_of(d.name)) => {
                // The app's `constraint`s replace a `unique-host` it does not repeat: say so.
                let own_unique = own.iter().any(|(o, _)| o.name.value == "unique-host");
                if d.name == "unique-host" && !own_unique {
                    if let Some((c, _)) = own.iter().find(|(o, _)| o.name.value == "constraint") {
                        replaced.push((s.span, c.span));
                    }
                }
            }
            _ => out.push((s, scope)),
        }
    }
    out.extend(own);
    out
}

/// How many keys a list holds before a set pays.
const SMALL: usize = 16;

/// Directives that add to the same list override together: `port` and `ports` are one port list, and
/// `unique-host` is a constraint.
fn list_of(directive: &'static str) -> &'static str {
    match directive {
        "port" => "ports",
        "unique-host" => "constraint",
        other => other,
    }
}

/// The keys an `env`/`label` statement sets: its first argument, or its block's entry names.
fn entry_keys(s: &Statement) -> Vec<String> {
    match s.args.first() {
        Some(Arg { value: Value::Word(k), .. }) => vec![k.clone()],
        Some(Arg { value, .. }) => value.plain_string().into_iter().collect(),
        None => s.block_statements().map(|e| e.name.value.clone()).collect(),
    }
}

/// An `env`/`label` statement without the keys the app overrides; `None` if nothing is left.
fn without_keys<'s>(
    s: &Cow<'s, Statement>,
    directive: &str,
    is_overridden: &dyn Fn(&str, &str) -> bool,
) -> Option<Cow<'s, Statement>> {
    let overridden = |k: &str| is_overridden(directive, k);
    if !s.args.is_empty() {
        return match entry_keys(s).first() {
            Some(k) if overridden(k) => None,
            _ => Some(s.clone()),
        };
    }
    let block = s.block.as_ref()?;
    if !block.statements().any(|e| overridden(&e.name.value)) {
        return Some(s.clone());
    }
    let items: Vec<Item> =
        block.items.iter().filter(|i| !matches!(i, Item::Statement(e) if overridden(&e.name.value))).cloned().collect();
    let mut kept = s.as_ref().clone();
    kept.block = Some(crate::syntax::Block { items, span: block.span });
    Some(Cow::Owned(kept))
}

/// Whether a template body statement is an `app` or a `group` (possibly inside an `if`).
fn makes_apps(s: &Statement) -> bool {
    match s.name.value.as_str() {
        "app" | "group" => true,
        "if" => s.block_statements().any(makes_apps),
        _ => false,
    }
}

/// A file of definitions only (templates, lets, params, imports, `if`s of those), at least one of them.
pub fn is_library(file: &SyntaxFile) -> bool {
    fn definition(s: &Statement) -> bool {
        match s.name.value.as_str() {
            "template" | "let" | "param" | "import" | "dns-names" => true,
            "if" => s.block_statements().all(definition),
            _ => false,
        }
    }
    let mut any = false;
    for s in statements(&file.items) {
        if !definition(s) {
            return false;
        }
        any = true;
    }
    any
}

fn statements(items: &[Item]) -> impl Iterator<Item = &Statement> {
    items.iter().filter_map(|i| match i {
        Item::Statement(s) => Some(s),
        _ => None,
    })
}

/// A statement's block statements, each in `scope`, borrowed or owned as the statement is.
fn block_items<'s>(stmt: &Cow<'s, Statement>, scope: &ScopeRef) -> Vec<Scoped<'s>> {
    match stmt {
        Cow::Borrowed(s) => s.block_statements().map(|i| (Cow::Borrowed(i), scope.clone())).collect(),
        Cow::Owned(s) => s.block_statements().map(|i| (Cow::Owned(i.clone()), scope.clone())).collect(),
    }
}

/// A path with `.` and `..` folded, without touching the file system.
/// `.` and `..` folded away, lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn needs_eval(v: &Value) -> bool {
    match v {
        Value::Reference(_) | Value::Call { .. } => true,
        Value::Str(parts) => parts.iter().any(|p| matches!(p, StrPart::Interp(_))),
        _ => false,
    }
}

/// The text a value contributes to an interpolating string.
fn interpolated(v: &Value) -> Option<String> {
    match v {
        Value::Str(_) => v.plain_string(),
        Value::Word(w) | Value::Path(w) => Some(w.clone()),
        Value::Number(n) => Some(n.text.clone()),
        _ => None,
    }
}

/// Whether a value may replace a parameter's default: the same kind, where a fraction may be written as a
/// decimal or a percentage, as the directives that take fractions allow.
fn same_kind(value: &Value, default: &Value) -> bool {
    let (a, b) = (value_class(value), value_class(default));
    // A bare number is a size in MiB, as `mem 4096` is in a file.
    a == b || matches!((a, b), ("number", "percentage") | ("percentage", "number") | ("number", "size"))
}

/// A parameter's kind, from its default: values of one class can replace each other.
fn value_class(v: &Value) -> &'static str {
    match v {
        Value::Word(w) if w == "true" || w == "false" => "bool",
        Value::Word(_) => "word",
        Value::Str(_) => "string",
        Value::Number(_) => "number",
        Value::Quantity { unit, .. } => match crate::units::classify(&unit.value) {
            Some(crate::units::UnitKind::Size) => "size",
            Some(crate::units::UnitKind::Duration) => "duration",
            None => "quantity",
        },
        Value::Percent(_) => "percentage",
        Value::Port { .. } => "port",
        Value::Range { .. } => "range",
        Value::Path(_) => "path",
        Value::Reference(_) | Value::Call { .. } => "computed",
    }
}

fn class_description(class: &str) -> &'static str {
    match class {
        "bool" => "`true` or `false`",
        "word" => "a word",
        "string" => "a string",
        "number" => "a number",
        "size" => "a size like 512MiB",
        "duration" => "a duration like 30s",
        "percentage" => "a percentage like 50%",
        "port" => "a port like 53/udp",
        "range" => "a port range",
        "path" => "a path",
        _ => "a value of the same kind as its default",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::expand;

    struct NoFiles;

    impl Loader for NoFiles {
        fn load(&self, _: &Path) -> std::io::Result<Vec<u8>> {
            Err(std::io::Error::other("no files here"))
        }
    }

    /// Lowers `text` (names resolved, labels moved to use sites) and returns everything it produced, and
    /// how many threads' worth of numbering it used.
    fn lower(text: &str, may_fork: bool) -> (String, u32) {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("big.pkw", text));
        let (tree, syntax) = syntax::parse(text, file);
        assert!(syntax.is_empty(), "{syntax:#?}");
        let mut l = Lowerer::new(Version::NEWEST, &mut sources, &NoFiles, Vec::new());
        l.may_fork = may_fork;
        let mut cluster = l.file(None, &tree, Span::new(file, 0, text.len()));
        let mut diags = std::mem::take(&mut l.diags);
        let mut json = Vec::new();
        if let Some(c) = &mut cluster {
            expand::resolve_names(c, &l.pending, false, &mut diags);
            json = crate::marathon::emit::to_json(c, Version::NEWEST);
            diags.extend(crate::check::cluster::check(c, Version::NEWEST));
        }
        expand::relabel(&mut diags, &l.expansions);
        crate::diagnostics::sort(&mut diags);
        (format!("{}\n{diags:#?}", String::from_utf8_lossy(&json)), l.banks_used)
    }

    #[test]
    fn a_large_block_lowered_on_two_threads_gives_what_one_thread_gives() {
        let mut text = String::from("template web {\n  param size 256MiB\n  image \"web:1\"\n  mem $size\n}\n");
        text.push_str("group big {\n  let zone \"z\"\n  template job { cmd \"run ${zone}\"; cpus 0.1 }\n");
        for g in 0..400 {
            text.push_str(&format!("  group g{g} {{\n    let unused{g} 1\n"));
            for a in 0..4 {
                // Template uses, dns() in both halves (one dangling), and errors in template-made text.
                text.push_str(&format!(
                    "    app a{a} from {} {{ env PEER dns(../g{}/a{a}); cpus {} }}\n",
                    match (a % 2, g % 50) {
                        (0, 0) => "web size 16MiB",
                        (0, _) => "web size 512MiB",
                        _ => "job",
                    },
                    if g == 399 { 1000 } else { (g + 1) % 400 },
                    if g % 97 == 0 { "-1" } else { "0.5" },
                ));
            }
            text.push_str("  }\n");
        }
        text.push_str("  app tail { cmd \"x\"; bogus 1 }\n}\n");
        let (one, banks) = lower(&text, false);
        assert_eq!(banks, 1);
        let (two, banks) = lower(&text, true);
        assert_eq!(banks, 2, "the big block was not split");
        for expected in ["DnsTarget", "bogus", "Unused", "a0-g17-big.marathon.mesos", "from template `web`"] {
            assert!(one.contains(expected), "{expected} missing from {one}");
        }
        assert_eq!(one, two);
    }
}
