//! Reading a site folder from disk.
//!
//! It reads `site.yaml` and `venues.yaml`, walks every content kind's folder (see
//! [`crate::kinds::KINDS`]) and `data/`, reading each file as text, or only listing it
//! for a kind that reads its files itself (content pages), and layers the site's own
//! `templates/`, `static/` and `i18n/` over the theme's. The site folder is a boundary:
//! a link leading out of it is refused unread ([`Boundary`]). It does not parse YAML
//! into the model or judge content; that is `model`'s job.

pub mod aliases;
pub mod front_matter;
pub mod nesting;
pub mod positions;
mod script;
pub mod skipped;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{display_path, Diagnostic, Diagnostics, Position};
use crate::kinds::{Files, Folder};

/// The default theme, compiled into the binary so a lone executable can build a site.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A text file of the site, with its path relative to the site folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Everything a build needs from the disk.
#[derive(Debug, Default)]
pub struct Sources {
    pub root: PathBuf,
    pub site_config: Option<SourceFile>,
    pub venues: Option<SourceFile>,
    /// Each content kind's files, by the name of its folder ([`crate::kinds::Folder`]):
    /// read, or only listed for a kind that reads its files itself.
    pub kinds: BTreeMap<&'static str, Files>,
    pub data: Vec<SourceFile>,
    /// Template name (e.g. `groups/single.html`) → source, the site's over the theme's.
    pub templates: BTreeMap<String, SourceFile>,
    /// Language code → translation tables, the theme's first and the site's after it,
    /// so a site can change a few words without copying the whole table.
    pub translations: BTreeMap<String, Vec<SourceFile>>,
    /// Output path (e.g. `assets/style.css`) → bytes, the site's over the theme's.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// Reads the site folder at `root`. Problems with individual files become diagnostics;
/// the rest of the site is still read so that every problem is reported in one run.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Sources {
    let mut sources = Sources {
        root: root.to_path_buf(),
        ..Sources::default()
    };
    if !root.join("site.yaml").is_file() {
        diagnostics.push(
            Diagnostic::error(
                root.join("site.yaml"),
                format!(
                    "`{}` is not a PeerPress site: it has no `site.yaml`",
                    display_path(root)
                ),
            )
            .with_help(format!(
                "check the folder name, or create a new site with `peerpress init {}`",
                display_path(root)
            )),
        );
        return sources;
    }
    let (boundary, settings) = {
        let mut reader = Reader {
            root,
            boundary: &Boundary::site_only(root),
            diagnostics,
        };
        sources.site_config = reader.text_file(Path::new("site.yaml"));
        let settings = LoadSettings::read(sources.site_config.as_ref());
        let boundary = Boundary::new(root, &settings.allow_links_to, diagnostics);
        (boundary, settings)
    };
    let boundary = &boundary;
    // The folders are walked side by side, so that one's files are read while another
    // is walked: a walk goes one file after another.
    let data = Folder {
        name: "data",
        extensions: &["yaml", "yml", "json"],
        read_by_kind: false,
    };
    let folders: Vec<Folder> = crate::kinds::folders().chain([data]).collect();
    let found: Vec<(Folder, Files, Diagnostics)> = folders
        .into_par_iter()
        .map(|folder| {
            let (files, problems) = apart(root, boundary, |reader| {
                if folder.read_by_kind {
                    Files {
                        unread: reader.paths(folder.name, folder.extensions),
                        read: Vec::new(),
                    }
                } else {
                    Files {
                        read: reader.text_files(folder.name, folder.extensions),
                        unread: Vec::new(),
                    }
                }
            });
            (folder, files, problems)
        })
        .collect();
    for (folder, files, problems) in found {
        diagnostics.extend(problems.into_sorted());
        if folder.name == data.name {
            sources.data = files.read;
        } else {
            sources.kinds.insert(folder.name, files);
        }
    }

    let mut reader = Reader {
        root,
        boundary,
        diagnostics,
    };
    sources.venues = reader.optional_text_file(Path::new("venues.yaml"));

    reader.theme(&settings.theme, &mut sources);
    for file in reader.text_files("templates", &["html", "xml", "txt", "jinja", "j2"]) {
        let name = relative_name(&file.path, "templates");
        sources.templates.insert(name, file);
    }
    for file in reader.text_files("i18n", &["yaml", "yml"]) {
        let name = relative_name(&file.path, "i18n");
        sources
            .translations
            .entry(language_of(&name))
            .or_default()
            .push(file);
    }
    for (name, bytes) in reader.binary_files("static") {
        sources.static_files.insert(name, bytes);
    }
    sources
}

