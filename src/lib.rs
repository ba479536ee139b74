//! pkwc: the pkw compiler. The front door is `compile`: source text in, a checked cluster and every
//! diagnostic out; `marathon::emit::to_json` turns the cluster into Marathon group JSON.
//!
//! Pipeline (one way): bytes → `source` (UTF-8, NUL) → `syntax` (pest → tree) → `check` (schema table →
//! model, then cluster-wide checks) → `emit`.

extern crate alloc;

pub mod check;
pub mod diagnostics;
pub mod ide;
pub mod json;
pub mod limits;
pub mod marathon;
pub mod model;
pub mod schema;
pub mod source;
pub mod syntax;
pub mod units;
pub mod version;

pub use check::lower::Loader;
use check::lower::{Lowerer, SetParam};
use diagnostics::{messages, Diagnostic, Severity};
use source::{SourceFile, Sources, Span, Spanned};
use version::Version;

#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The Marathon version whose field dialect and features to target.
    pub marathon: Version,
    /// `--deny warnings`: warnings count as errors (and so stop the build).
    pub deny_warnings: bool,
    /// `--allow`, `--warn` and `--deny` of codes and topics.
    pub levels: diagnostics::suppress::Levels,
    /// The most JSON `compile_and_write` writes (`limits::MAX_OUTPUT_BYTES`); past it, nothing is published
    /// and the compilation gets a `pkw::limit::output-size` error.
    pub max_output_bytes: u64,
    /// The diagnostics `compile_and_write` renders are for a person: beyond the first few of a code,
    /// warnings are counted rather than drawn (`diagnostics::printed_human`). Machine output lists all.
    pub human: bool,
    /// Keep what every name resolved to (`Compilation::names`), for editor tools.
    pub names: bool,
    /// Large files may be parsed and lowered on two threads (the result is the same); off, the compilation
    /// runs on the caller's thread alone (`ide::analysis`).
    pub threads: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            marathon: Version::NEWEST,
            deny_warnings: false,
            levels: Default::default(),
            max_output_bytes: limits::MAX_OUTPUT_BYTES,
            human: false,
            names: false,
            threads: true,
        }
    }
}

/// Turns a run's diagnostics into text (the caller picks human or JSON form, colours, width).
pub type Render = dyn Fn(&[Diagnostic], &Sources) -> String + Sync;

/// How many diagnostics a rendering thread takes at a time.
const RENDER_CHUNK: usize = 64;

/// Everything one compilation produced.
#[derive(Debug)]
pub struct Compilation {
    pub sources: Sources,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Present when no error was found.
    pub cluster: Option<model::Cluster>,
    /// The main file's syntax tree (comments and spans included), for tools that work on the source.
    pub syntax: syntax::SyntaxFile,
    /// The Marathon JSON files read (`check_json`), as spanned trees, in the order given.
    pub json: Vec<json::JNode>,
    /// What each name resolved to, when `Options::names` asked for it (`check::uses`).
    pub names: check::uses::Names,
}

impl Compilation {
    /// A compilation that made nothing: only its sources and diagnostics.
    pub fn failed(sources: Sources, diagnostics: Vec<Diagnostic>) -> Compilation {
        Compilation {
            sources,
            diagnostics,
            cluster: None,
            syntax: Default::default(),
            json: Vec::new(),
            names: Default::default(),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// The file is a library (definitions only, made to be imported): checked, with nothing to build.
    pub fn is_library(&self) -> bool {
        self.cluster.is_none() && !self.has_errors() && check::lower::is_library(&self.syntax)
    }

    /// The Marathon JSON, if the compilation has no errors.
    pub fn json(&self, options: Options) -> Option<Vec<u8>> {
        self.buildable().map(|c| marathon::emit::to_json(c, options.marathon))
    }

    /// The cluster to write out, if the compilation has no errors.
    pub fn buildable(&self) -> Option<&model::Cluster> {
        if self.has_errors() {
            return None;
        }
        self.cluster.as_ref()
    }
}

/// Decodes a file's bytes as pkw text: UTF-8 without NUL bytes, at most `limits::MAX_FILE_BYTES`.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(messages::file_too_large(name));
    }
    let line_of = |offset: usize| bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
    if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        return Err(messages::nul_byte(name, nul, line_of(nul)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
            Err(messages::invalid_utf8(name, offset, line))
        }
    }
}

