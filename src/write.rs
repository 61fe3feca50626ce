//! Bringing the output folder in line with a build, file by file as pages are rendered.
//!
//! A failed build leaves the output as it was: new files go straight to their place
//! (there is nothing there to lose) and are removed again if the build fails; a changed
//! file is written beside the old one and renamed over it only once the whole site has
//! rendered without error ([`Writer::commit`]), so a reader never sees half a page.
//! Files whose bytes are unchanged are left alone (they keep their timestamps, and
//! deploy tools upload only what changed); files a previous build produced but this
//! one does not are removed. What PeerPress produced is tracked in a manifest, with
//! each file's size, modification time and hash, so a rebuild knows a file is
//! unchanged without reading it back, a file someone else put in the folder is never
//! deleted, and nothing outside the folder ever is. The manifest also keeps what each
//! page was made from, so that a page made from the same things is kept without being
//! rendered at all ([`Sink::keep`], `render/reuse.rs`).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs;
use std::io::{self, ErrorKind, Read as _, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::render::{push_hex, MadeFrom, Sink};

/// The list of files the last build produced, kept in the output folder.
pub const MANIFEST: &str = ".peerpress-manifest";

/// The manifest's first line; the fields of each line after it are the file's hash,
/// size and modification time, what a page was made from (`-` for other files), then
/// its path.
const MANIFEST_HEADER: &str =
    "# Files written by PeerPress (v3: xxh3 size mtime made-from path). It removes only files listed here.";

/// The first line of manifests that did not say what pages were made from.
const MANIFEST_HEADER_V2: &str =
    "# Files written by PeerPress (v2: xxh3 size mtime path). It removes only files listed here.";

/// The start of the manifest's second line, followed by a hash of every path of the site
/// (see [`Sink::note_paths`]).
const PATHS_LINE: &str = "# paths ";

/// Added to a file's name while its new version is waiting to replace it.
const TEMPORARY: &str = ".peerpress-tmp";

/// The stop flags of the writers now open, for [`stop_all`].
static OPEN: Mutex<Vec<Weak<AtomicBool>>> = Mutex::new(Vec::new());

/// Asks every open writer to stop (the user pressed Ctrl-C): each then refuses further
/// files, so its build fails and takes back what it wrote. Returns whether any writer
/// was open.
pub fn stop_all() -> bool {
    let open = OPEN.lock().unwrap_or_else(PoisonError::into_inner);
    let mut any = false;
    for flag in open.iter().filter_map(Weak::upgrade) {
        flag.store(true, Ordering::SeqCst);
        any = true;
    }
    any
}

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Of the unchanged files, the pages kept without being rendered again.
    pub kept: usize,
}

/// A write that failed, with the file it failed on.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub error: io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "could not write `{}`: {}",
            self.path.display(),
            self.error
        )
    }
}

fn fail(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |error| WriteError {
        path: path.to_path_buf(),
        error,
    }
}

/// What the manifest knows of a file: enough to tell it is unchanged without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    hash: u64,
    size: u64,
    /// Nanoseconds since 1970, or 0 if the file system does not say.
    modified: u128,
}

/// What the manifest knows of a file, and of a page what it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    entry: Entry,
    made_from: Option<MadeFrom>,
}