/// What reading the site needs from `site.yaml`, read leniently: a broken site.yaml is
/// reported by the model, and meanwhile the defaults are as good a guess as any.
#[derive(serde::Deserialize)]
struct LoadSettings {
    #[serde(default = "default_theme")]
    theme: String,
    /// Folders outside the site that links may lead into ([`Boundary`]).
    #[serde(default)]
    allow_links_to: Vec<String>,
}

fn default_theme() -> String {
    "default".to_string()
}

impl LoadSettings {
    fn read(site_config: Option<&SourceFile>) -> LoadSettings {
        site_config
            .filter(|f| nesting::too_deep(&f.text).is_none())
            .filter(|f| aliases::too_many_repeats(&f.text).is_none())
            .and_then(|f| serde_yaml::from_str::<LoadSettings>(&f.text).ok())
            .unwrap_or_else(|| LoadSettings {
                theme: default_theme(),
                allow_links_to: Vec::new(),
            })
    }
}

fn relative_name(path: &Path, folder: &str) -> String {
    display_path(path.strip_prefix(folder).unwrap_or(path))
}

fn language_of(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
        .to_string()
}

/// Files an editor or the operating system leaves beside the real ones.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
}

/// Files never worth publishing even from `static/` (where `.well-known/` and
/// `.htaccess` are): version control, operating-system litter, editor temporary files.
fn is_junk_name(name: &str) -> bool {
    matches!(
        name,
        ".git" | ".svn" | ".hg" | ".DS_Store" | "Thumbs.db" | "desktop.ini"
    ) || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

struct Reader<'a> {
    root: &'a Path,
    boundary: &'a Boundary,
    diagnostics: &'a mut Diagnostics,
}

/// Runs `read` with a reader of its own, for reading on several cores at once: what it
/// read, and the problems it found.
fn apart<T>(
    root: &Path,
    boundary: &Boundary,
    read: impl FnOnce(&mut Reader) -> T,
) -> (T, Diagnostics) {
    let mut problems = Diagnostics::default();
    let value = read(&mut Reader {
        root,
        boundary,
        diagnostics: &mut problems,
    });
    (value, problems)
}

impl Reader<'_> {
    fn optional_text_file(&mut self, relative: &Path) -> Option<SourceFile> {
        if self.root.join(relative).symlink_metadata().is_ok() {
            self.text_file(relative)
        } else {
            None
        }
    }

    /// A file named by the site's layout (`site.yaml`, `venues.yaml`), read only if it
    /// is a regular file inside the boundary.
    fn text_file(&mut self, relative: &Path) -> Option<SourceFile> {
        let path = self.root.join(relative);
        if path.symlink_metadata().is_ok_and(|m| m.is_symlink()) && !self.boundary.allows(&path) {
            self.diagnostics.push(Boundary::refused(relative));
            return None;
        }
        if path.metadata().is_ok_and(|m| !m.is_file()) {
            self.diagnostics.push(
                Diagnostic::error(
                    relative,
                    "this is not a regular file, so PeerPress did not read it",
                )
                .with_help("replace it with a text file of the same name"),
            );
            return None;
        }
        let (file, problem) = read_text(self.root, relative);
        self.diagnostics.extend(problem);
        file
    }
}

/// The largest text file (Markdown, YAML, template) PeerPress reads: a 32 MiB page is
/// already far beyond what a visitor's phone can open, and a file of gigabytes (a video
/// saved as `.md` by mistake) would otherwise be read whole into memory.
pub const MAX_TEXT_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads a text file of the site, with the problem it has, if any.
pub(crate) fn read_text(root: &Path, relative: &Path) -> (Option<SourceFile>, Option<Diagnostic>) {
    let size = std::fs::metadata(root.join(relative)).map_or(0, |m| m.len());
    if size > MAX_TEXT_FILE_BYTES {
        let problem = Diagnostic::error(
            relative,
            format!(
                "this file is too big to be a page or a settings file: {} MB, where PeerPress reads up to {} MB",
                size.div_ceil(1_000_000),
                MAX_TEXT_FILE_BYTES / 1_000_000
            ),
        )
        .with_help("split the text into several pages, or, if this is a picture, video or document, put it in `static/` and link to it");
        return (None, Some(problem));
    }
    match std::fs::read(root.join(relative)) {
        Ok(bytes) => decode(relative, bytes),
        Err(e) => (
            None,
            Some(Diagnostic::error(
                relative,
                format!("cannot read this file: {e}"),
            )),
        ),
    }
}