/// The built-in prelude: templates every file can use (`pkwc prelude` prints it).
pub const PRELUDE: &str = include_str!("prelude.pkw");

/// What a compilation reads besides the main file.
pub struct Inputs<'a> {
    /// Reads imported files.
    pub loader: &'a dyn Loader,
    /// `--set NAME=VALUE` flags, as written (each becomes a small source file of its own).
    pub sets: &'a [String],
    /// The path the main file was read from, when `name` is not exactly it (a path that is not UTF-8):
    /// imports resolve against it.
    pub path: Option<&'a std::path::Path>,
}

/// Compiles one file given as bytes; `name` is how diagnostics name it, and imports are resolved
/// relative to it.
pub fn compile(name: &str, bytes: Vec<u8>, options: Options, inputs: Inputs) -> Compilation {
    compile_and_write::<Vec<u8>>(name, bytes, options, inputs, None, None).compilation
}

/// Checks Marathon JSON files (apps, lists of apps, groups, `GET` answers) as one cluster, with every rule
/// that runs on pkw: `pkwc check group.json`. The cluster is the root group holding each file's apps and
/// groups; diagnostics point into the JSON.
pub fn check_json(files: Vec<(String, Vec<u8>)>, options: Options) -> Compilation {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let mut root = model::Group { id: "/".into(), ..model::Group::default() };
    let mut read_any = false;
    let mut trees = Vec::new();
    for (name, bytes) in files {
        let text = match decode(&name, bytes) {
            Ok(text) => text,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let file = sources.add(SourceFile::new(name, text));
        let text = sources.get(file).text.clone();
        let (tree, read_diags) = json::read(file, &text);
        diagnostics.extend(read_diags);
        let Some(tree) = tree else { continue };
        let (classified, shape_diags) = json::classify(&tree);
        diagnostics.extend(shape_diags);
        let Some(classified) = classified else { continue };
        let mut reader = json::model::Reader {
            version: options.marathon,
            diags: &mut diagnostics,
            dialect: Default::default(),
            forked: false,
        };
        let group = reader.shape(&classified.shape);
        let dialect = std::mem::take(&mut reader.dialect);
        json::model::dialect_warnings(&dialect, options.marathon, &mut diagnostics);
        read_any = true;
        if group.id == "/" {
            root.apps.extend(group.apps);
            root.groups.extend(group.groups);
            root.dependencies.extend(group.dependencies);
            root.passthrough.extend(group.passthrough);
        } else {
            root.groups.push(group);
        }
        trees.push(tree);
    }
    let cluster = model::Cluster { root };
    if read_any {
        diagnostics.extend(check::cluster::rules(&cluster, options.marathon, diagnostics::wording::Wording::Json));
    }
    let mut levels = options.levels;
    levels.deny_warnings |= options.deny_warnings;
    diagnostics::suppress::apply(&mut diagnostics, &[], &levels);
    diagnostics::sort(&mut diagnostics);
    diagnostics::fold(&mut diagnostics);
    let cluster = (!diagnostics.iter().any(Diagnostic::is_error)).then_some(cluster);
    Compilation { sources, diagnostics, cluster, syntax: Default::default(), json: trees, names: Default::default() }
}

/// How `import_json` imports.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// The Marathon version the pkw is for; `None`: the newest release of the file's dialect (1.4.13 for the
    /// legacy network fields, else 1.10).
    pub marathon: Option<Version>,
    /// Also build the pkw written and compare its JSON with the file's, in Marathon's normal form
    /// (`marathon::normal`): a difference is `pkw::import::lost`, and no text. Without it the guarantee rests
    /// on the import writing every field of the model (`ide::import`, enforced by the compiler) and on the
    /// tests, which verify every fixture and round trip.
    pub verify: bool,
}

