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
//!
//! The output folder is a boundary: nothing is ever written, created, renamed into or
//! deleted through a symbolic link inside it. The folder itself may be a link (the user
//! named it with `-o`), but a link within it that a build would write through is either
//! a mistake or an attempt to make the build overwrite or delete files elsewhere (a
//! `public/groups` leading to `~/.ssh`). Such a link is replaced by real content: a link
//! where a file goes is replaced by the file, one where a folder goes by a real folder.
//! Removing a link never touches what it points to, and the output then holds exactly
//! what the site says, so the build succeeds and nothing outside the folder changes;
//! refusing would only leave the volunteer to remove the link by hand. A build that fails
//! puts such a link back, as it leaves everything else. Temporary files are created
//! only where nothing exists (a stale one, or a link planted there, is removed first),
//! and a file to be removed is removed as what it is, a link as a link, never through a
//! folder that is a link. Each folder is checked from the top down before anything is
//! looked at or written inside it, so no check itself goes through a link. A folder is
//! checked once per build, just before the first write into it, not in the same step
//! as each write: a program racing the build to swap a checked folder for a link in
//! between is not guarded against (that would take opening every file relative to an
//! open handle of its folder, which the standard library does not offer).

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
    /// Held while a link where a folder goes is replaced, so that two pages needing the
    /// same folder do not both replace it (it is rare: the rest runs without it).
    replacing: Mutex<()>,
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
    /// Links where a folder goes, replaced by real folders, with what each pointed to:
    /// put back if the build fails.
    replaced_links: Vec<(PathBuf, PathBuf)>,
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
        // A link in the manifest's place is not followed: the build then starts as if
        // there were no manifest, and replaces the link with one.
        let mut previous_text = String::new();
        if let Ok(mut file) = open_to_read(&folder.join(MANIFEST)) {
            if file.read_to_string(&mut previous_text).is_err() {
                previous_text.clear();
            }
        }
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
            replacing: Mutex::new(()),
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

    /// Makes sure the folder `relative` (within the output folder) exists as a real
    /// folder, as does every folder on the way to it, noting the folders it had to
    /// create. A link on the way is replaced by a real folder (see the module's notes).
    /// The folders are checked from the top down, each only once the one above it is
    /// known to be a real folder, so that no check looks through a link; each is checked
    /// once per build. The file system is not touched under the state's lock, so other
    /// pages are written meanwhile.
    fn ensure_folder(&self, relative: &Path) -> Result<(), WriteError> {
        let known = |d: &Path| self.state().folders.contains(d.as_os_str());
        if known(relative) {
            return Ok(());
        }
        // The folders not yet known, from `relative` up to the nearest known one (`""`,
        // the output folder itself, last if it is not known either).
        let mut unknown = Vec::new();
        let mut dir = Some(relative);
        while let Some(d) = dir.filter(|d| !known(d)) {
            unknown.push(d);
            dir = parent(d);
        }
        // Inside a folder this build created, nothing was there before: each folder is
        // made straight away rather than looked for first.
        let mut fresh = unknown.last().is_some_and(|d| self.in_new_folder(d));
        let mut created = Vec::new();
        let mut result = Ok(());
        for d in unknown.into_iter().rev() {
            let made = if d.as_os_str().is_empty() {
                self.make_output_folder(&mut created)
            } else {
                let path = self.folder.join(d);
                match self.real_folder(&path, fresh) {
                    Ok(true) => {
                        created.push((Some(d), path));
                        Ok(true)
                    }
                    Ok(false) => Ok(false),
                    Err(e) => Err(fail(&path)(e)),
                }
            };
            match made {
                Ok(made) => fresh = made,
                Err(e) => {
                    result = Err(e);
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

    /// Makes sure the output folder exists, with the folders above it, noting those it
    /// created in `created`; returns whether it created the output folder. The user
    /// named this folder, so a link there (or above it) is followed, not replaced.
    fn make_output_folder(
        &self,
        created: &mut Vec<(Option<&Path>, PathBuf)>,
    ) -> Result<bool, WriteError> {
        if self.folder.is_dir() {
            return Ok(false);
        }
        let mut missing = vec![(Some(Path::new("")), self.folder.clone())];
        let mut path = self.folder.parent();
        while let Some(p) = path.filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
            missing.push((None, p.to_path_buf()));
            path = p.parent();
        }
        let mut made = false;
        for (relative, path) in missing.into_iter().rev() {
            match fs::create_dir(&path) {
                Ok(()) => {
                    made = relative.is_some();
                    created.push((relative, path));
                }
                // Made meanwhile for another page.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(fail(&path)(e)),
            }
        }
        Ok(made)
    }

    /// Makes `path`, a folder within the output folder whose own folder is known to be a
    /// real one, a real folder: creates it if it is missing, and replaces a link there.
    /// Returns whether it created the folder. `fresh` says it is most likely missing, so
    /// it is created before it is looked for. Other pages, on other threads, may be
    /// making the same folder at the same moment: what one finds changed under it, it
    /// looks at again.
    fn real_folder(&self, path: &Path, fresh: bool) -> io::Result<bool> {
        if fresh {
            match fs::create_dir(path) {
                Ok(()) => return Ok(true),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        for _ in 0..3 {
            match fs::symlink_metadata(path) {
                Ok(meta) if meta.is_dir() => return Ok(false),
                Ok(meta) if meta.is_symlink() => return self.replace_link_with_folder(path),
                Ok(_) => return Err(file_in_the_way()),
                Err(e) if e.kind() == ErrorKind::NotFound => match fs::create_dir(path) {
                    Ok(()) => return Ok(true),
                    // Made meanwhile: looked at again.
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other(
            "the folder kept changing while PeerPress was making it; is another program writing to the output folder?",
        ))
    }

    /// Replaces the link at `path`, where a folder goes, with a real folder, noting the
    /// link to put it back if the build fails. Only the link is removed: what it points
    /// to is left exactly as it was. Returns whether it created the folder.
    fn replace_link_with_folder(&self, path: &Path) -> io::Result<bool> {
        let _replacing = self
            .replacing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Another page may have replaced it while this one waited.
        let meta = fs::symlink_metadata(path)?;
        if meta.is_dir() {
            return Ok(false);
        }
        if !meta.is_symlink() {
            return Err(file_in_the_way());
        }
        let pointed_to = fs::read_link(path)?;
        remove_entry(path)?;
        self.state()
            .replaced_links
            .push((path.to_path_buf(), pointed_to));
        match fs::create_dir(path) {
            Ok(()) => Ok(true),
            // Made meanwhile for a page that did not need to wait; anything but a real
            // folder there now came from outside the build.
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                match fs::symlink_metadata(path)?.is_dir() {
                    true => Ok(false),
                    false => Err(file_in_the_way()),
                }
            }
            Err(e) => Err(e),
        }
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
            // What is there now is looked at, not what it points to: a link is removed
            // as a link, and a folder standing where the file was is someone else's.
            match fs::symlink_metadata(&target) {
                Ok(meta) if meta.is_dir() => continue,
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => return Err(removing(&target, e)),
            }
            match remove_entry(&target) {
                Ok(()) => {
                    state.report.removed += 1;
                    remove_empty_parents(&self.folder, &relative);
                }
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(removing(&target, e)),
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
        // Links replaced by folders are put back (the folders are gone by now, if they
        // held only what this build wrote), last replaced first.
        for (link, pointed_to) in state.replaced_links.iter().rev() {
            let _ = put_link_back(link, pointed_to);
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
        // Asked only of pages kept, whose folders [`Sink::keep`] made sure are real.
        read_file(&self.folder.join(safe_relative(path)?)).ok()
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
        // As in `put`: its folder made a real one first, so that nothing kept is reached
        // through a link (and lost when a page written beside it replaces the link).
        if let Some(parent) = parent(&relative) {
            self.ensure_folder(parent)?;
        }
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
        // Its folder first, so that the look at the file below goes through no link.
        if let Some(parent) = parent(&relative) {
            self.ensure_folder(parent)?;
        }
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
            if self.vouches_for(path, entry) || read_file(&target).is_ok_and(|old| old == bytes) {
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
            let file = create_new(&target).map_err(fail(&target))?;
            self.state().created.push(target.clone());
            fill(file, &bytes).map_err(fail(&target))?
        } else {
            let temporary = temporary(&target);
            let file = create_temporary(&temporary).map_err(fail(&temporary))?;
            let waiting = (temporary.clone(), target.clone());
            self.state().waiting.push(waiting);
            fill(file, &bytes).map_err(fail(&temporary))?
        };
        let mut state = self.state();
        state.entries.push((path.to_string(), record(meta)));
        state.report.written += 1;
        Ok(())
    }
}

/// Creates a file that is not there yet. Anything already at `path`, even a link to
/// nowhere, is an error rather than followed (`create_new` is `O_EXCL`, which refuses
/// a link as the last part of the path, and Windows' `CREATE_NEW` does the same).
fn create_new(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Creates a temporary file, as [`create_new`] does. Something already there (left by a
/// build that was killed, or a link put there to have the build write elsewhere) is
/// removed, as what it is, a link as a link, and the file created once more.
fn create_temporary(path: &Path) -> io::Result<fs::File> {
    match create_new(path) {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            if fs::symlink_metadata(path)?.is_dir() {
                return Err(io::Error::new(
                    ErrorKind::IsADirectory,
                    "a folder named like PeerPress's temporary file is in the way; move or delete it",
                ));
            }
            remove_entry(path)?;
            create_new(path)
        }
        opened => opened,
    }
}

/// Writes `bytes` into a file just created, and returns its metadata (for its time).
fn fill(mut file: fs::File, bytes: &[u8]) -> io::Result<fs::Metadata> {
    file.write_all(bytes)?;
    file.metadata()
}

/// Removes the file or link at `path` itself: a link is removed as a link, never what
/// it points to.
fn remove_entry(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        // On Windows a link to a folder is removed as a folder; `remove_dir` removes
        // the link, not the folder it points to.
        #[cfg(not(unix))]
        Err(e) if fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) => {
            fs::remove_dir(path).map_err(|_| e)
        }
        removed => removed,
    }
}

/// Puts back a link that was replaced by a folder, when the build that replaced it fails.
#[cfg(unix)]
fn put_link_back(link: &Path, pointed_to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(pointed_to, link)
}

/// Puts back a link that was replaced by a folder, when the build that replaced it fails.
#[cfg(windows)]
fn put_link_back(link: &Path, pointed_to: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_dir(pointed_to, link)
}

/// Where links cannot be made, one replaced by a folder stays replaced.
#[cfg(not(any(unix, windows)))]
fn put_link_back(_link: &Path, _pointed_to: &Path) -> io::Result<()> {
    Ok(())
}

/// The error of a file or link where a folder should be.
fn file_in_the_way() -> io::Error {
    io::Error::new(
        ErrorKind::NotADirectory,
        "a file or link of that name is where a folder should be; move or delete it",
    )
}

/// The error of a stale file that could not be removed.
fn removing(path: &Path, error: io::Error) -> WriteError {
    let error = io::Error::new(
        error.kind(),
        format!("could not remove this file, which the previous build wrote and this one does not: {error}"),
    );
    fail(path)(error)
}

/// Opens a file of the output folder to read it back, never through a link there.
#[cfg(unix)]
fn open_to_read(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

/// Opens a file of the output folder to read it back, never through a link there. Without
/// `O_NOFOLLOW`, the path is looked at first.
#[cfg(not(unix))]
fn open_to_read(path: &Path) -> io::Result<fs::File> {
    if fs::symlink_metadata(path)?.is_symlink() {
        return Err(io::Error::new(
            ErrorKind::InvalidInput,
            "a link, which PeerPress does not follow in the output folder",
        ));
    }
    fs::File::open(path)
}

/// Reads a whole file of the output folder, never through a link there.
fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_to_read(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
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
#[cfg(unix)]
fn parent(path: &Path) -> Option<&Path> {
    use std::os::unix::ffi::OsStrExt as _;
    let bytes = path.as_os_str().as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let end = memchr::memrchr(b'/', bytes).unwrap_or(0);
    Some(Path::new(std::ffi::OsStr::from_bytes(&bytes[..end])))
}

/// The folder of a relative path, where a path's bytes cannot be looked at directly.
#[cfg(not(unix))]
fn parent(path: &Path) -> Option<&Path> {
    path.parent()
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
/// The temporary file is created as [`create_temporary`] does, so a link planted in its
/// place is removed rather than written through.
fn replace(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = temporary(target);
    let written = create_temporary(&temporary)
        .and_then(|file| fill(file, bytes))
        .and_then(|_| fs::rename(&temporary, target));
    written.inspect_err(|_| {
        let _ = remove_entry(&temporary);
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

    #[cfg(unix)]
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

    /// Every file, folder and link under `dir`, with a file's bytes and a link's target,
    /// to tell that nothing there changed.
    #[cfg(unix)]
    fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
        let mut all: Vec<(PathBuf, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let what = if e.path_is_symlink() {
                    format!("link to {}", fs::read_link(e.path()).unwrap().display())
                } else if e.file_type().is_dir() {
                    "folder".to_string()
                } else {
                    String::from_utf8(fs::read(e.path()).unwrap()).unwrap()
                };
                (e.path().strip_prefix(dir).unwrap().to_path_buf(), what)
            })
            .collect();
        all.sort();
        all
    }

    /// A folder outside the output, with files named like the site's.
    #[cfg(unix)]
    fn elsewhere(dir: &Path) -> PathBuf {
        let elsewhere = dir.join("elsewhere");
        fs::create_dir_all(elsewhere.join("a")).unwrap();
        fs::write(elsewhere.join("index.html"), "theirs").unwrap();
        fs::write(elsewhere.join("a/index.html"), "theirs too").unwrap();
        fs::write(elsewhere.join("authorized_keys"), "ssh-ed25519 AAAA").unwrap();
        elsewhere
    }

    #[cfg(unix)]
    fn is_link(path: &Path) -> bool {
        path.symlink_metadata().unwrap().is_symlink()
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_folder_in_the_output_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = elsewhere(dir.path());
        let before = snapshot(&elsewhere);
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        // One link written relative to the output folder, one absolute.
        std::os::unix::fs::symlink("../elsewhere", out.join("groups")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("values")).unwrap();
        let files = [
            ("index.html", "home"),
            ("groups/index.html", "groups"),
            ("groups/a/index.html", "group a"),
            ("groups/b/index.html", "group b"),
            ("values/index.html", "values"),
        ];
        assert_eq!(write(&files, &out), report(5, 0, 0));
        assert_eq!(snapshot(&elsewhere), before, "nothing outside changes");
        for (path, text) in files {
            assert_eq!(fs::read_to_string(out.join(path)).unwrap(), text, "{path}");
        }
        assert!(!is_link(&out.join("groups")) && !is_link(&out.join("values")));
        assert_eq!(write(&files, &out), report(0, 5, 0));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_deeper_in_the_output_is_replaced_too() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = elsewhere(dir.path());
        let before = snapshot(&elsewhere);
        let out = dir.path().join("public");
        write(&[("groups/a/index.html", "old")], &out);
        // The folder of a page already written, and a folder where a file goes.
        fs::remove_dir_all(out.join("groups/a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("groups/a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("feed.ics")).unwrap();
        let files = [("groups/a/index.html", "new"), ("feed.ics", "calendar")];
        assert_eq!(write(&files, &out), report(2, 0, 0));
        assert_eq!(snapshot(&elsewhere), before, "nothing outside changes");
        assert_eq!(
            fs::read_to_string(out.join("groups/a/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            fs::read_to_string(out.join("feed.ics")).unwrap(),
            "calendar"
        );
        assert!(!is_link(&out.join("groups/a")) && !is_link(&out.join("feed.ics")));
    }

    #[cfg(unix)]
    #[test]
    fn a_build_that_fails_puts_a_replaced_link_back() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = elsewhere(dir.path());
        let before = snapshot(&elsewhere);
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink("../elsewhere", out.join("groups")).unwrap();
        let writer = Writer::open(&out);
        writer.put("groups/a/index.html", b"new".to_vec()).unwrap();
        writer
            .put("groups/c/d/index.html", b"new".to_vec())
            .unwrap();
        assert!(!is_link(&out.join("groups")));
        drop(writer);
        assert_eq!(snapshot(&elsewhere), before, "nothing outside changes");
        assert_eq!(
            fs::read_link(out.join("groups")).unwrap(),
            Path::new("../elsewhere")
        );
    }

    #[cfg(unix)]
    #[test]
    fn removing_old_files_never_goes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [
            ("index.html", "home"),
            ("groups/a/index.html", "a"),
            ("groups/b/index.html", "b"),
            ("old.html", "old"),
        ];
        write(&files, &out);
        // The output's `groups` moved elsewhere and linked back; `old.html` a link to a
        // file outside.
        let elsewhere = dir.path().join("elsewhere");
        fs::rename(out.join("groups"), &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("groups")).unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        fs::remove_file(out.join("old.html")).unwrap();
        std::os::unix::fs::symlink("../precious.txt", out.join("old.html")).unwrap();
        let before = snapshot(&elsewhere);

        // `groups/b` and `old.html` are no longer produced; `groups/a` has changed.
        let next = [
            ("index.html", "home"),
            ("groups/a/index.html", "a, changed"),
        ];
        assert_eq!(write(&next, &out).removed, 1, "the link `old.html`");
        assert_eq!(snapshot(&elsewhere), before, "nothing outside changes");
        assert_eq!(
            fs::read_to_string(dir.path().join("precious.txt")).unwrap(),
            "keep"
        );
        assert!(out.join("old.html").symlink_metadata().is_err());
        assert!(!is_link(&out.join("groups")));
        assert!(!out.join("groups/b").exists());
        let a = fs::read_to_string(out.join("groups/a/index.html")).unwrap();
        assert_eq!(a, "a, changed");

        // No longer producing anything in a linked folder: its files stay where they are.
        fs::remove_dir_all(out.join("groups")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("groups")).unwrap();
        let before = snapshot(&elsewhere);
        write(&[("index.html", "home")], &out);
        assert_eq!(snapshot(&elsewhere), before, "nothing outside changes");
        assert!(is_link(&out.join("groups")));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_a_temporary_path_is_removed_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "a"), ("page.html", "a")], &out);
        let target = dir.path().join("target.txt");
        fs::write(&target, "keep").unwrap();
        let tmp = |name: &str| out.join(format!("{name}{TEMPORARY}"));
        std::os::unix::fs::symlink(&target, tmp(MANIFEST)).unwrap();
        std::os::unix::fs::symlink(&target, tmp("page.html")).unwrap();
        // One to nowhere: following it would create the file it names.
        let nowhere = dir.path().join("nowhere.txt");
        std::os::unix::fs::symlink(&nowhere, tmp("index.html")).unwrap();

        let files = [("index.html", "b"), ("page.html", "b")];
        assert_eq!(write(&files, &out), report(2, 0, 0));
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        assert!(!nowhere.exists());
        assert_eq!(fs::read_to_string(out.join("page.html")).unwrap(), "b");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "b");
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert!(manifest.contains(" page.html\n"), "{manifest}");
        let left: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|name| name.to_string_lossy().ends_with(TEMPORARY))
            .collect();
        assert!(left.is_empty(), "{left:?}");

        // A link in the manifest's own place is neither read nor written through.
        fs::remove_file(out.join(MANIFEST)).unwrap();
        std::os::unix::fs::symlink(&target, out.join(MANIFEST)).unwrap();
        write(&[("index.html", "c")], &out);
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        assert!(!is_link(&out.join(MANIFEST)));
    }

    #[test]
    fn a_file_where_a_folder_goes_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("groups"), "a file").unwrap();
        let writer = Writer::open(&out);
        let error = writer
            .put("groups/a/index.html", b"x".to_vec())
            .unwrap_err();
        assert_eq!(error.path, out.join("groups"));
        assert!(
            error.to_string().contains("where a folder should be"),
            "{error}"
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
