//! The command line: the only place that reads files, writes output or picks colours.
//! Exit codes: 0 success (warnings allowed), 1 errors in the input, 2 usage or I/O errors.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use pkwc::diagnostics::suppress::Level;
use pkwc::diagnostics::{render_human, render_json, Code, Diagnostic, RenderOptions};
use pkwc::source::Sources;
use pkwc::version::Version;
use pkwc::{Compilation, Options};

const EXAMPLES: &str = "\
Examples:
  pkwc build examples/ctrlpkw.pkw > group.json      compile for Marathon 1.10
  pkwc build cluster.pkw --marathon 0.8 -o group.json
  pkwc build cluster.pkw --set nodes=6              override a top-level `param`
  pkwc check cluster.pkw other.pkw                 report problems only
  pkwc check --format json cluster.pkw             one JSON diagnostic per line, for editors
  pkwc explain pkw::syntax::unexpected             what a diagnostic code means";

#[derive(Parser)]
#[command(name = "pkwc", version, about = "Compile pkw cluster descriptions into Marathon group JSON", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile FILE into one Marathon group (the body of `POST /v2/groups`).
    #[command(after_help = EXAMPLES)]
    Build {
        /// The pkw file, or `-` for standard input.
        file: PathBuf,
        /// Write the JSON to OUT (all or nothing) instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Check files and report diagnostics, without writing JSON. Marathon JSON files (apps, groups, what
    /// `GET /v2/groups` answers) are checked too, all of them together as one cluster.
    #[command(after_help = EXAMPLES)]
    Check {
        /// The pkw or Marathon JSON files, or `-` for standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print diagnostics: `human` on standard error, or `json` (one object per line) on standard output.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// What the files are: `pkw`, `json` (Marathon JSON), or `auto`: JSON by a `.json` name, or by a
        /// first character `{` or `[`.
        #[arg(long, value_enum, default_value = "auto")]
        input: Input,
        #[command(flatten)]
        common: Common,
    },
    /// Write Marathon JSON (an app, a list of apps, a group, what `GET /v2/groups` answers) as idiomatic pkw.
    Import {
        /// The Marathon JSON file, or `-` for standard input.
        file: PathBuf,
        /// Write the pkw to OUT (all or nothing) instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The Marathon version to build the result with (default: 1.4.13 for a file in the legacy network
        /// dialect, else 1.10); named in the file's header.
        #[arg(long, value_name = "VERSION", value_parser = Version::parse)]
        marathon: Option<Version>,
        /// Also build the pkw written and compare its JSON with the file's, field by field in Marathon's
        /// normal form: a difference is an error and nothing is written. Without it, every field read from
        /// the file is written or reported as an error (the compiler holds the import to that), and the
        /// tests verify every fixture and round trip; `--verify` checks this file too, at a few times the
        /// time and memory.
        #[arg(long)]
        verify: bool,
    },
    /// Lay pkw files out the canonical way (indentation, spacing, blank lines), in place; `-` formats
    /// standard input to standard output.
    Fmt {
        /// The pkw files, or `-`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing: list the files that would change, and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// The language server, over standard input and output: diagnostics as you type (imports included),
    /// quick fixes, go to definition, references, rename, hover (an app's JSON), completion, the outline,
    /// semantic tokens and formatting.
    Lsp,
    /// Print the built-in prelude: the templates every file can use (e.g. `cassandra`).
    Prelude,
    /// Explain a diagnostic code: what it means, why it matters, an example and the fix.
    Explain {
        /// The code, e.g. `pkw::syntax::unexpected` (the `pkw::` prefix may be left out).
        #[arg(required_unless_present = "list")]
        code: Option<String>,
        /// List every code with its summary.
        #[arg(long)]
        list: bool,
    },
}

#[derive(clap::Args)]
struct Common {
    /// Target Marathon version (0.8 to 1.10, optionally with a patch level: 0.8.2, 1.4.13): picks the JSON
    /// field dialect and the features allowed.
    #[arg(long, value_name = "VERSION", default_value = "1.10", value_parser = Version::parse)]
    marathon: Version,
    /// Make a code or a whole topic an error (`--deny ports`), or every warning (`--deny warnings`).
    #[arg(long, value_name = "CODE|TOPIC|warnings")]
    deny: Vec<String>,
    /// Keep a code or topic a warning, even with `--deny warnings`.
    #[arg(long, value_name = "CODE|TOPIC")]
    warn: Vec<String>,
    /// Silence a warning code or topic (`--allow upgrade::needs-spare-agent`). Errors cannot be allowed.
    #[arg(long, value_name = "CODE|TOPIC")]
    allow: Vec<String>,
    /// Set a top-level `param`: `--set nodes=6` (the value is written as in a pkw file).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
}

/// Imports are read from the file system, relative to the importing file.
struct FsLoader;

impl pkwc::Loader for FsLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        read_file(path)
    }

    fn identity(&self, path: &Path) -> PathBuf {
        // Symbolic links resolved, so that a link back to a directory is seen as the same file.
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Reads a regular file, at most `limits::MAX_FILE_BYTES` and one byte (the library reports a longer
/// file). Devices, directories and FIFOs are refused: they may never end, or block forever.
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    // Looked at before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!("not a regular file ({})", file_kind(&meta))));
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!("not a regular file ({})", file_kind(&meta))));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(pkwc::limits::MAX_FILE_BYTES) as usize + 1);
    file.take(pkwc::limits::MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO; to read from a pipe, pass `-` and feed it to standard input";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// Whether standard input or output (0, 1) was open when pkwc started. Rust's runtime puts `/dev/null` on a
/// standard descriptor that was closed, which would turn "nothing to read" into an empty file and "nothing
/// written" into success; so on Linux the descriptors are looked at before the runtime starts
/// (`STD_FDS_CLOSED`, set from `.init_array`).
fn is_open(fd: i32) -> bool {
    #[cfg(target_os = "linux")]
    {
        let bit = 1u8 << fd;
        STD_FDS_CLOSED.load(std::sync::atomic::Ordering::Relaxed) & bit == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = fd;
        true
    }
}

/// Bit `fd` is set when standard descriptor `fd` was closed at process start.
#[cfg(target_os = "linux")]
static STD_FDS_CLOSED: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

#[cfg(target_os = "linux")]
extern "C" fn record_std_fds() {
    let mut closed = 0u8;
    for fd in 0..3 {
        // SAFETY: F_GETFD only queries the descriptor's flags; it touches no memory.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            closed |= 1 << fd;
        }
    }
    STD_FDS_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
}