fn modified(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Writes one build into an output folder: [`Sink::put`] for each file as it is
/// rendered, then [`Writer::commit`] if the build succeeded. Dropped without a commit
/// (a failed build), it takes back everything it did.
pub struct Writer {
    folder: PathBuf,
    /// The previous build's files, from the manifest.
    previous: HashMap<String, Option<Record>>,
    /// The manifest as it was, to leave it alone if nothing changed.
    previous_text: String,
    /// The previous build's hash of every path of the site.
    previous_paths: Option<u64>,
    state: Mutex<State>,
    committed: bool,
    /// Set to stop the build ([`stop_all`]).
    stop: Arc<AtomicBool>,
}

#[derive(Default)]
struct State {
    /// Folders known to exist, by their plainly written relative paths (as
    /// [`safe_relative`] gives): a path's bytes hash far quicker than its parts.
    folders: foldhash::HashSet<OsString>,
    /// Folders this build created: removed again if it fails.
    created_folders: Vec<PathBuf>,
    /// The same, within the output folder (`""` for the folder itself): nothing in
    /// them was there before this build, so it need not look.
    new_folders: foldhash::HashSet<OsString>,
    /// Files that did not exist before this build: removed again if it fails.
    created: Vec<PathBuf>,
    /// New versions of existing files, waiting beside them: (temporary, target).
    waiting: Vec<(PathBuf, PathBuf)>,
    /// What goes into the new manifest.
    entries: Vec<(String, Record)>,
    /// This build's hash of every path of the site.
    paths: Option<u64>,
    report: WriteReport,
}

impl Writer {
    /// Starts writing into `folder`, which need not exist yet.
    pub fn open(folder: &Path) -> Writer {
        let previous_text = fs::read_to_string(folder.join(MANIFEST)).unwrap_or_default();
        let stop = Arc::new(AtomicBool::new(false));
        let mut open = OPEN.lock().unwrap_or_else(PoisonError::into_inner);
        open.retain(|flag| flag.strong_count() > 0);
        open.push(Arc::downgrade(&stop));
        let previous_paths = previous_text
            .lines()
            .nth(1)
            .and_then(|line| line.strip_prefix(PATHS_LINE))
            .and_then(|hash| u64::from_str_radix(hash, 16).ok());
        Writer {
            folder: folder.to_path_buf(),
            previous: parse_manifest(&previous_text),
            previous_paths,
            previous_text,
            state: Mutex::default(),
            committed: false,
            stop,
        }
    }

    /// Whether this writer was asked to stop.
    pub fn is_stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Asks this writer to stop, as [`stop_all`] does.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// The error of a writer asked to stop.
    fn stopped(&self) -> Result<(), WriteError> {
        if self.is_stopped() {
            return Err(WriteError {
                path: self.folder.clone(),
                error: io::Error::new(ErrorKind::Interrupted, "the build was stopped"),
            });
        }
        Ok(())
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes sure the folder `relative` (within the output folder) exists, noting the
    /// folders it had to create. The file system is not touched under the lock, so
    /// other pages are written meanwhile.
    fn ensure_folder(&self, relative: &Path) -> Result<(), WriteError> {
        let known = |d: &Path| self.state().folders.contains(d.as_os_str());
        if known(relative) {
            return Ok(());
        }
        // The missing folders, from `relative` up to the nearest that exists, each with
        // its path within the output folder (none for the folders above it).
        let mut missing = Vec::new();
        let mut dir = Some(relative);
        while let Some(d) = dir {
            if known(d) || !self.in_new_folder(d) && self.folder.join(d).is_dir() {
                break;
            }
            missing.push((Some(d), self.folder.join(d)));
            dir = parent(d);
        }
        if dir.is_none() {
            // Even the output folder is missing: the folders above it are too.
            let mut path = self.folder.parent();
            while let Some(p) = path.filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
                missing.push((None, p.to_path_buf()));
                path = p.parent();
            }
        }
        let mut created = Vec::new();
        let mut result = Ok(());
        for (relative, path) in missing.into_iter().rev() {
            match fs::create_dir(&path) {
                Ok(()) => created.push((relative, path)),
                // Made meanwhile for another page.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => {
                    result = Err(fail(&path)(e));
                    break;
                }
            }
        }
        let mut state = self.state();
        for (relative, path) in created {
            if let Some(relative) = relative {
                state.new_folders.insert(relative.as_os_str().to_owned());
            }
            // Noted even when a deeper one failed, so they are taken back.
            state.created_folders.push(path);
        }
        result?;
        let mut dir = Some(relative);
        while let Some(d) = dir.filter(|d| !state.folders.contains(d.as_os_str())) {
            state.folders.insert(d.as_os_str().to_owned());
            dir = parent(d);
        }
        Ok(())
    }

    /// Whether the manifest vouches that the file at `path` is what the previous build
    /// left (its size and time as recorded, with `entry`'s hash). A time in whole
    /// seconds (FAT, some network shares) cannot tell a quick edit from the build's own
    /// write, so it never vouches for such a file.
    fn vouches_for(&self, path: &str, entry: Entry) -> bool {
        let precise = !entry.modified.is_multiple_of(1_000_000_000);
        let recorded = self.previous.get(path).and_then(Option::as_ref);
        precise && recorded.is_some_and(|r| r.entry == entry)
    }

    /// Whether `relative` is inside a folder this build created, at any depth, and so
    /// was not there before it.
    fn in_new_folder(&self, relative: &Path) -> bool {
        let state = self.state();
        std::iter::successors(parent(relative), |d| parent(d))
            .any(|folder| state.new_folders.contains(folder.as_os_str()))
    }

    /// Makes the build final: replaces changed files, removes the previous build's
    /// files that this one did not produce, and writes the manifest.
    pub fn commit(mut self) -> Result<WriteReport, WriteError> {
        self.stopped()?;
        let mut state = std::mem::take(&mut *self.state());
        let waiting = std::mem::take(&mut state.waiting);
        for (i, (temporary, target)) in waiting.iter().enumerate() {
            if let Err(e) = fs::rename(temporary, target) {
                // What was renamed stays (the output is now part old, part new, as the
                // message says); what was not is taken back when `self` is dropped.
                state.waiting = waiting[i..].to_vec();
                state.created.clear();
                state.created_folders.clear();
                *self.state() = state;
                return Err(fail(target)(e));
            }
        }
        self.committed = true;
        // A first build into a folder has nothing of a previous one to remove.
        let current: HashSet<&str> = if self.previous.is_empty() {
            HashSet::new()
        } else {
            state.entries.iter().map(|(p, _)| p.as_str()).collect()
        };
        let mut stale: Vec<&String> = self
            .previous
            .keys()
            .filter(|p| !current.contains(p.as_str()))
            .collect();
        stale.sort_unstable();
        for old in stale {
            let Some(relative) = safe_relative(old) else {
                continue;
            };
            if passes_through_link(&self.folder, &relative) {
                continue;
            }
            let target = self.folder.join(&relative);
            match fs::remove_file(&target) {
                Ok(()) => {
                    state.report.removed += 1;
                    remove_empty_parents(&self.folder, &relative);
                }
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(fail(&target)(e)),
            }
        }

        // Tens of thousands of lines at 10,000 pages: sorted and written on every core.
        state.entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::from(MANIFEST_HEADER);
        text.push('\n');
        if let Some(paths) = state.paths {
            text.push_str(PATHS_LINE);
            push_hex(&mut text, paths, 16);
            text.push('\n');
        }
        let lines: Vec<String> = state
            .entries
            .par_chunks(1024)
            .map(|entries| {
                let mut lines = String::with_capacity(entries.len() * 128);
                for (path, record) in entries {
                    manifest_line(&mut lines, path, record);
                }
                lines
            })
            .collect();
        text.reserve_exact(lines.iter().map(String::len).sum());
        for part in lines {
            text.push_str(&part);
        }
        if text != self.previous_text {
            let manifest = self.folder.join(MANIFEST);
            fs::create_dir_all(&self.folder).map_err(fail(&self.folder))?;
            replace(&manifest, text.as_bytes()).map_err(fail(&manifest))?;
        }
        let report = state.report;
        crate::drop_in_background((state, std::mem::take(&mut self.previous), text));
        Ok(report)
    }
}

