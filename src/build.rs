//! One build, start to finish: load → model → render, each file handed to a sink as it
//! is made (the output folder, memory, or nowhere) and, if nothing went wrong, the
//! output folder's changes made final. Shared by `build`, `check` and `serve`, so they
//! report the same problems.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::model::{self, Options};
use crate::render::{self, Outputs};
use crate::write::{self, WriteReport};
use crate::{load, model::Site};

/// What a successful build did.
#[derive(Debug)]
pub struct Summary {
    pub pages: usize,
    pub files: usize,
    pub report: WriteReport,
    pub elapsed: Duration,
    pub output_dir: PathBuf,
    /// Warnings: the build went ahead, but these are worth a look.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in order (for `--timings`).
    pub timings: Vec<(&'static str, Duration)>,
}

/// Why a build did not write anything.
#[derive(Debug)]
pub enum Failure {
    /// Mistakes in the site's files; the output folder was not touched.
    Content(Vec<Diagnostic>),
    /// The output folder is somewhere PeerPress must not write.
    Refused(String),
    /// Writing failed part-way (disk full, permissions).
    Write(write::WriteError),
    /// The build was stopped (Ctrl-C); the output folder is as it was.
    Stopped,
}

/// Loads, checks and renders the site in memory. Returns the outputs only if there was
/// no error; warnings come back either way.
pub fn render_site(site_dir: &Path, options: &Options) -> Rendered {
    collect(site_dir, options, None)
}

/// [`render_site`] for repeated builds (`serve`): Markdown whose text did not change
/// since the last build comes from `cache`.
pub fn render_site_cached(
    site_dir: &Path,
    options: &Options,
    cache: &crate::markdown::Cache,
) -> Rendered {
    collect(site_dir, options, Some(cache))
}

fn collect(site_dir: &Path, options: &Options, cache: Option<&crate::markdown::Cache>) -> Rendered {
    let sink = render::Collect::default();
    let attempt = render_site_into(site_dir, options, cache, &sink);
    let outputs = attempt
        .counts
        .filter(|_| attempt.site.is_some())
        .map(|counts| sink.into_outputs(counts.pages));
    (attempt.site.zip(outputs), attempt.diagnostics)
}

/// How long each stage took, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// What a build in memory gives: the site and its outputs if there was no error, and
/// every diagnostic either way.
pub type Rendered = (Option<(Site, Outputs)>, Vec<Diagnostic>);

/// One go at loading, modelling and rendering a site into a sink.
pub struct Attempt {
    /// The site, if it rendered without error.
    pub site: Option<Site>,
    /// What was rendered, if the site was.
    pub counts: Option<render::Counts>,
    /// Every problem found, errors and warnings, in order.
    pub diagnostics: Vec<Diagnostic>,
    /// How long loading, modelling and rendering took.
    pub timings: Timings,
    /// Why the sink stopped taking files, if it did.
    pub write_error: Option<write::WriteError>,
}

/// Loads, checks and renders the site into `sink`, page by page. Only if the attempt
/// has a site (no error) is what reached the sink to be used.
pub fn render_site_into(
    site_dir: &Path,
    options: &Options,
    cache: Option<&crate::markdown::Cache>,
    sink: &dyn render::Sink,
) -> Attempt {
    let mut attempt = Attempt {
        site: None,
        counts: None,
        diagnostics: Vec::new(),
        timings: Vec::new(),
        write_error: None,
    };
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Timings| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let mut diagnostics = Diagnostics::default();

    let sources = load::load(site_dir, &mut diagnostics);
    lap("load", &mut attempt.timings);
    let site = model::build(sources, options, &mut diagnostics);
    if site.is_some() {
        lap("model", &mut attempt.timings);
    }
    if let Some(site) = site.filter(|_| !diagnostics.has_errors()) {
        match render::render_into(&site, &mut diagnostics, cache, sink) {
            Ok(counts) => attempt.counts = Some(counts),
            Err(e) => attempt.write_error = Some(e),
        }
        lap("render", &mut attempt.timings);
        if !diagnostics.has_errors() && attempt.write_error.is_none() {
            attempt.site = Some(site);
        }
    }
    attempt.diagnostics = diagnostics.into_sorted();
    attempt
}

/// Builds the site in `site_dir` into `output_dir` (default `site_dir/public`). Pages
/// are written as they are rendered; if anything goes wrong, the output folder is left
/// as it was.
pub fn build(
    site_dir: &Path,
    output_dir: Option<&Path>,
    options: &Options,
) -> Result<Summary, Failure> {
    let started = Instant::now();
    let output_dir = output_dir.map_or_else(|| site_dir.join("public"), Path::to_path_buf);
    check_output_dir(site_dir, &output_dir).map_err(Failure::Refused)?;
    let writer = write::Writer::open(&output_dir).map_err(Failure::Write)?;
    let attempt = render_site_into(site_dir, options, None, &writer);
    let failure = |e: write::WriteError| match e.error.kind() {
        std::io::ErrorKind::Interrupted => Failure::Stopped,
        _ => Failure::Write(e),
    };
    // Stopped while loading, the build may have failed for another reason meanwhile.
    if writer.is_stopped() {
        return Err(Failure::Stopped);
    }
    if let Some(e) = attempt.write_error {
        return Err(failure(e));
    }
    let (Some(_), Some(counts)) = (&attempt.site, attempt.counts) else {
        return Err(Failure::Content(attempt.diagnostics));
    };
    let mut timings = attempt.timings;
    crate::drop_in_background(attempt.site);
    let writing = Instant::now();
    let report = writer.commit().map_err(failure)?;
    timings.push(("write", writing.elapsed()));
    Ok(Summary {
        pages: counts.pages,
        files: counts.files,
        report,
        elapsed: started.elapsed(),
        output_dir,
        warnings: attempt.diagnostics,
        timings,
    })
}

/// The folders a build reads besides the content kinds' ([`crate::kinds::folders`]): the
/// output must not be one of them, inside one, or contain the site (a build would then
/// read its own output, or remove the site).
const OTHER_INPUT_FOLDERS: &[&str] = &["data", "static", "templates", "themes", "i18n"];

/// Refuses an output folder that is the site folder, contains it, or is inside one of
/// its input folders.
pub fn check_output_dir(site_dir: &Path, output_dir: &Path) -> Result<(), String> {
    let site = absolute(site_dir);
    let output = absolute(output_dir);
    if output == site {
        return Err(format!(
            "the output folder `{}` is the site folder itself; choose another, like `{}`",
            display_path(output_dir),
            display_path(&site_dir.join("public"))
        ));
    }
    if site.starts_with(&output) {
        return Err(format!("the output folder `{}` contains the site folder; building there could remove your files, so choose another", display_path(output_dir)));
    }
    let kinds = crate::kinds::folders().map(|folder| folder.name);
    for folder in kinds.chain(OTHER_INPUT_FOLDERS.iter().copied()) {
        if output.starts_with(site.join(folder)) {
            return Err(format!("the output folder `{}` is inside the site's `{folder}/` folder, which PeerPress reads from; choose another", display_path(output_dir)));
        }
    }
    Ok(())
}

/// An absolute path with symbolic links resolved as far as the path exists, so
/// `./public/..` and a link to the site folder are recognised for what they are.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return normalise(&out);
        }
        match (
            existing.file_name().map(|f| f.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return normalise(&joined),
        }
    }
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