/// Runs `record_std_fds` before `main` and before Rust's runtime replaces closed descriptors.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static RECORD_STD_FDS: extern "C" fn() = record_std_fds;

/// Writes `text` to standard output. A reader that stops early (`| head`) is not an error: `Ok(false)`.
fn write_stdout(text: &[u8]) -> Result<bool, i32> {
    if !is_open(1) {
        eprintln!("pkwc: cannot write standard output: it is closed");
        return Err(2);
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|_| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => {
            eprintln!("pkwc: cannot write standard output: {e}");
            Err(2)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Input {
    Auto,
    Pkw,
    Json,
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Build { file, output, common } => build(&file, output.as_deref(), &common),
        Command::Check { files, format, input, common } => check(&files, format, input, &common),
        Command::Import { file, output, marathon, verify } => {
            import(&file, output.as_deref(), pkwc::ImportOptions { marathon, verify })
        }
        Command::Fmt { files, check } => fmt(&files, check),
        Command::Lsp => crate::lsp::run(),
        Command::Explain { code, list } => explain(code.as_deref(), list),
        Command::Prelude => match write_stdout(pkwc::PRELUDE.as_bytes()) {
            Ok(_) => 0,
            Err(code) => code,
        },
    }
}

/// The compile options, or exit code 2 for a `--allow`/`--warn`/`--deny` that names nothing or allows an error.
fn options(common: &Common) -> Result<Options, i32> {
    let mut options = Options { marathon: common.marathon, ..Options::default() };
    let flags = [
        (Level::Allow, "--allow", &common.allow),
        (Level::Warn, "--warn", &common.warn),
        (Level::Deny, "--deny", &common.deny),
    ];
    for (level, flag, selectors) in flags {
        for selector in selectors.iter() {
            if level == Level::Deny && selector == "warnings" {
                options.deny_warnings = true;
                continue;
            }
            let codes = Code::select(selector);
            if codes.is_empty() {
                let names: Vec<&str> = Code::ALL.iter().flat_map(|c| [&c.as_str()[5..], c.topic()]).collect();
                let hint = pkwc::schema::closest(selector.trim_start_matches("pkw::"), names.iter().copied())
                    .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                eprintln!("pkwc: `{flag} {selector}` names no diagnostic code or topic{hint} (`pkwc explain --list` lists them)");
                return Err(2);
            }
            let topic = codes.len() > 1;
            if topic && level != Level::Deny && codes.iter().all(|c| c.severity() == pkwc::diagnostics::Severity::Error)
            {
                eprintln!("pkwc: `{flag} {selector}`: every code of `{selector}` is an error (what Marathon would reject), and errors cannot be allowed");
                return Err(2);
            }
            for code in codes {
                match options.levels.set(code, level) {
                    Ok(()) => {}
                    // A topic's errors simply stay errors.
                    Err(_) if topic => {}
                    Err(code) => {
                        eprintln!(
                            "pkwc: `{flag} {selector}`: `{}` is an error (what Marathon would reject), and errors cannot be {}",
                            code.as_str(),
                            if level == Level::Allow { "allowed" } else { "made warnings" }
                        );
                        return Err(2);
                    }
                }
            }
        }
    }
    Ok(options)
}

/// Reads a file or standard input; an I/O error is reported and becomes exit code 2.
fn read(path: &Path) -> Result<(String, Vec<u8>), i32> {
    if path.as_os_str() == "-" {
        if !is_open(0) {
            eprintln!("pkwc: cannot read standard input: it is closed");
            return Err(2);
        }
        let mut bytes = Vec::new();
        return match std::io::stdin().lock().take(pkwc::limits::MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
            Ok(_) => Ok(("<stdin>".into(), bytes)),
            Err(e) => {
                eprintln!("pkwc: cannot read standard input: {e}");
                Err(2)
            }
        };
    }
    match read_file(path) {
        Ok(bytes) => Ok((path.display().to_string(), bytes)),
        Err(e) => {
            eprintln!("pkwc: cannot read `{}`: {e}", path.display());
            Err(2)
        }
    }
}

fn render_options() -> RenderOptions {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    RenderOptions { color: !no_color && std::io::stderr().is_terminal(), width: 100 }
}

fn human(c: &Compilation) -> String {
    if c.diagnostics.is_empty() {
        return String::new();
    }
    let render = |d: &[Diagnostic], s: &Sources| render_human(d, s, render_options());
    let mut text = pkwc::render_printed(render, &c.diagnostics, &c.sources, true);
    text.push_str(&summary_line(&c.diagnostics));
    text
}

/// The human report's last line, e.g. `pkwc: 2 errors, 3 warnings`; empty without diagnostics.
fn summary_line(all: &[Diagnostic]) -> String {
    let summary = pkwc::diagnostics::summary(all);
    if summary.is_empty() {
        summary
    } else {
        format!("pkwc: {summary}\n")
    }
}

fn report_human(c: &Compilation) {
    let _ = std::io::stderr().write_all(human(c).as_bytes());
}

fn build(path: &Path, output: Option<&Path>, common: &Common) -> i32 {
    let options = match options(common) {
        Ok(options) => Options { human: true, ..options },
        Err(code) => return code,
    };
    // `-o -` is standard output.
    let output = output.filter(|o| o.as_os_str() != "-");
    if output.is_none() && !is_open(1) {
        eprintln!("pkwc: cannot write standard output: it is closed (use `-o FILE`)");
        return 2;
    }
    let (name, bytes) = match read(path) {
        Ok(input) => input,
        Err(code) => return code,
    };
    // The JSON is written while the cluster-wide checks run: into a temporary file beside OUT, renamed
    // into place only if the build succeeds, or into memory for standard output and devices.
    let sink = match output.filter(|out| !std::fs::metadata(out).is_ok_and(|m| !m.is_file())) {
        Some(out) => match TempFile::create(out) {
            Ok(tmp) => Sink::File(tmp),
            Err(e) => {
                eprintln!("pkwc: cannot write `{}`: {e}", out.display());
                return 2;
            }
        },
        None => Sink::Memory(Vec::with_capacity(bytes.len() * 8)),
    };
    let inputs =
        pkwc::Inputs { loader: &FsLoader, sets: &common.sets, path: (path.as_os_str() != "-").then_some(path) };
    // Diagnostics are rendered on both threads as soon as the checks and the JSON are done.
    let render = |d: &[Diagnostic], s: &Sources| render_human(d, s, render_options());
    let written = pkwc::compile_and_write(&name, bytes, options, inputs, Some(sink), Some(&render));
    let result = match written.out {
        None => None,
        Some(Err(e)) => Some(Err(e)),
        Some(Ok(sink)) => Some(sink.publish(output)),
    };
    let _ = std::io::stderr().write_all(written.rendered.as_bytes());
    let _ = std::io::stderr().write_all(summary_line(&written.compilation.diagnostics).as_bytes());
    let library = written.compilation.is_library();
    // The process ends right after this: freeing the tree and the model piece by piece is wasted work.
    std::mem::forget(written.compilation);
    match (result, output) {
        (None, _) if library => {
            eprintln!(
                "pkwc: `{name}` is a library (only templates, params and lets): `pkwc check` checks it, but there is nothing to build; build a file that imports it"
            );
            1
        }
        (None, _) => 1,
        (Some(Ok(())), _) => 0,
        (Some(Err(e)), None) if e.kind() == std::io::ErrorKind::BrokenPipe => 2,
        (Some(Err(e)), None) => {
            eprintln!("pkwc: cannot write standard output: {e}");
            2
        }
        (Some(Err(e)), Some(out)) => {
            eprintln!("pkwc: cannot write `{}`: {e}", out.display());
            2
        }
    }
}

/// Where `build` writes the JSON before it knows whether the build succeeds.
enum Sink {
    Memory(Vec<u8>),
    File(TempFile),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Memory(v) => v.write(buf),
            Sink::File(f) => f.writer.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Sink::Memory(v) => v.write_all(buf),
            Sink::File(f) => f.writer.write_all(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Memory(_) => Ok(()),
            Sink::File(f) => f.writer.flush(),
        }
    }
}

impl Sink {
    /// Makes the written JSON visible: renames the temporary file over OUT, or writes the bytes out.
    fn publish(self, output: Option<&Path>) -> std::io::Result<()> {
        match (self, output) {
            (Sink::File(tmp), _) => tmp.commit(),
            (Sink::Memory(bytes), Some(out)) => std::fs::OpenOptions::new().write(true).open(out)?.write_all(&bytes),
            (Sink::Memory(bytes), None) => {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(&bytes).and_then(|_| stdout.flush())
            }
        }
    }
}

/// Writes `bytes` to OUT whole: a regular file (or a new one) through a `TempFile`, so that readers never see
/// half of it; a device or pipe (`/dev/null`, `/dev/stdout`) in place, since renaming over one would replace
/// the device with a file.
fn write_whole(out: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::metadata(out).is_ok_and(|m| !m.is_file()) {
        return std::fs::OpenOptions::new().write(true).open(out)?.write_all(bytes);
    }
    let mut tmp = TempFile::create(out)?;
    tmp.writer.write_all(bytes)?;
    tmp.commit()
}

/// A temporary file beside OUT, renamed over OUT by `commit`, so that readers see the old file or the whole
/// new one, never a half-written one. On Linux it has no name until `commit` (`O_TMPFILE`), so a build that
/// is interrupted, killed or aborts leaves nothing behind; elsewhere it is named and removed when dropped
/// uncommitted.
struct TempFile {
    writer: std::io::BufWriter<std::fs::File>,
    /// The name it is given (or has) beside OUT.
    tmp: PathBuf,
    out: PathBuf,
    /// Whether `tmp` exists on disk (and must be removed unless committed).
    named: bool,
    committed: bool,
}

/// The longest file name most file systems take (`NAME_MAX`).
const NAME_MAX: usize = 255;

impl TempFile {
    fn create(out: &Path) -> std::io::Result<TempFile> {
        let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let tmp = dir.join(temp_name(out));
        let (file, named) = match anonymous_file(dir) {
            Some(file) => (file, false),
            None => (std::fs::File::create(&tmp)?, true),
        };
        Ok(TempFile {
            writer: std::io::BufWriter::with_capacity(1 << 16, file),
            tmp,
            out: out.to_path_buf(),
            named,
            committed: false,
        })
    }

    fn commit(mut self) -> std::io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_all()?;
        if !self.named {
            // A name left by a run that was killed before it renamed (the same PID comes back in a
            // container): it is ours to replace.
            if let Err(e) = give_name(self.writer.get_ref(), &self.tmp) {
                if e.kind() != std::io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
                std::fs::remove_file(&self.tmp)?;
                give_name(self.writer.get_ref(), &self.tmp)?;
            }
            self.named = true;
        }
        std::fs::rename(&self.tmp, &self.out)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.named && !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// `.NAME.pkwc-PID.tmp`, with NAME shortened so that the whole fits in `NAME_MAX` bytes.
fn temp_name(out: &Path) -> std::ffi::OsString {
    let suffix = format!(".pkwc-{}.tmp", std::process::id());
    let name = out.file_name().unwrap_or(std::ffi::OsStr::new("out"));
    let room = NAME_MAX - 1 - suffix.len();
    let mut tmp = std::ffi::OsString::from(".");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = name.as_bytes();
        tmp.push(std::ffi::OsStr::from_bytes(&bytes[..bytes.len().min(room)]));
    }
    #[cfg(not(unix))]
    {
        let lossy = name.to_string_lossy();
        tmp.push(lossy.chars().take(room / 4).collect::<String>());
    }
    tmp.push(suffix);
    tmp
}

/// A file in `dir` with no name yet, where the system has them.
fn anonymous_file(dir: &Path) -> Option<std::fs::File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Naming it later goes through /proc.
        if !Path::new("/proc/self/fd").is_dir() {
            return None;
        }
        std::fs::OpenOptions::new().write(true).mode(0o666).custom_flags(libc::O_TMPFILE).open(dir).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

/// Links an anonymous file (`anonymous_file`) into its directory as `name`.
fn give_name(file: &std::fs::File, name: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::io::AsRawFd;
        let from = std::ffi::CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
        let to = std::ffi::CString::new(name.as_os_str().as_bytes())?;
        // SAFETY: both are NUL-terminated strings that live across the call.
        let r = unsafe {
            libc::linkat(libc::AT_FDCWD, from.as_ptr(), libc::AT_FDCWD, to.as_ptr(), libc::AT_SYMLINK_FOLLOW)
        };
        if r == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (file, name);
        Err(std::io::Error::other("anonymous files are only made on Linux"))
    }
}