/// One file's line of the manifest: `hash size modified made-from path`.
fn manifest_line(out: &mut String, path: &str, record: &Record) {
    use std::fmt::Write as _;
    let Record { entry, made_from } = record;
    push_hex(out, entry.hash, 16);
    let _ = write!(out, " {} {} ", entry.size, entry.modified);
    match made_from {
        Some(m) => m.write_field(out),
        None => out.push('-'),
    }
    out.push(' ');
    out.push_str(path);
    out.push('\n');
}

impl Drop for Writer {
    /// A build that did not commit takes back what it wrote.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let state = std::mem::take(&mut *self.state());
        for (temporary, _) in &state.waiting {
            let _ = fs::remove_file(temporary);
        }
        for file in &state.created {
            let _ = fs::remove_file(file);
        }
        // Deepest first: pages made their folders in no particular order.
        let mut folders = state.created_folders;
        folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
        for folder in &folders {
            let _ = fs::remove_dir(folder);
        }
    }
}

impl Sink for Writer {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        self.put_page(path, bytes, None)
    }

    fn remembers(&self) -> bool {
        true
    }

    fn made_from(&self, path: &str) -> Option<&MadeFrom> {
        self.previous.get(path)?.as_ref()?.made_from.as_ref()
    }

    fn previous_paths(&self) -> Option<u64> {
        self.previous_paths
    }

    fn note_paths(&self, hash: u64) {
        self.state().paths = Some(hash);
    }

    fn read_back(&self, path: &str) -> Option<Vec<u8>> {
        let target = self.folder.join(safe_relative(path)?);
        let mut bytes = Vec::new();
        open_to_read(&target).ok()?.read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }

    fn keep(
        &self,
        path: &str,
        made_from: MadeFrom,
        bytes: Option<&mut Vec<u8>>,
    ) -> Result<bool, WriteError> {
        self.stopped()?;
        let (Some(Some(record)), Some(relative)) = (self.previous.get(path), safe_relative(path))
        else {
            return Ok(false);
        };
        let target = self.folder.join(relative);
        // As in `put`: the file itself (a link there is not followed), as the previous
        // build left it, by size and time; its bytes, read for its links, are checked
        // against the hash as well. A page not to be read needs one look at its
        // metadata, not opening.
        let (file, meta) = match bytes {
            Some(_) => {
                let opened = open_to_read(&target);
                match opened.and_then(|f| f.metadata().map(|m| (f, m))) {
                    Ok((file, meta)) => (Some(file), meta),
                    Err(_) => return Ok(false),
                }
            }
            None => match fs::symlink_metadata(&target) {
                Ok(meta) => (None, meta),
                Err(_) => return Ok(false),
            },
        };
        let entry = Entry {
            hash: record.entry.hash,
            size: meta.len(),
            modified: modified(&meta),
        };
        if !meta.is_file() || !self.vouches_for(path, entry) {
            return Ok(false);
        }
        if let (Some(bytes), Some(mut file)) = (bytes, file) {
            bytes.clear();
            let read = file.read_to_end(bytes);
            if read.is_err() || xxhash_rust::xxh3::xxh3_64(bytes) != entry.hash {
                return Ok(false);
            }
        }
        let mut state = self.state();
        let record = Record {
            entry,
            made_from: Some(made_from),
        };
        state.entries.push((path.to_string(), record));
        state.report.unchanged += 1;
        state.report.kept += 1;
        Ok(true)
    }

    fn put_page(
        &self,
        path: &str,
        bytes: Vec<u8>,
        made_from: Option<MadeFrom>,
    ) -> Result<(), WriteError> {
        self.stopped()?;
        let Some(relative) = safe_relative(path) else {
            return Ok(());
        };
        let target = self.folder.join(&relative);
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let size = bytes.len() as u64;
        // The path itself, never what a link there points to: a link is replaced by the
        // file, and nothing is ever written through one out of the folder.
        let existing = if self.in_new_folder(&relative) {
            None
        } else {
            match fs::symlink_metadata(&target) {
                Ok(meta) => Some(meta),
                Err(e) if e.kind() == ErrorKind::NotFound => None,
                Err(e) if e.kind() == ErrorKind::NotADirectory => None,
                Err(e) => return Err(fail(&target)(e)),
            }
        };
        if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
            let in_the_way = io::Error::new(
                ErrorKind::IsADirectory,
                "a folder of that name is in the way; move or delete it",
            );
            return Err(fail(&target)(in_the_way));
        }
        if let Some(meta) = existing.as_ref().filter(|m| m.is_file() && m.len() == size) {
            let entry = Entry {
                hash,
                size,
                modified: modified(meta),
            };
            // Unless the manifest vouches for the file (edited by hand, or no
            // manifest), it is read and compared.
            if self.vouches_for(path, entry) || fs::read(&target).is_ok_and(|old| old == bytes) {
                let mut state = self.state();
                state
                    .entries
                    .push((path.to_string(), Record { entry, made_from }));
                state.report.unchanged += 1;
                return Ok(());
            }
        }
        let record = |meta: fs::Metadata| Record {
            entry: Entry {
                hash,
                size,
                modified: modified(&meta),
            },
            made_from,
        };
        // Each file is noted as soon as it exists, so one that fails part-way through
        // is taken back with the rest.
        let meta = if existing.is_none() {
            if let Some(parent) = parent(&relative) {
                self.ensure_folder(parent)?;
            }
            write_new(&target, &bytes, || {
                self.state().created.push(target.clone())
            })
            .map_err(fail(&target))?
        } else {
            let temporary = temporary(&target);
            // One left by a build that was killed is replaced.
            match fs::remove_file(&temporary) {
                Err(e) if e.kind() != ErrorKind::NotFound => return Err(fail(&temporary)(e)),
                _ => {}
            }
            let noted = || {
                let waiting = (temporary.clone(), target.clone());
                self.state().waiting.push(waiting);
            };
            write_new(&temporary, &bytes, noted).map_err(fail(&target))?
        };
        let mut state = self.state();
        state.entries.push((path.to_string(), record(meta)));
        state.report.written += 1;
        Ok(())
    }
}