/// Text must be UTF-8; a byte-order mark is dropped (some Windows editors add one).
fn decode(relative: &Path, bytes: Vec<u8>) -> (Option<SourceFile>, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            let mut problem = None;
            if text.starts_with('\u{feff}') {
                text.drain(..3);
                problem = Some(
                    Diagnostic::warning(relative, "this file starts with a byte-order mark, which PeerPress ignored")
                        .with_help("some tools show it as stray characters; save the file as \"UTF-8\" rather than \"UTF-8 with BOM\""),
                );
            }
            let file = SourceFile {
                path: relative.to_path_buf(),
                text,
            };
            (Some(file), problem)
        }
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column =
                valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
            let mut d = Diagnostic::error(relative, "this file is not UTF-8 text").with_help(
                "open it in your editor and save it again with the encoding set to UTF-8",
            );
            d.position = Some(Position {
                line,
                column,
                len: 1,
            });
            (None, Some(d))
        }
    }
}

impl Reader<'_> {
    /// Every file under `folder` (recursively) whose extension is one of `extensions`,
    /// sorted by path so builds do not depend on directory order.
    fn text_files(&mut self, folder: &str, extensions: &[&str]) -> Vec<SourceFile> {
        let paths = self.paths(folder, extensions);
        // Read in parallel: a big site has tens of thousands of files.
        let root = self.root;
        let read: Vec<_> = paths
            .par_iter()
            .map(|relative| read_text(root, relative))
            .collect();
        let mut files = Vec::with_capacity(read.len());
        for (file, problem) in read {
            self.diagnostics.extend(problem);
            files.extend(file);
        }
        files
    }

    /// The paths of the files under `folder` (recursively) whose extension is one of
    /// `extensions`, sorted.
    fn paths(&mut self, folder: &str, extensions: &[&str]) -> Vec<PathBuf> {
        let (taken, others): (Vec<PathBuf>, Vec<PathBuf>) =
            self.walk(folder).into_iter().partition(|path| {
                path.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
            });
        self.diagnostics.extend(
            others
                .iter()
                .filter_map(|path| skipped::warning(path, folder, extensions)),
        );
        taken
    }

    fn binary_files(&mut self, folder: &str) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        for relative in self.walk_with(folder, is_junk_name) {
            match std::fs::read(self.root.join(&relative)) {
                Ok(bytes) => files.push((relative_name(&relative, folder), bytes)),
                Err(e) => self.diagnostics.push(Diagnostic::error(
                    &relative,
                    format!("cannot read this file: {e}"),
                )),
            }
        }
        files
    }

    /// Paths (relative to the site) of the regular files under `folder`.
    fn walk(&mut self, folder: &str) -> Vec<PathBuf> {
        self.walk_with(folder, is_ignored_name)
    }

    /// Like `walk`, with the rule for names to skip.
    fn walk_with(&mut self, folder: &str, skip: fn(&str) -> bool) -> Vec<PathBuf> {
        let base = self.root.join(folder);
        if !base.is_dir() {
            return Vec::new();
        }
        // The folder itself, or one it is in (`themes/calm` → elsewhere), may be a link.
        if !self.boundary.allows(&base) {
            let link = first_link(self.root, Path::new(folder));
            self.diagnostics.push(Boundary::refused(&link));
            return Vec::new();
        }
        let mut paths = Vec::new();
        // A link to a folder that contains the site (or this folder) would make the walk
        // read the site again inside itself; such links are skipped and reported.
        let site_root = self.boundary.site();
        let looping = std::cell::RefCell::new(Vec::new());
        let outside = std::cell::RefCell::new(Vec::new());
        let boundary = self.boundary;
        let walker = WalkDir::new(&base)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && skip(&e.file_name().to_string_lossy()) {
                    return false;
                }
                if e.path_is_symlink() && !boundary.allows(e.path()) {
                    outside.borrow_mut().push(e.path().to_path_buf());
                    return false;
                }
                if e.path_is_symlink() && e.file_type().is_dir() {
                    if let Ok(target) = e.path().canonicalize() {
                        if site_root.starts_with(&target) {
                            looping.borrow_mut().push(e.path().to_path_buf());
                            return false;
                        }
                    }
                }
                true
            });
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    if let Ok(relative) = entry.path().strip_prefix(self.root) {
                        paths.push(relative.to_path_buf());
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .and_then(|p| p.strip_prefix(self.root).ok())
                        .unwrap_or(Path::new(folder))
                        .to_path_buf();
                    let message = if e.loop_ancestor().is_some() {
                        "this link points back to a folder that contains it, so it was skipped"
                            .to_string()
                    } else {
                        format!("cannot read this: {e}")
                    };
                    self.diagnostics
                        .push(Diagnostic::error(path, message).with_help(
                            "remove the link, or point it somewhere outside the site folder",
                        ));
                }
            }
        }
        for link in outside.into_inner() {
            let path = link.strip_prefix(self.root).unwrap_or(&link);
            self.diagnostics.push(Boundary::refused(path));
        }
        for link in looping.into_inner() {
            let path = link.strip_prefix(self.root).unwrap_or(&link).to_path_buf();
            self.diagnostics.push(
                Diagnostic::error(
                    path,
                    "this link points back to a folder that contains it, so it was skipped",
                )
                .with_help("remove the link, or point it somewhere outside the site folder"),
            );
        }
        paths
    }

    /// Loads the theme's templates, translations and static files: the embedded default
    /// theme, or `themes/<name>/` in the site folder.
    fn theme(&mut self, name: &str, sources: &mut Sources) {
        // A name, not a path: `theme: ../elsewhere` would read a folder outside the site.
        let plain =
            !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', ':']);
        if !plain {
            self.diagnostics.push(
                Diagnostic::error("site.yaml", format!("`theme: {name}` is not the name of a theme"))
                    .with_help("write the name of a folder in `themes/`, like `theme: calm`, or remove `theme:` to use the default theme"),
            );
            self.theme("default", sources);
            return;
        }
        if name == "default" && !self.root.join("themes/default").is_dir() {
            for file in embedded_files(&DEFAULT_THEME) {
                let path = file.path();
                let relative = display_path(path);
                if let Some(name) = relative.strip_prefix("templates/") {
                    let text = String::from_utf8_lossy(file.contents()).into_owned();
                    sources.templates.insert(
                        name.to_string(),
                        SourceFile {
                            path: Path::new("themes/default").join(path),
                            text,
                        },
                    );
                } else if let Some(name) = relative.strip_prefix("i18n/") {
                    let text = String::from_utf8_lossy(file.contents()).into_owned();
                    sources
                        .translations
                        .entry(language_of(name))
                        .or_default()
                        .push(SourceFile {
                            path: Path::new("themes/default").join(path),
                            text,
                        });
                } else if let Some(name) = relative.strip_prefix("static/") {
                    let bytes = match std::str::from_utf8(file.contents()) {
                        Ok(text) if name.ends_with(".js") => script::compact(text).into_bytes(),
                        _ => file.contents().to_vec(),
                    };
                    sources.static_files.insert(name.to_string(), bytes);
                }
            }
            return;
        }
        let folder = format!("themes/{name}");
        if !self.root.join(&folder).is_dir() {
            self.diagnostics.push(
                Diagnostic::error("site.yaml", format!("there is no theme called `{name}`"))
                    .with_help(format!(
                        "put the theme in `{folder}/`, or remove `theme:` to use the default theme"
                    )),
            );
            // Carry on with the default theme, so the site's other problems are found too.
            self.theme("default", sources);
            return;
        }
        for file in self.text_files(
            &format!("{folder}/templates"),
            &["html", "xml", "txt", "jinja", "j2"],
        ) {
            sources.templates.insert(
                relative_name(&file.path, &format!("{folder}/templates")),
                file,
            );
        }
        for file in self.text_files(&format!("{folder}/i18n"), &["yaml", "yml"]) {
            let name = relative_name(&file.path, &format!("{folder}/i18n"));
            sources
                .translations
                .entry(language_of(&name))
                .or_default()
                .push(file);
        }
        for (name, bytes) in self.binary_files(&format!("{folder}/static")) {
            sources.static_files.insert(name, bytes);
        }
    }
}