fn check(files: &[PathBuf], format: Format, input: Input, common: &Common) -> i32 {
    let options = match options(common) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let mut code = 0;
    // Marathon JSON files are one cluster, checked together after the pkw files, each on its own.
    let mut json_files = Vec::new();
    let mut reports = Vec::new();
    for path in files {
        let (name, bytes) = match read(path) {
            Ok(input) => input,
            Err(e) => {
                code = code.max(e);
                continue;
            }
        };
        let is_json = match input {
            Input::Json => true,
            Input::Pkw => false,
            Input::Auto => pkwc::looks_like_json(&name, &bytes),
        };
        if is_json {
            json_files.push((name, bytes));
            continue;
        }
        let inputs =
            pkwc::Inputs { loader: &FsLoader, sets: &common.sets, path: (path.as_os_str() != "-").then_some(path) };
        reports.push((name.clone(), pkwc::compile(&name, bytes, options, inputs)));
    }
    if !json_files.is_empty() {
        let name = json_files[0].0.clone();
        reports.push((name, pkwc::check_json(json_files, options)));
    }
    for (name, c) in &reports {
        match format {
            Format::Human => report_human(c),
            Format::Json => {
                let render = |d: &[Diagnostic], s: &Sources| render_json(d, s, name);
                let text = pkwc::render_printed(render, &c.diagnostics, &c.sources, false);
                if let Err(e) = write_stdout(text.as_bytes()) {
                    return e;
                }
            }
        }
        if c.has_errors() {
            code = code.max(1);
        }
    }
    // The process exits next: freeing millions of small allocations would only cost time.
    std::mem::forget(reports);
    code
}

