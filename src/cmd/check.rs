//! `peerpress check [SITE]`: find every problem without writing anything.

use std::path::PathBuf;
use std::process::ExitCode;

use peerpress::build::render_site_into;
use peerpress::model::Options;
use peerpress::render::Discard;

use super::report;

/// How to print problems.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Like rustc: the file, the line with a caret, and what to do.
    Human,
    /// One JSON object per line, for editors and CI.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (the one with `site.yaml`).
    #[arg(default_value = ".")]
    site: PathBuf,
    /// Check pages, groups and entries marked `draft: true` too.
    #[arg(long)]
    drafts: bool,
    /// How to print problems.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Count warnings as errors (exit code 1 if there is any), for publishing only a
    /// site with none.
    #[arg(long)]
    strict: bool,
}

/// When the next page dated in the future is due, which a build on or after that day
/// publishes.
fn next_scheduled(site: &peerpress::model::Site) -> Option<String> {
    let next = site.scheduled.first()?;
    let file = peerpress::diagnostics::display_path(&next.file);
    let others = match site.scheduled.len() - 1 {
        0 => String::new(),
        n => format!(" ({} scheduled after it)", report::plural(n, "more page")),
    };
    Some(format!(
        "Next scheduled page: {file}, dated {} ({}); a build on or after that day publishes it{others}.",
        next.date,
        site.translations.date_long(next.date),
    ))
}

/// Exit codes: 0 no errors (warnings are fine, unless `--strict`), 1 errors, 2 usage.
pub fn run(args: Args) -> ExitCode {
    let now = match super::now_or_usage_error() {
        Ok(now) => now,
        Err(code) => return code,
    };
    let options = Options {
        base_url: None,
        origin: None,
        drafts: args.drafts,
        now,
    };
    // Everything is rendered and checked, and nothing is kept.
    let attempt = render_site_into(&args.site, &options, None, &Discard);
    let diagnostics = attempt.diagnostics;
    let rendered = attempt.counts.filter(|_| attempt.site.is_some());
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match args.format {
        Format::Json => {
            for d in &diagnostics {
                println!("{}", d.to_json());
            }
        }
        Format::Human => {
            report::diagnostics_then(&diagnostics, "the site has problems", "nothing was written");
            if let Some(counts) = &rendered {
                let verdict = if warnings == 0 {
                    "no problems found".to_string()
                } else if args.strict {
                    format!(
                        "{}, which `--strict` counts as errors",
                        report::plural(warnings, "warning")
                    )
                } else {
                    format!("no errors, {}", report::plural(warnings, "warning"))
                };
                println!(
                    "Checked {} ({} files): {verdict}.",
                    report::plural(counts.pages, "page"),
                    counts.files
                );
            }
            if let Some(site) = &attempt.site {
                if let Some(line) = next_scheduled(site) {
                    println!("{line}");
                }
            }
        }
    }
    if errors > 0 || rendered.is_none() || args.strict && warnings > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
