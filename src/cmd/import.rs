//! `peerpress import SOURCE [--into SITE] [--format F] [--dry-run] [--update] [--report R]`.

use std::path::PathBuf;
use std::process::ExitCode;

use peerpress::import::{self, Grouping, Outcome, SourceFormat};

use super::report;

/// The source's format, as `--format` names it.
#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    /// A Meeting Guide JSON feed (`meetings.json`, TSML's feed, a sheet's feed).
    MeetingGuide,
    /// The CSV that the 12 Step Meeting List (TSML) plugin exports.
    TsmlCsv,
    /// A spreadsheet with Meeting Guide's columns, saved as CSV.
    SheetCsv,
}

/// How to print what was done.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportArg {
    /// Messages like `peerpress check`'s, then a summary.
    Human,
    /// One JSON object: the summary, the files and every message.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The meeting list: a file, or the `https://` address of a feed.
    source: String,
    /// The site folder to make (new or empty), or to bring up to date with `--update`.
    #[arg(long, default_value = ".", value_name = "SITE")]
    into: PathBuf,
    /// The source's format; worked out from the file when not given.
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<FormatArg>,
    /// Show what would be imported, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Change an existing site: only the fields the import owns are changed; each group's
    /// text and the fields you added stay as they are.
    #[arg(long)]
    update: bool,
    /// How to print the report.
    #[arg(long, value_enum, default_value = "human")]
    report: ReportArg,
}

/// Exit codes: 0 imported (notes are fine), 1 stopped with nothing written, 2 usage.
pub fn run(args: Args) -> ExitCode {
    let options = import::Options {
        source: args.source,
        into: args.into.clone(),
        format: args.format.map(|f| match f {
            FormatArg::MeetingGuide => SourceFormat::MeetingGuide,
            FormatArg::TsmlCsv => SourceFormat::TsmlCsv,
            FormatArg::SheetCsv => SourceFormat::SheetCsv,
        }),
        dry_run: args.dry_run,
        update: args.update,
    };
    let started = std::time::Instant::now();
    match (import::import(&options), args.report) {
        (Ok(outcome), ReportArg::Human) => {
            report::diagnostics_then(&outcome.problems, "", "");
            print_summary(&outcome, &options, started.elapsed());
            ExitCode::SUCCESS
        }
        (Ok(outcome), ReportArg::Json) => {
            println!("{}", json_report(&outcome, &options));
            ExitCode::SUCCESS
        }
        (Err(d), ReportArg::Human) => {
            report::diagnostics_then(&[d], "the import stopped", "nothing was written");
            ExitCode::from(1)
        }
        (Err(d), ReportArg::Json) => {
            let problem: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap_or_default();
            println!(
                "{}",
                serde_json::json!({ "imported": false, "problems": [problem] })
            );
            ExitCode::from(1)
        }
    }
}

fn grouping_words(outcome: &Outcome) -> String {
    match outcome.grouping {
        Some(Grouping::GroupField { without: 0 }) => "grouped by their `group` field".into(),
        Some(Grouping::GroupField { without }) => format!(
            "grouped by their `group` field; {} without one by name and venue",
            report::plural(without, "meeting")
        ),
        Some(Grouping::NameAndVenue) | None => {
            "grouped by name and venue, as the source has no `group` field".into()
        }
    }
}

fn print_summary(outcome: &Outcome, options: &import::Options, took: std::time::Duration) {
    let source = &options.source;
    match &outcome.detected {
        Some(why) => println!("Read `{source}` as {} ({why}).", outcome.format.title()),
        None => println!("Read `{source}` as {}.", outcome.format.title()),
    }
    if let Some(encoding) = outcome.encoding {
        println!("The file is not UTF-8: it was read as {encoding}.");
    }
    let types = if outcome.types_created.is_empty() {
        "no new meeting types".to_string()
    } else {
        format!(
            "{} of the site's own ({})",
            report::plural(outcome.types_created.len(), "new meeting type"),
            outcome
                .types_created
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    println!(
        "{} {} from {} into {} ({}), {} and {}, in {}.",
        if outcome.dry_run {
            "Would import"
        } else {
            "Imported"
        },
        report::plural(outcome.meetings, "weekly meeting"),
        report::plural(outcome.records, "record"),
        report::plural(outcome.groups, "group"),
        grouping_words(outcome),
        report::plural(outcome.venues, "venue"),
        types,
        report::duration(took),
    );
    if outcome.left_out > 0 || !outcome.problems.is_empty() {
        println!(
            "{} left out, and {} about values not taken as they were: see the messages above.",
            if outcome.left_out == 1 {
                "1 record was".to_string()
            } else {
                format!("{} records were", outcome.left_out)
            },
            report::plural(outcome.problems.len(), "note")
        );
    }
    if !outcome.not_imported.is_empty() {
        let list: Vec<String> = outcome
            .not_imported
            .iter()
            .map(|(field, n)| format!("`{field}` ({})", report::plural(*n, "record")))
            .collect();
        println!(
            "Not imported, as a PeerPress site has no place for them: {}.",
            list.join(", ")
        );
    }
    for note in &outcome.notes {
        println!("Note: {note}");
    }
    let into = options.into.display();
    let files: Vec<String> = outcome
        .files
        .iter()
        .map(|f| {
            let path = f.path.to_string_lossy().replace('\\', "/");
            if f.replaced {
                format!("{path} (updated)")
            } else {
                path
            }
        })
        .collect();
    if outcome.dry_run {
        println!(
            "Nothing was written (--dry-run). It would write {} in `{into}`:",
            report::plural(files.len(), "file")
        );
    } else if files.is_empty() {
        println!("The site in `{into}` was already up to date: nothing was changed.");
    } else {
        println!("Wrote {} in `{into}`:", report::plural(files.len(), "file"));
    }
    for f in &files {
        println!("  {f}");
    }
    if !outcome.dry_run && !files.is_empty() {
        println!("Next: run `peerpress check {into}` and read the group files.");
    }
}

fn json_report(outcome: &Outcome, options: &import::Options) -> serde_json::Value {
    let problems: Vec<serde_json::Value> = outcome
        .problems
        .iter()
        .filter_map(|d| serde_json::from_str(&d.to_json()).ok())
        .collect();
    let grouping = match outcome.grouping {
        Some(Grouping::GroupField { .. }) => "group-field",
        _ => "name-and-venue",
    };
    serde_json::json!({
        "imported": true,
        "source": options.source,
        "format": outcome.format.key(),
        "detected": outcome.detected,
        "encoding": outcome.encoding,
        "dry_run": outcome.dry_run,
        "new_site": outcome.new_site,
        "records": outcome.records,
        "meetings": outcome.meetings,
        "groups": outcome.groups,
        "grouping": grouping,
        "meetings_without_group": match outcome.grouping { Some(Grouping::GroupField { without }) => without, _ => 0 },
        "venues": outcome.venues,
        "types_created": outcome.types_created,
        "left_out": outcome.left_out,
        "not_imported": outcome.not_imported,
        "files": outcome.files.iter().map(|f| serde_json::json!({
            "path": f.path.to_string_lossy().replace('\\', "/"),
            "replaced": f.replaced,
        })).collect::<Vec<_>>(),
        "notes": outcome.notes,
        "problems": problems,
    })
}