fn import(path: &Path, output: Option<&Path>, options: pkwc::ImportOptions) -> i32 {
    let (name, bytes) = match read(path) {
        Ok(input) => input,
        Err(code) => return code,
    };
    let (c, text) = pkwc::import_json(&name, bytes, options);
    report_human(&c);
    let Some(text) = text else {
        std::mem::forget(c);
        return 1;
    };
    let code = match output.filter(|o| o.as_os_str() != "-") {
        Some(out) => match write_whole(out, text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("pkwc: cannot write {}: {e}", out.display());
                2
            }
        },
        None => match write_stdout(text.as_bytes()) {
            Ok(_) => 0,
            Err(code) => code,
        },
    };
    std::mem::forget(c);
    code
}

fn fmt(files: &[PathBuf], check: bool) -> i32 {
    let mut code = 0;
    for path in files {
        let (name, bytes) = match read(path) {
            Ok(input) => input,
            Err(e) => {
                code = code.max(e);
                continue;
            }
        };
        let original = bytes.clone();
        let formatted = match pkwc::format_source(&name, bytes) {
            Ok(text) => text,
            Err(diagnostics) => {
                let mut sources = Sources::default();
                if let Ok(text) = std::str::from_utf8(&original) {
                    sources.add(pkwc::source::SourceFile::new(name.as_str(), text));
                }
                let text = render_human(&diagnostics, &sources, render_options());
                let _ = std::io::stderr().write_all(text.as_bytes());
                eprintln!("pkwc: {name} is not formatted: fix these first");
                code = code.max(1);
                continue;
            }
        };
        let changed = formatted.as_bytes() != original.as_slice();
        if path.as_os_str() == "-" {
            if check {
                if changed {
                    eprintln!("pkwc: <stdin> is not formatted");
                    code = code.max(1);
                }
            } else if let Err(e) = write_stdout(formatted.as_bytes()) {
                return e;
            }
            continue;
        }
        if !changed {
            continue;
        }
        if check {
            eprintln!("pkwc: {name} would be reformatted");
            code = code.max(1);
            continue;
        }
        let written = write_whole(path, formatted.as_bytes());
        if let Err(e) = written {
            eprintln!("pkwc: cannot write {name}: {e}");
            code = code.max(2);
        }
    }
    code
}

fn explain(code: Option<&str>, list: bool) -> i32 {
    let written = |text: String| match write_stdout(text.as_bytes()) {
        Ok(_) => 0,
        Err(code) => code,
    };
    if list {
        let lines: Vec<String> = Code::ALL
            .iter()
            .map(|c| format!("{:<40} {:<8} {}\n", c.as_str(), c.severity().as_str(), c.summary()))
            .collect();
        return written(lines.concat());
    }
    let name = code.unwrap_or_default();
    match Code::parse(name) {
        Some(c) => written(format!("{} ({})\n\n{}", c.as_str(), c.severity().as_str(), c.explanation())),
        None => {
            let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            match pkwc::schema::closest(name, names.iter().copied()) {
                Some(s) => {
                    eprintln!("pkwc: unknown code `{name}`; did you mean `{s}`? (`pkwc explain --list` lists all)")
                }
                None => eprintln!("pkwc: unknown code `{name}` (`pkwc explain --list` lists all)"),
            }
            2
        }
    }
}
