//! The `pkwc` binary: parse the command line, run it, exit with its code.

mod cli;
mod lsp;

fn main() {
    std::process::exit(cli::run());
}