/// Writes a file that is not there yet, calling `created` once it exists, and returns
/// its metadata (for its time). Anything already at `path`, even a link to nowhere, is
/// an error rather than followed.
fn write_new(path: &Path, bytes: &[u8], created: impl FnOnce()) -> io::Result<fs::Metadata> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    created();
    file.write_all(bytes)?;
    file.metadata()
}

/// Opens a file of the output folder to read it back, never through a link there.
fn open_to_read(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

fn temporary(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(TEMPORARY);
    PathBuf::from(name)
}

/// The files of the previous build and what is known of each. A manifest from before
/// hashes were kept lists only paths; one from before pages were kept does not say
/// what they were made from.
fn parse_manifest(text: &str) -> HashMap<String, Option<Record>> {
    let first = text.lines().next();
    let fields = match first {
        Some(MANIFEST_HEADER) => 5,
        Some(MANIFEST_HEADER_V2) => 4,
        _ => 1,
    };
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|line| {
            if fields == 1 {
                return Some((line.to_string(), None));
            }
            let mut parts = line.splitn(fields, ' ');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            let modified = parts.next()?.parse().ok()?;
            let made_from = if fields == 5 {
                MadeFrom::from_field(parts.next()?)
            } else {
                None
            };
            let path = parts.next()?;
            let entry = Entry {
                hash,
                size,
                modified,
            };
            Some((path.to_string(), Some(Record { entry, made_from })))
        })
        .collect()
}