/// `pkwc import`: a Marathon JSON file written as pkw (`ImportOptions` says for which version, and whether
/// the result is verified). The text is `None` when the file cannot be read or a part of it cannot be
/// written back (each a diagnostic).
pub fn import_json(name: &str, bytes: Vec<u8>, options: ImportOptions) -> (Compilation, Option<String>) {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let fail = |sources, diagnostics| (Compilation::failed(sources, diagnostics), None);
    let text = match decode(name, bytes) {
        Ok(text) => text,
        Err(d) => return fail(sources, vec![d]),
    };
    let file = sources.add(SourceFile::new(name, text));
    let text = sources.get(file).text.clone();
    let (tree, read_diags) = json::read(file, &text);
    diagnostics.extend(read_diags);
    let Some(tree) = tree else { return fail(sources, diagnostics) };
    let (classified, shape_diags) = json::classify(&tree);
    diagnostics.extend(shape_diags);
    let Some(classified) = classified else { return fail(sources, diagnostics) };
    // With `verify`, the file's side of the comparison is put in normal form meanwhile, on a second thread.
    let (mut compilation, text) = std::thread::scope(|scope| {
        let written =
            options.verify.then(|| scope.spawn(|| marathon::normal::cluster(written_value(&classified.shape))));
        import_model(name, sources, diagnostics, &classified, options.marathon, written)
    });
    compilation.json = vec![tree];
    (compilation, text)
}

/// The file's apps and groups as one group value, for the comparison.
fn written_value(shape: &json::Shape) -> serde_json::Value {
    match shape {
        json::Shape::Group(g) => g.to_value(),
        json::Shape::App(a) => {
            marathon::normal::object([("id", "/".into()), ("apps", serde_json::Value::Array(vec![a.to_value()]))])
        }
        json::Shape::Apps(apps) => marathon::normal::object([
            ("id", "/".into()),
            ("apps", serde_json::Value::Array(apps.iter().map(|a| a.to_value()).collect())),
        ]),
    }
}

type WrittenSide<'s> = std::thread::ScopedJoinHandle<'s, serde_json::Value>;

/// The model of a classified file, checked and written as pkw; with `written` (`verify`), the pkw built and
/// compared with it.
fn import_model(
    name: &str,
    sources: Sources,
    mut diagnostics: Vec<Diagnostic>,
    classified: &json::Classified,
    version: Option<Version>,
    written: Option<WrittenSide>,
) -> (Compilation, Option<String>) {
    let mut reader = json::model::Reader {
        version: Version::NEWEST,
        diags: &mut diagnostics,
        dialect: Default::default(),
        forked: false,
    };
    let root = reader.shape(&classified.shape);
    let legacy = reader.dialect.legacy.is_some();
    let version = version.unwrap_or(if legacy { Version::with_patch(1, 4, 13) } else { Version::NEWEST });
    let mut dropped: Vec<&str> = classified.ignored.iter().map(|i| i.field).collect();
    dropped.sort_unstable();
    dropped.dedup();
    let cluster = model::Cluster { root };
    if diagnostics.iter().any(Diagnostic::is_error) {
        return not_imported(sources, diagnostics);
    }
    // JSON Marathon would refuse cannot become pkw that builds: its errors, in JSON terms, and nothing
    // written. The pkw is written meanwhile, on this thread, and dropped if the rules refuse.
    let (refused, imported) = std::thread::scope(|scope| {
        let rules = scope.spawn(|| check::cluster::rules(&cluster, version, diagnostics::wording::Wording::Json));
        let imported = ide::import::import(&cluster, name, version, &dropped);
        (rules.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), imported)
    });
    // A dependency outside the file is declared `external` by the import, not refused.
    let refuses = |d: &Diagnostic| d.is_error() && d.code != diagnostics::Code::UnknownDependency;
    diagnostics.extend(refused.into_iter().filter(refuses));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return not_imported(sources, diagnostics);
    }
    diagnostics.extend(imported.diagnostics);
    // `verify`: the guarantee, checked: the pkw builds, with that version, to what the file asks Marathon for.
    let written = written.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    if let Some(written) = written {
        if let Some(problem) = import_differs(written, &imported.text, version) {
            let span = match &classified.shape {
                json::Shape::Group(g) | json::Shape::App(g) => g.span,
                json::Shape::Apps(apps) => apps.first().map_or(Span::default(), |a| a.span),
            };
            diagnostics.push(messages::import_differs(span, &problem));
        }
    }
    diagnostics::sort(&mut diagnostics);
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    let compilation = Compilation {
        sources,
        diagnostics,
        cluster: Some(cluster),
        syntax: Default::default(),
        json: Vec::new(),
        names: Default::default(),
    };
    (compilation, ok.then_some(imported.text))
}

