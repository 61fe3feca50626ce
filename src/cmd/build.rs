//! `peerpress build [SITE]`.

use std::path::PathBuf;
use std::process::ExitCode;

use peerpress::build::{self, Failure};
use peerpress::model::Options;

use super::report;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (the one with `site.yaml`).
    #[arg(default_value = ".")]
    site: PathBuf,
    /// Where to write the website (default: `public/` in the site folder).
    #[arg(short, long, value_name = "FOLDER")]
    output_dir: Option<PathBuf>,
    /// Use this address instead of `base_url` from site.yaml, e.g. to publish under a
    /// sub-path (`https://example.org/peer/`) or on another host.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include pages, groups and entries marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: Args) -> ExitCode {
    let now = match super::now() {
        Ok(now) => now,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let options = Options { base_url: args.base_url, drafts: args.drafts, now };
    match build::build(&args.site, args.output_dir.as_deref(), &options) {
        Ok(summary) => {
            report::diagnostics(&summary.warnings);
            let r = summary.report;
            println!(
                "Built {} in {}: {} files in {} ({} written, {} unchanged, {} removed).",
                report::plural(summary.pages, "page"),
                report::duration(summary.elapsed),
                summary.files,
                summary.output_dir.display(),
                r.written,
                r.unchanged,
                r.removed
            );
            ExitCode::SUCCESS
        }
        Err(Failure::Content(diagnostics)) => {
            report::diagnostics(&diagnostics);
            ExitCode::from(1)
        }
        Err(Failure::Refused(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Write(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