/// Where the site's links may lead: into the site folder, and into the folders that
/// `site.yaml` names under `allow_links_to:`. Content is untrusted (a pull request can
/// add a link, and Git keeps links), so a link to `/etc/passwd`, to the home folder or
/// to `/proc/self/environ` would otherwise publish it, or quote it in an error message.
/// A link leading elsewhere is refused without reading what it points at.
pub struct Boundary {
    /// Folders, as the system resolves them (links and `..` followed): the site folder
    /// first, then the allowed ones.
    folders: Vec<PathBuf>,
}

impl Boundary {
    /// The site folder alone: for reading `site.yaml`, which says what else is allowed.
    fn site_only(root: &Path) -> Boundary {
        Boundary {
            folders: vec![resolved(root)],
        }
    }

    /// The site folder and the folders named by `allow_links_to:` in `site.yaml`.
    fn new(root: &Path, allowed: &[String], diagnostics: &mut Diagnostics) -> Boundary {
        let mut boundary = Boundary::site_only(root);
        for folder in allowed {
            match root.join(folder).canonicalize() {
                // `/` or the home folder would let a link reach anything.
                Ok(path) if boundary.site().starts_with(&path) => diagnostics.push(
                    Diagnostic::error(
                        "site.yaml",
                        format!("`allow_links_to` names `{folder}`, which holds the site folder itself"),
                    )
                    .with_help("name only the folder the links lead into, like `../common-photos`"),
                ),
                Ok(path) if path.is_dir() => boundary.folders.push(path),
                _ => diagnostics.push(
                    Diagnostic::error(
                        "site.yaml",
                        format!("`allow_links_to` names `{folder}`, which is not a folder"),
                    )
                    .with_help("name folders relative to the site folder, like `../common-photos`, or remove the line"),
                ),
            }
        }
        boundary
    }