/// An import that writes nothing: its diagnostics, sorted.
fn not_imported(sources: Sources, mut diagnostics: Vec<Diagnostic>) -> (Compilation, Option<String>) {
    diagnostics::sort(&mut diagnostics);
    (Compilation::failed(sources, diagnostics), None)
}

/// Builds an import's text and compares it with the file in Marathon's normal form (`marathon::normal`):
/// `None` when they agree, else what differs.
fn import_differs(written: WrittenSide, text: &str, version: Version) -> Option<String> {
    struct NoImports;
    impl Loader for NoImports {
        fn load(&self, _: &std::path::Path) -> std::io::Result<Vec<u8>> {
            Err(std::io::ErrorKind::NotFound.into())
        }
    }
    let options = Options { marathon: version, ..Options::default() };
    let c = compile(
        "imported.pkw",
        text.as_bytes().to_vec(),
        options,
        Inputs { loader: &NoImports, sets: &[], path: None },
    );
    let Some(model) = c.buildable() else {
        let first = c.diagnostics.iter().find(|d| d.is_error()).map_or(String::new(), |d| d.message.clone());
        return Some(format!("the pkw it writes does not build ({first})"));
    };
    let b = marathon::normal::cluster(marathon::emit::to_value(model, version));
    let a = written.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
    let difference =
        marathon::normal::first_difference(&a, &b).map(|path| format!("the field at `{path}` would not be the same"));
    // Freeing a million small values costs more than making them: done on a thread of its own, which the
    // command line does not wait for (a library caller gets its memory back all the same).
    std::thread::spawn(move || drop((a, b, c)));
    difference
}

/// `pkwc fmt`: the file in pkw's canonical layout (`ide::fmt`). A statement that does not parse keeps its
/// lines as written, and so does a statement whose `{` is never closed (to where its indentation ends it)
/// and a line with a `}` that closes nothing; the rest is formatted. A file that is not UTF-8, nests too
/// deeply or has a bare carriage return is refused (its diagnostics), since its layout cannot be known.
pub fn format_source(name: &str, bytes: Vec<u8>) -> Result<String, Vec<Diagnostic>> {
    let text = decode(name, bytes).map_err(|d| vec![d])?;
    let mut sources = Sources::default();
    let file = sources.add(SourceFile::new(name, text.as_str()));
    let (_, diagnostics) = syntax::parse(&text, file);
    use diagnostics::Code;
    let refused: Vec<Diagnostic> =
        diagnostics.iter().filter(|d| matches!(d.code, Code::TooDeep | Code::BareCarriageReturn)).cloned().collect();
    if !refused.is_empty() {
        return Err(refused);
    }
    // Every statement that does not parse, and (`syntax::unmatched_braces`) each unclosed block, to where its
    // indentation ends it, and each stray `}`.
    let mut keep: Vec<(usize, usize)> = diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code.topic() == "syntax")
        .filter(|d| !matches!(d.code, Code::UnclosedBrace | Code::UnmatchedBrace))
        .flat_map(|d| d.labels.iter().map(|l| (l.span.start as usize, l.span.end as usize)))
        .collect();
    let (unclosed, stray) = syntax::unmatched_braces(&text);
    keep.extend(unclosed.iter().copied());
    keep.extend(stray.iter().map(|&at| (at, at + 1)));
    let unmatched: Vec<usize> = unclosed.iter().map(|&(open, _)| open).chain(stray).collect();
    Ok(ide::fmt::format(&text, &keep, &unmatched))
}