/// A path from the manifest or a renderer, accepted only if it stays inside the folder,
/// and written plainly (`a/b`, never `a//b/`), as [`parent`] needs.
fn safe_relative(path: &str) -> Option<PathBuf> {
    // Every file of a build asks, nearly always with a path like `a/b/index.html`,
    // which is taken as it is; only others are parsed part by part.
    let plain = !path.is_empty()
        && path
            .split('/')
            .all(|part| !matches!(part, "" | "." | "..") && !part.contains(['\\', ':']));
    if plain {
        return Some(PathBuf::from(path));
    }
    let relative = Path::new(path);
    let ok = !path.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| relative.components().collect())
}

/// The folder of a plainly written relative path (as [`safe_relative`] gives): what
/// [`Path::parent`] gives, told from the last `/` rather than by parsing every part.
/// Thousands of pages ask it of every folder above them.
fn parent(path: &Path) -> Option<&Path> {
    use std::os::unix::ffi::OsStrExt as _;
    let bytes = path.as_os_str().as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let end = memchr::memrchr(b'/', bytes).unwrap_or(0);
    Some(Path::new(std::ffi::OsStr::from_bytes(&bytes[..end])))
}

/// Whether any folder on the way to `relative` is a symbolic link (which could lead out
/// of the output folder): such files are never removed.
fn passes_through_link(folder: &Path, relative: &Path) -> bool {
    let mut path = folder.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return true,
            Ok(_) => {}
            Err(_) => return true,
        }
    }
    false
}

