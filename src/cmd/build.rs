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
    /// Keep running, and rebuild whenever a file of the site changes.
    #[arg(short, long)]
    watch: bool,
    /// With `--watch`: poll for changes instead of relying on the operating system's
    /// notifications (for network drives and containers).
    #[arg(long, requires = "watch")]
    poll: bool,
    /// Also print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
}

pub fn run(args: Args) -> ExitCode {
    let now = match super::now_or_usage_error() {
        Ok(now) => now,
        Err(code) => return code,
    };
    let mut options = Options {
        base_url: args.base_url.clone(),
        origin: None,
        drafts: args.drafts,
        now,
    };
    // Ctrl-C during a build stops it, and the build takes back what it wrote; between
    // builds (`--watch`), it ends PeerPress at once.
    let _ = ctrlc::set_handler(|| {
        if !peerpress::write::stop_all() {
            std::process::exit(130);
        }
    });
    if !args.watch {
        return build_once(&args, &options).0;
    }
    // Watch before the first build, so an edit made while it runs is not missed.
    let output_dir = args
        .output_dir
        .clone()
        .unwrap_or_else(|| args.site.join("public"));
    let watcher =
        match peerpress::serve::watch::Watcher::new(&args.site, vec![output_dir], args.poll) {
            Ok(w) => w,
            Err(e) => {
                eprintln!(
                    "error: cannot watch `{}` for changes: {e}; try `--poll`",
                    args.site.display()
                );
                return ExitCode::from(1);
            }
        };
    let (code, stopped) = build_once(&args, &options);
    if stopped {
        return code;
    }
    println!("Watching for changes (press Ctrl-C to stop).");
    while let Some(changed) = watcher.next_change(std::time::Duration::from_millis(50)) {
        let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        println!("Changed: {}", names.join(", "));
        options.now = super::now().unwrap_or_else(|_| jiff::Timestamp::now());
        let (code, stopped) = build_once(&args, &options);
        if stopped {
            return code;
        }
    }
    code
}

/// One build, reported; and whether it was stopped by Ctrl-C.
fn build_once(args: &Args, options: &Options) -> (ExitCode, bool) {
    let code = match build::build(&args.site, args.output_dir.as_deref(), options) {
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
            if args.timings {
                let stages: Vec<String> = summary
                    .timings
                    .iter()
                    .map(|(name, d)| format!("{name} {}", report::duration(*d)))
                    .collect();
                println!(
                    "Stages: {}; {} of {} kept without rendering (unchanged since the last build).",
                    stages.join(", "),
                    r.kept,
                    report::plural(summary.pages, "page"),
                );
            }
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
        Err(Failure::Stopped) => {
            eprintln!("Stopped: the output folder is as it was before this build.");
            return (ExitCode::from(130), true);
        }
    };
    (code, false)
}