/// Whether a file is Marathon JSON rather than pkw: by its name (`.json`), else by its first character
/// that is not white space (`{` or `[`, which cannot start a pkw file).
pub fn looks_like_json(name: &str, bytes: &[u8]) -> bool {
    name.ends_with(".json") || bytes.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| matches!(b, b'{' | b'['))
}

/// What `compile_and_write` produced.
pub struct Written<W> {
    pub compilation: Compilation,
    /// The output, written, if the compilation has no error; `None` if it was not written (the caller must
    /// not publish it then).
    pub out: Option<std::io::Result<W>>,
    /// The diagnostics as `render` made them, in order.
    pub rendered: String,
}

/// Compiles like `compile`, and meanwhile writes the JSON to `out` on a second thread, beside the
/// cluster-wide checks; then renders the diagnostics with `render` on both threads (the first to be free
/// starts). `out` comes back written only if the compilation has no error.
pub fn compile_and_write<W: std::io::Write + Send>(
    name: &str,
    bytes: Vec<u8>,
    options: Options,
    inputs: Inputs,
    out: Option<W>,
    render: Option<&Render>,
) -> Written<W> {
    let threads = options.threads;
    compile_parsed(name, bytes, options, inputs, out, render, &mut |text, file| syntax::parse_on(text, file, threads))
}

/// How the main file is parsed: `syntax::parse`, or (`ide::analysis`) a reparse of the edited block.
pub type Parse<'a> = dyn FnMut(&str, source::FileId) -> (syntax::SyntaxFile, Vec<Diagnostic>) + 'a;

/// `compile`, with the main file parsed by `parse` (the tree must be the one `syntax::parse` gives).
pub fn compile_with_parse(
    name: &str,
    bytes: Vec<u8>,
    options: Options,
    inputs: Inputs,
    parse: &mut Parse,
) -> Compilation {
    compile_parsed::<Vec<u8>>(name, bytes, options, inputs, None, None, parse).compilation
}

