//! The command line: the only place that reads files, writes output or picks colours.
//! Exit codes: 0 success (warnings allowed), 1 errors in the input, 2 usage or I/O errors.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use pkwc::diagnostics::{render_human, render_json, Code, RenderOptions};
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
    /// Check files and report diagnostics, without writing JSON.
    #[command(after_help = EXAMPLES)]
    Check {
        /// The pkw files, or `-` for standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print diagnostics: `human` on standard error, or `json` (one object per line) on standard output.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        #[command(flatten)]
        common: Common,
    },
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
    /// Target Marathon version (0.8 to 1.10): picks the JSON field dialect and the features allowed.
    #[arg(long, value_name = "VERSION", default_value = "1.10", value_parser = Version::parse)]
    marathon: Version,
    /// `--deny warnings` turns warnings into errors.
    #[arg(long, value_enum, value_name = "WHAT")]
    deny: Option<Deny>,
    /// Set a top-level `param`: `--set nodes=6` (the value is written as in a pkw file).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
}

/// Imports are read from the file system, relative to the importing file.
struct FsLoader;

impl pkwc::Loader for FsLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
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
        Command::Check { files, format, common } => check(&files, format, &common),
        Command::Explain { code, list } => explain(code.as_deref(), list),
        Command::Prelude => {
            print!("{}", pkwc::PRELUDE);
            0
        }
    }
}

fn options(common: &Common) -> Options {
    Options { marathon: common.marathon, deny_warnings: common.deny.is_some() }
}

/// Reads a file or standard input; an I/O error is reported and becomes exit code 2.
fn read(path: &Path) -> Result<(String, Vec<u8>), i32> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        return match std::io::stdin().read_to_end(&mut bytes) {
            Ok(_) => Ok(("<stdin>".into(), bytes)),
            Err(e) => {
                eprintln!("pkwc: cannot read standard input: {e}");
                Err(2)
            }
        };
    }
    match std::fs::read(path) {
        Ok(bytes) => Ok((path.display().to_string(), bytes)),
        Err(e) => {
            eprintln!("pkwc: cannot read `{}`: {e}", path.display());
            Err(2)
        }
    }
}

fn compile(path: &Path, common: &Common) -> Result<Compilation, i32> {
    let (name, bytes) = read(path)?;
    let inputs = pkwc::Inputs { loader: &FsLoader, sets: &common.sets };
    Ok(pkwc::compile(&name, bytes, options(common), inputs))
}

fn render_options() -> RenderOptions {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    RenderOptions { color: !no_color && std::io::stderr().is_terminal(), width: 100 }
}

fn human(c: &Compilation) -> String {
    if c.diagnostics.is_empty() {
        return String::new();
    }
    render_human(&c.diagnostics, &c.sources, render_options())
}

fn report_human(c: &Compilation) {
    let _ = std::io::stderr().write_all(human(c).as_bytes());
}

fn build(path: &Path, output: Option<&Path>, common: &Common) -> i32 {
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
    let inputs = pkwc::Inputs { loader: &FsLoader, sets: &common.sets };
    // Diagnostics are rendered on both threads as soon as the checks and the JSON are done.
    let render = |d: &[pkwc::diagnostics::Diagnostic], s: &pkwc::source::Sources| render_human(d, s, render_options());
    let written = pkwc::compile_and_write(&name, bytes, options(common), inputs, Some(sink), Some(&render));
    let result = match written.out {
        None => None,
        Some(Err(e)) => Some(Err(e)),
        Some(Ok(sink)) => Some(sink.publish(output)),
    };
    let _ = std::io::stderr().write_all(written.rendered.as_bytes());
    // The process ends right after this: freeing the tree and the model piece by piece is wasted work.
    std::mem::forget(written.compilation);
    match (result, output) {
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

/// A temporary file beside OUT: renamed over OUT by `commit`, removed if dropped uncommitted, so that
/// readers see the old file or the whole new one, never a half-written one.
struct TempFile {
    writer: std::io::BufWriter<std::fs::File>,
    tmp: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl TempFile {
    fn create(out: &Path) -> std::io::Result<TempFile> {
        let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        let tmp = dir.join(format!(".{name}.pkwc-{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp)?;
        Ok(TempFile {
            writer: std::io::BufWriter::with_capacity(1 << 16, file),
            tmp,
            out: out.to_path_buf(),
            committed: false,
        })
    }

    fn commit(mut self) -> std::io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_all()?;
        std::fs::rename(&self.tmp, &self.out)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

fn check(files: &[PathBuf], format: Format, common: &Common) -> i32 {
    let mut code = 0;
    for path in files {
        let c = match compile(path, common) {
            Ok(c) => c,
            Err(e) => {
                code = code.max(e);
                continue;
            }
        };
        match format {
            Format::Human => report_human(&c),
            Format::Json => {
                let name = if path.as_os_str() == "-" { "<stdin>".to_string() } else { path.display().to_string() };
                let text = render_json(&c.diagnostics, &c.sources, &name);
                let _ = std::io::stdout().write_all(text.as_bytes());
            }
        }
        if c.has_errors() {
            code = code.max(1);
        }
    }
    code
}

fn explain(code: Option<&str>, list: bool) -> i32 {
    if list {
        for c in Code::ALL {
            println!("{:<40} {:<8} {}", c.as_str(), c.severity().as_str(), c.summary());
        }
        return 0;
    }
    let name = code.unwrap_or_default();
    match Code::parse(name) {
        Some(c) => {
            println!("{} ({})\n", c.as_str(), c.severity().as_str());
            print!("{}", c.explanation());
            0
        }
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