    /// The site folder, as the system resolves it.
    fn site(&self) -> &Path {
        &self.folders[0]
    }

    /// Whether the link or file at `path` leads inside the boundary. A link to nowhere
    /// is let through, for the walk to report as a broken link.
    pub fn allows(&self, path: &Path) -> bool {
        match path.canonicalize() {
            Ok(target) => self.folders.iter().any(|folder| target.starts_with(folder)),
            Err(_) => path.metadata().is_err(),
        }
    }

    /// The error for a link leading outside: it names the link, never its target or
    /// anything in it.
    fn refused(link: &Path) -> Diagnostic {
        Diagnostic::error(
            link,
            "this is a link to a place outside the site folder, so PeerPress did not read it",
        )
        .with_help("copy the file or folder into the site folder instead; if the link is meant to be there, name the folder it leads into under `allow_links_to:` in site.yaml")
    }
}

/// The first folder or file on the way to `relative` (within `root`) that is a link,
/// to name in a message; `relative` itself if none is.
fn first_link(root: &Path, relative: &Path) -> PathBuf {
    let mut path = PathBuf::new();
    for part in relative.components() {
        path.push(part);
        if root
            .join(&path)
            .symlink_metadata()
            .is_ok_and(|m| m.is_symlink())
        {
            return path;
        }
    }
    relative.to_path_buf()
}

/// `path` as the system resolves it, or as given if it cannot be resolved.
fn resolved(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Every file of an embedded folder, depth first.
pub fn embedded_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(embedded_files(sub));
    }
    files.sort_by_key(|f| f.path());
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_too_big_is_refused_unread() {
        let site = tempfile::tempdir().unwrap();
        let file = std::fs::File::create(site.path().join("big.md")).unwrap();
        // A sparse file: no time or disk spent on its 32 MiB of nothing.
        file.set_len(MAX_TEXT_FILE_BYTES + 1).unwrap();
        let (read, problem) = read_text(site.path(), Path::new("big.md"));
        assert!(read.is_none());
        let problem = problem.expect("a message");
        assert_eq!(problem.file, Path::new("big.md"));
        assert!(problem.message.contains("too big"), "{}", problem.message);
        file.set_len(MAX_TEXT_FILE_BYTES).unwrap();
        let (read, problem) = read_text(site.path(), Path::new("big.md"));
        assert!(read.is_some() && problem.is_none());
    }
}