fn compile_parsed<W: std::io::Write + Send>(
    name: &str,
    bytes: Vec<u8>,
    options: Options,
    inputs: Inputs,
    out: Option<W>,
    render: Option<&Render>,
    parse: &mut Parse,
) -> Written<W> {
    let mut sources = Sources::default();
    let text = match decode(name, bytes) {
        Ok(text) => text,
        Err(d) => {
            let rendered = render
                .map(|r| render_printed(r, std::slice::from_ref(&d), &sources, options.human))
                .unwrap_or_default();
            return Written { compilation: Compilation::failed(sources, vec![d]), out: None, rendered };
        }
    };
    let prelude = sources.add(SourceFile::new("<prelude>", PRELUDE));
    let file = sources.add(SourceFile::new(name, text));
    let mut diagnostics = Vec::new();
    let mut sets = Vec::new();
    for flag in inputs.sets {
        match parse_set(flag, &mut sources) {
            Ok(set) => sets.push(set),
            Err(d) => diagnostics.push(d),
        }
    }
    let text = sources.get(file).text.clone();
    let (tree, syntax_diags) = parse(&text, file);
    diagnostics.extend(syntax_diags);
    let mut allows = syntax::allow_comments(&tree, &text, Span::new(file, 0, text.len()));
    let (prelude_tree, prelude_diags) = syntax::parse(PRELUDE, prelude);
    debug_assert!(prelude_diags.is_empty(), "the prelude parses: {prelude_diags:?}");
    let mut lowerer = Lowerer::new(options.marathon, &mut sources, inputs.loader, sets);
    if let Some(path) = inputs.path {
        lowerer.paths.insert(file, path.to_path_buf());
    }
    lowerer.after_syntax_errors = diagnostics.iter().any(Diagnostic::is_error);
    if options.names {
        lowerer.names = Some(Default::default());
    }
    lowerer.threads = options.threads;
    let mut cluster = if diagnostics.iter().any(Diagnostic::is_error) && tree.items.is_empty() {
        None
    } else {
        lowerer.file(Some((&prelude_tree, prelude)), &tree, Span::new(file, 0, text.len()))
    };
    let (dotted, pending, expansions) =
        (lowerer.dotted_dns, std::mem::take(&mut lowerer.pending), std::mem::take(&mut lowerer.expansions));
    diagnostics.append(&mut lowerer.diags);
    allows.append(&mut lowerer.allows);
    if let Some(cluster) = &mut cluster {
        check::expand::resolve_names(cluster, &pending, dotted, &mut diagnostics);
    }
    let mut names = lowerer.names.take().unwrap_or_default();
    if options.names {
        check::uses::paths(&mut names, cluster.as_ref(), &pending);
        names.expansions = expansions.clone();
        names.dotted = dotted;
        names.finish();
    }
    let finish = |diagnostics: &mut Vec<Diagnostic>| {
        check::expand::relabel(diagnostics, &expansions);
        let mut levels = options.levels;
        levels.deny_warnings |= options.deny_warnings;
        diagnostics::suppress::apply(diagnostics, &allows, &levels);
        diagnostics::sort(diagnostics);
        // A template line reports the same problem for every use; say it once, with every use.
        diagnostics::fold(diagnostics);
    };
    let Some(model) = cluster.as_ref() else {
        finish(&mut diagnostics);
        let rendered = render.map(|r| render_printed(r, &diagnostics, &sources, options.human)).unwrap_or_default();
        return Written {
            compilation: Compilation { sources, diagnostics, cluster: None, syntax: tree, json: Vec::new(), names },
            out: None,
            rendered,
        };
    };
    // The writer thread emits the JSON while this one checks; then both render diagnostics, in chunks taken
    // in order from a shared counter, so that neither waits for the other.
    let write = out.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    let ready: std::sync::OnceLock<Vec<Diagnostic>> = std::sync::OnceLock::new();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let chunks: std::sync::Mutex<Vec<(usize, String)>> = std::sync::Mutex::new(Vec::new());
    let render_chunks = |all: &[Diagnostic]| {
        let Some(render) = render else { return };
        let human;
        let all = if options.human {
            human = diagnostics::printed_human(all);
            &human[..]
        } else {
            diagnostics::printed(all).0
        };
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let start = i.saturating_mul(RENDER_CHUNK);
            if start >= all.len() {
                return;
            }
            let text = render(&all[start..(start + RENDER_CHUNK).min(all.len())], &sources);
            chunks.lock().unwrap_or_else(|e| e.into_inner()).push((i, text));
        }
    };
    let written = std::thread::scope(|scope| {
        let writer = write.map(|w| {
            let (ready, render_chunks) = (&ready, &render_chunks);
            scope.spawn(move || {
                let mut limited = Limited { inner: w, left: options.max_output_bytes, over: false };
                let result = marathon::emit::write_json(model, options.marathon, &mut limited);
                let result = match (result, limited.over) {
                    (_, true) => Err(Limited::<W>::error()),
                    (Ok(()), false) => Ok(limited.inner),
                    (Err(e), false) => Err(e),
                };
                render_chunks(ready.wait());
                result
            })
        });
        // Should this thread panic, the writer must not wait for diagnostics forever.
        struct Release<'a>(&'a std::sync::OnceLock<Vec<Diagnostic>>);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.get_or_init(Vec::new);
            }
        }
        let _release = Release(&ready);
        diagnostics.extend(check::cluster::check(model, options.marathon));
        finish(&mut diagnostics);
        let all = ready.get_or_init(|| std::mem::take(&mut diagnostics));
        render_chunks(all);
        // A panic while writing is a bug: let it show rather than end the build without a word.
        writer.map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let mut diagnostics = ready.into_inner().unwrap_or_default();
    // Too much JSON: nothing is published, and the compilation says why.
    let written = match written {
        Some(Err(e)) if Limited::<W>::is_limit(&e) => {
            let d = messages::output_too_large(Span::new(file, 0, 0), options.max_output_bytes);
            diagnostics.push(d);
            None
        }
        other => other,
    };
    let mut chunks = chunks.into_inner().unwrap_or_else(|e| e.into_inner());
    chunks.sort_by_key(|(i, _)| *i);
    let mut rendered: String = chunks.into_iter().map(|(_, text)| text).collect();
    if let Some(render) = render {
        let limit_reached = diagnostics.last().filter(|d| d.code == diagnostics::Code::OutputTooLarge);
        if let Some(d) = limit_reached {
            rendered.push_str(&render(std::slice::from_ref(d), &sources));
        }
        // (A human report's chunks end with it already.)
        if let (Some(summary), false) = (diagnostics::printed(&diagnostics).1, options.human) {
            rendered.push_str(&render(std::slice::from_ref(&summary), &sources));
        }
    }
    let out = written.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    let compilation = Compilation { sources, diagnostics, cluster, syntax: tree, json: Vec::new(), names };
    Written { compilation, out, rendered }
}