/// Writes a file atomically: to a temporary file beside it, then renamed over it, so a
/// reader (or a deploy running at the same moment) never sees half a file.
fn replace(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = temporary(target);
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, target).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

fn remove_empty_parents(folder: &Path, relative: &Path) {
    let mut dir = relative.parent();
    while let Some(d) = dir {
        if d.as_os_str().is_empty() || fs::remove_dir(folder.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_safe_path_is_written_plainly_and_its_folders_are_those_of_path() {
        for text in [
            "index.html",
            "a/index.html",
            "a//b/./c/",
            "groups/x/y/index.html",
        ] {
            let relative = safe_relative(text).unwrap();
            assert!(!relative.to_str().unwrap().contains("//"), "{text}");
            let parsed: PathBuf = Path::new(text).components().collect();
            assert_eq!(relative, parsed, "{text}");
            let ours: Vec<&Path> =
                std::iter::successors(Some(relative.as_path()), |d| parent(d)).collect();
            let std: Vec<&Path> = relative.ancestors().collect();
            assert_eq!(ours, std, "{text}");
        }
        for refused in ["", "/", "/etc/passwd", "..", "../x", "a/..", "a/../../x"] {
            assert_eq!(safe_relative(refused), None, "{refused}");
        }
    }

    /// A successful build of `files` into `out`.
    fn write(files: &[(&str, &str)], out: &Path) -> WriteReport {
        let writer = Writer::open(out);
        for (path, text) in files {
            writer.put(path, text.as_bytes().to_vec()).unwrap();
        }
        writer.commit().unwrap()
    }

    fn report(written: usize, unchanged: usize, removed: usize) -> WriteReport {
        WriteReport {
            written,
            unchanged,
            removed,
            kept: 0,
        }
    }

    #[test]
    fn writes_only_changes_and_removes_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(&[("index.html", "a"), ("old/index.html", "b")], &out);
        assert_eq!(first, report(2, 0, 0));
        fs::write(out.join("CNAME"), "example.org").unwrap();
        let second = write(&[("index.html", "a"), ("new.html", "c")], &out);
        assert_eq!(second, report(1, 1, 1));
        assert!(!out.join("old").exists(), "emptied folders are removed");
        assert!(
            out.join("CNAME").exists(),
            "a file PeerPress did not write is kept"
        );
        let third = write(&[("index.html", "a"), ("new.html", "c")], &out);
        assert_eq!(third, report(0, 2, 0));
    }

    #[test]
    fn a_file_edited_by_hand_is_put_right_even_at_the_same_size() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "hello")], &out);
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("index.html"), "HELLO").unwrap();
        assert_eq!(write(&[("index.html", "hello")], &out), report(1, 0, 0));
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "hello");
    }

    #[test]
    fn a_build_that_does_not_commit_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "a"), ("about/index.html", "b")], &out);
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
        let writer = Writer::open(&out);
        for (path, text) in [
            ("index.html", "changed"),
            ("about/index.html", "b"),
            ("news/first/index.html", "new"),
        ] {
            writer.put(path, text.as_bytes().to_vec()).unwrap();
        }
        drop(writer);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "a");
        assert!(
            !out.join("news").exists(),
            "new files and folders are taken back"
        );
        assert_eq!(fs::read_to_string(out.join(MANIFEST)).unwrap(), manifest);
        let mut left: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| {
                e.unwrap()
                    .path()
                    .strip_prefix(&out)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["", MANIFEST, "about", "about/index.html", "index.html"]
        );

        // Into a folder that did not exist: nothing at all is left.
        let fresh = dir.path().join("new/public");
        let writer = Writer::open(&fresh);
        writer.put("a/b/index.html", b"x".to_vec()).unwrap();
        drop(writer);
        assert!(!dir.path().join("new").exists());
    }

    #[test]
    fn a_stopped_writer_refuses_files_and_takes_back_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let writer = Writer::open(&out);
        writer.put("a/index.html", b"a".to_vec()).unwrap();
        writer.stop();
        let error = writer.put("b/index.html", b"b".to_vec()).unwrap_err();
        assert_eq!(error.error.kind(), ErrorKind::Interrupted);
        assert!(writer.commit().is_err());
        assert!(!out.exists(), "nothing is left");
    }

    #[test]
    fn a_link_in_the_output_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink("../elsewhere.html", out.join("page.html")).unwrap();
        let writer = Writer::open(&out);
        writer.put("page.html", b"new".to_vec()).unwrap();
        drop(writer);
        assert!(out
            .join("page.html")
            .symlink_metadata()
            .unwrap()
            .is_symlink());
        write(&[("page.html", "new")], &out);
        assert_eq!(fs::read_to_string(out.join("page.html")).unwrap(), "new");
        assert!(!out
            .join("page.html")
            .symlink_metadata()
            .unwrap()
            .is_symlink());
        assert!(
            !dir.path().join("elsewhere.html").exists(),
            "nothing outside"
        );
    }

    #[test]
    fn what_cannot_be_written_is_an_error_and_is_taken_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("docs/index.html", "a")], &out);
        let before: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        // A folder where a file should go.
        let writer = Writer::open(&out);
        let error = writer.put("docs", b"x".to_vec()).unwrap_err();
        assert_eq!(error.error.kind(), ErrorKind::IsADirectory);
        drop(writer);
        // A folder that cannot be made, below one that could.
        let writer = Writer::open(&out);
        let long = format!("news/{}/index.html", "x".repeat(300));
        assert!(writer.put(&long, b"x".to_vec()).is_err());
        drop(writer);
        let after: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        assert_eq!(before, after, "`news/` is taken back too");
    }

    #[test]
    fn a_tampered_manifest_cannot_reach_outside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        fs::write(out.join(MANIFEST), "../precious.txt\n/etc/hostname\n").unwrap();
        write(&[("index.html", "a")], &out);
        assert!(dir.path().join("precious.txt").exists());
    }

    #[test]
    fn reads_manifests_old_and_new() {
        let old = parse_manifest("# Files written by PeerPress. It removes only files listed here.\nindex.html\na b/c.html\n");
        assert_eq!(old.get("a b/c.html"), Some(&None));
        let entry = Entry {
            hash: 255,
            size: 3,
            modified: 17,
        };
        let v2 = parse_manifest(&format!(
            "{MANIFEST_HEADER_V2}\n00000000000000ff 3 17 a b/c.html\n"
        ));
        let record = |made_from| Some(Some(Record { entry, made_from }));
        assert_eq!(v2.get("a b/c.html").cloned(), record(None));
        let v3 = parse_manifest(&format!(
            "{MANIFEST_HEADER}\n00000000000000ff 3 17 00000000000000aa.5 a b/c.html\n00000000000000ff 3 17 00000000000000bb.3.5:group-1.5:x_2 m/index.html\n00000000000000ff 3 17 - feed.ics\n"
        ));
        let made = |inputs, whole, keys: &[(u8, &str)]| MadeFrom {
            inputs,
            uses: crate::render::Uses {
                whole,
                keys: keys.iter().map(|(b, k)| (*b, k.to_string())).collect(),
            },
            links_to_check: false,
        };
        assert_eq!(
            v3.get("a b/c.html").cloned(),
            record(Some(made(0xaa, 5, &[])))
        );
        let keyed = made(0xbb, 3, &[(5, "group-1"), (5, "x_2")]);
        let checked = MadeFrom {
            links_to_check: true,
            ..keyed.clone()
        };
        let field = |m: &MadeFrom| {
            let mut field = String::new();
            m.write_field(&mut field);
            field
        };
        assert_eq!(MadeFrom::from_field(&field(&checked)), Some(checked));
        assert_eq!(v3.get("m/index.html").cloned(), record(Some(keyed.clone())));
        assert_eq!(MadeFrom::from_field(&field(&keyed)), Some(keyed));
        assert_eq!(v3.get("feed.ics").cloned(), record(None));
    }
}
