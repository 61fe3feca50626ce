//! One build, start to finish: load → model → render → (if nothing went wrong) write.
//! Shared by `build`, and later `check` and `serve`, so they report the same problems.

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
}

/// Loads, checks and renders the site in memory. Returns the outputs only if there was
/// no error; warnings come back either way.
pub fn render_site(
    site_dir: &Path,
    options: &Options,
) -> (Option<(Site, Outputs)>, Vec<Diagnostic>) {
    let (rendered, diagnostics, _) = render_site_timed(site_dir, options, None);
    (rendered, diagnostics)
}

/// [`render_site`] for repeated builds (`serve`): Markdown whose text did not change
/// since the last build comes from `cache`.
pub fn render_site_cached(
    site_dir: &Path,
    options: &Options,
    cache: &crate::markdown::Cache,
) -> (Option<(Site, Outputs)>, Vec<Diagnostic>) {
    let (rendered, diagnostics, _) = render_site_timed(site_dir, options, Some(cache));
    (rendered, diagnostics)
}

/// How long each stage took, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// What a build in memory gives: the site and its outputs if there was no error, and
/// every diagnostic either way.
pub type Rendered = (Option<(Site, Outputs)>, Vec<Diagnostic>);

/// [`render_site`], also saying how long loading, modelling and rendering took.
pub fn render_site_timed(
    site_dir: &Path,
    options: &Options,
    cache: Option<&crate::markdown::Cache>,
) -> (Option<(Site, Outputs)>, Vec<Diagnostic>, Timings) {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let mut diagnostics = Diagnostics::default();

    let sources = load::load(site_dir, &mut diagnostics);
    lap("load", &mut timings);
    let Some(site) = model::build(sources, options, &mut diagnostics) else {
        return (None, diagnostics.into_sorted(), timings);
    };
    lap("model", &mut timings);
    if diagnostics.has_errors() {
        return (None, diagnostics.into_sorted(), timings);
    }
    let outputs = render::render_cached(&site, &mut diagnostics, cache);
    lap("render", &mut timings);
    if diagnostics.has_errors() {
        return (None, diagnostics.into_sorted(), timings);
    }
    (Some((site, outputs)), diagnostics.into_sorted(), timings)
}

/// Builds the site in `site_dir` into `output_dir` (default `site_dir/public`).
pub fn build(
    site_dir: &Path,
    output_dir: Option<&Path>,
    options: &Options,
) -> Result<Summary, Failure> {
    let started = Instant::now();
    let output_dir = output_dir.map_or_else(|| site_dir.join("public"), Path::to_path_buf);
    check_output_dir(site_dir, &output_dir).map_err(Failure::Refused)?;
    let (rendered, diagnostics, mut timings) = render_site_timed(site_dir, options, None);
    let Some((_, outputs)) = rendered else {
        return Err(Failure::Content(diagnostics));
    };
    let writing = Instant::now();
    let report = write::write(&outputs, &output_dir).map_err(Failure::Write)?;
    timings.push(("write", writing.elapsed()));
    Ok(Summary {
        pages: outputs.pages,
        files: outputs.files.len(),
        report,
        elapsed: started.elapsed(),
        output_dir,
        warnings: diagnostics,
        timings,
    })
}

/// The folders a build reads from: the output must not be one of them, inside one, or
/// contain the site (a build would then read its own output, or remove the site).
const INPUT_FOLDERS: &[&str] = &[
    "content",
    "groups",
    "values",
    "directory",
    "data",
    "static",
    "templates",
    "themes",
    "i18n",
];

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
    for folder in INPUT_FOLDERS {
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