/// A writer that takes at most `left` bytes; past that it fails, and says so in `over`.
struct Limited<W> {
    inner: W,
    left: u64,
    over: bool,
}

impl<W> Limited<W> {
    const MESSAGE: &'static str = "pkwc output limit reached";

    fn error() -> std::io::Error {
        std::io::Error::other(Self::MESSAGE)
    }

    fn is_limit(e: &std::io::Error) -> bool {
        e.kind() == std::io::ErrorKind::Other && e.to_string() == Self::MESSAGE
    }
}

impl<W: std::io::Write> std::io::Write for Limited<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() as u64 > self.left {
            self.over = true;
            return Err(Self::error());
        }
        let n = self.inner.write(buf)?;
        self.left -= n as u64;
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if buf.len() as u64 > self.left {
            self.over = true;
            return Err(Self::error());
        }
        self.inner.write_all(buf)?;
        self.left -= buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Renders what one run prints: the first `limits::MAX_PRINTED` diagnostics and a summary of the rest;
/// for a `human` report, only the first few warnings of each code (`diagnostics::printed_human`).
pub fn render_printed(
    render: impl Fn(&[Diagnostic], &Sources) -> String,
    all: &[Diagnostic],
    sources: &Sources,
    human: bool,
) -> String {
    if human {
        return render(&diagnostics::printed_human(all), sources);
    }
    let (shown, summary) = diagnostics::printed(all);
    let mut out = render(shown, sources);
    if let Some(summary) = summary {
        out.push_str(&render(std::slice::from_ref(&summary), sources));
    }
    out
}

/// `NAME=VALUE` from `--set`, as its own source file so that diagnostics can point into the flag. A bare
/// `NAME` sets a flag; a value that is not a pkw value is taken as a string (`--set image=cassandra:4.1`).
fn parse_set(flag: &str, sources: &mut Sources) -> Result<SetParam, Diagnostic> {
    // NUL is what `dns()` placeholders are made of; no source text may hold one.
    let text = format!("--set {}", flag.replace('\0', "\u{FFFD}"));
    let file = sources.add(SourceFile::new("<command line>", text.clone()));
    if let Some(nul) = flag.find('\0') {
        return Err(messages::set_value_invalid(Span::new(file, 6 + nul, 6 + nul + 3), "it contains a NUL byte"));
    }
    let eq = text.find('=').unwrap_or(text.len());
    let name = text[6..eq].trim();
    if name.is_empty() {
        return Err(messages::set_value_invalid(Span::new(file, 6, eq), "the name before `=` is empty"));
    }
    let name = Spanned::new(name.to_string(), Span::new(file, 6, eq));
    let whole = Span::new(file, (eq + 1).min(text.len()), text.len());
    let value = if eq == text.len() {
        syntax::Arg { value: syntax::Value::Word("true".into()), span: name.span }
    } else {
        syntax::parse_value(&text, eq + 1, file).unwrap_or_else(|_| syntax::Arg {
            value: syntax::Value::Str(vec![syntax::StrPart::Text(text[eq + 1..].to_string())]),
            span: whole,
        })
    };
    Ok(SetParam { name, value })
}
