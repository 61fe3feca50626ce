//! bench-floor: the bare read-render-write floor that `tests/bench/run` compares
//! PeerPress with.
//!
//! ```text
//! bench-floor CONTENT_DIR OUT_DIR
//! ```
//!
//! Reads every `.md` file under CONTENT_DIR, cuts off its front matter and renders the
//! rest as PeerPress does (`peerpress::load::front_matter::split`, pulldown-cmark with
//! `peerpress::markdown::options`), and writes it, in a bare HTML page, to
//! `OUT_DIR/<path without .md>/index.html` (`_index.md` and `index.md` to their
//! folder's `index.html`). The files are shared among all cores with rayon, as
//! PeerPress shares its pages.
//!
//! It does nothing else: no templates, no site model, no links checked, no feeds.
//! That is the least any generator has to do with the same Markdown, so the time it
//! takes is the floor a generator's own time is measured against.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pulldown_cmark::{html, Parser};
use rayon::prelude::*;
use walkdir::WalkDir;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [content, out] = args.as_slice() else {
        eprintln!("usage: bench-floor CONTENT_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(content), Path::new(out)) {
        Ok(pages) => {
            println!("{pages} pages");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(content: &Path, out: &Path) -> Result<usize, String> {
    let mut sources = Vec::new();
    for entry in WalkDir::new(content) {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", content.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            sources.push(entry.into_path());
        }
    }
    sources
        .par_iter()
        .map(|source| page(content, out, source))
        .collect::<Result<Vec<()>, String>>()?;
    Ok(sources.len())
}

fn page(content: &Path, out: &Path, source: &Path) -> Result<(), String> {
    let text =
        fs::read_to_string(source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let mut body = String::with_capacity(text.len() * 3 / 2 + 256);
    body.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n<title>Page</title>\n<main>\n");
    // The front matter is cut off as PeerPress cuts it.
    let markdown = peerpress::load::front_matter::split(source, &text)
        .map_err(|d| format!("{}: {}", source.display(), d.message))?
        .body;
    html::push_html(
        &mut body,
        Parser::new_ext(markdown, peerpress::markdown::options()),
    );
    body.push_str("</main>\n</html>\n");
    let target = target(out, content, source);
    if let Some(folder) = target.parent() {
        fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    fs::write(&target, body).map_err(|e| format!("cannot write {}: {e}", target.display()))
}

/// `a/b.md` → `OUT/a/b/index.html`; `a/index.md` and `a/_index.md` → `OUT/a/index.html`.
fn target(out: &Path, content: &Path, source: &Path) -> PathBuf {
    let relative = source.strip_prefix(content).unwrap_or(source);
    let folder = match relative.file_stem().and_then(|s| s.to_str()) {
        Some("index" | "_index") | None => {
            relative.parent().map(Path::to_path_buf).unwrap_or_default()
        }
        Some(_) => relative.with_extension(""),
    };
    out.join(folder).join("index.html")
}
