//! The `peerpress` command: parses arguments and hands each subcommand to `cmd/`.

mod allocator;
mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Builds allocate and free millions of small strings and values across threads;
/// mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: allocator::Mimalloc = allocator::Mimalloc;

/// Build a peer-support organisation's website from a folder of Markdown and YAML.
#[derive(Parser)]
#[command(name = "peerpress", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site folder with a small working example to edit, and the files that
    /// publish it (`--host`); or add those files to an existing site.
    Init(cmd::init::Args),
    /// Build the site into its `public/` folder (or `--output-dir`).
    Build(cmd::build::Args),
    /// Check the whole site (content, links, templates) without writing anything.
    Check(cmd::check::Args),
    /// Make a site's groups, meetings and venues from a Meeting Guide JSON feed, TSML's
    /// CSV export or a meeting spreadsheet saved as CSV.
    Import(cmd::import::Args),
    /// Preview the site in a browser, rebuilt and reloaded as you edit.
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    allocator::without_huge_pages();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Init(args) => cmd::init::run(args),
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Import(args) => cmd::import::run(args),
    }
}
