//! Bringing the output folder in line with a build, file by file as pages are rendered.
//!
//! A failed build leaves the output exactly as it was, however it fails (an error, a
//! panic, Ctrl-C, a kill, a full disk): while the site renders, every new or changed
//! file waits in a private folder inside the output folder, `.peerpress-staging/`, and
//! nothing else there is touched. Only once the whole site has rendered without error
//! does [`Writer::commit`] make the changes, through a plan written first, so that a
//! run stopped part-way is completed by the next (see `write/commit.rs`). Files whose
//! bytes are unchanged are left alone (they keep their timestamps, and deploy tools
//! upload only what changed); files a previous build produced but this one does not
//! are removed. What PeerPress produced is tracked in a manifest, with each file's
//! size, modification time and hash, so a rebuild knows a file is unchanged without
//! reading it back, a file someone else put in the folder is never deleted, and nothing
//! outside the folder ever is. The manifest also keeps what each page was made from, so
//! that a page made from the same things is kept without being rendered at all
//! ([`Sink::keep`], `render/reuse.rs`).
//!
//! The output folder is a boundary: nothing is ever written, created, renamed into or
//! deleted through a symbolic link inside it. The folder itself may be a link (the user
//! named it with `-o`), but a link within it that a build would write through is either
//! a mistake or an attempt to make the build overwrite or delete files elsewhere (a
//! `public/groups` leading to `~/.ssh`). Such a link is replaced by real content when
//! the build is made final: a link where a file goes is replaced by the file, one where
//! a folder goes by a real folder. Removing a link never touches what it points to, and
//! the output then holds exactly what the site says, so the build succeeds and nothing
//! outside the folder changes; refusing would only leave the volunteer to remove the
//! link by hand. While rendering, the writer only looks: each folder is looked at from
//! the top down, once per build, and nothing below a link (or below a folder that is
//! not there yet) is looked at at all, so no look goes through a link. A file to be
//! removed is removed as what it is, a link as a link, never through a folder that is a
//! link. A program racing the build to swap a checked folder for a link in between is
//! not guarded against (that would take opening every file relative to an open handle
//! of its folder, which the standard library does not offer).

mod commit;

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs;
use std::io::{self, ErrorKind, Read as _, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::render::{push_hex, MadeFrom, Sink};

pub use commit::STAGING;

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
/// (a failed build), it removes what it staged, and the output is as it was.
pub struct Writer {
    folder: PathBuf,
    /// The previous build's files, from the manifest.
    previous: HashMap<String, Option<Record>>,
    /// The manifest as it was, to leave it alone if nothing changed.
    previous_text: String,
    /// The previous build's hash of every path of the site.
    previous_paths: Option<u64>,
    state: Mutex<State>,
    /// Set once the build is final: from then on, what is staged is the next run's to
    /// complete if this one cannot.
    committed: bool,
    /// Set to stop the build ([`stop_all`]).
    stop: Arc<AtomicBool>,
    /// Whether the staging folder was made; held while it is made.
    staging_made: Mutex<bool>,
    /// The output folder and the folders above it, if this build made them (for the
    /// staging folder): removed again if it fails.
    created_folders: Mutex<Vec<PathBuf>>,
    /// The same, read without waiting once it is true.
    staging_ready: AtomicBool,
    /// The name of the next file staged.
    next_staged: AtomicUsize,
}

#[derive(Default)]
struct State {
    /// Folders known to be real folders, by their plainly written relative paths (as
    /// [`safe_relative`] gives; `""` is the output folder): a path's bytes hash far
    /// quicker than its parts.
    real: foldhash::HashSet<OsString>,
    /// Folders known not to be real folders yet (missing, a link, or a file of the
    /// previous build there), made when the build is final: nothing below them is
    /// looked at.
    missing: foldhash::HashSet<OsString>,
    /// Each staged file's name in the staging folder, and its path in the output.
    staged: Vec<(String, String)>,
    /// What goes into the new manifest.
    entries: Vec<(String, Record)>,
    /// This build's hash of every path of the site.
    paths: Option<u64>,
    report: WriteReport,
}

impl Writer {
    /// Starts writing into `folder`, which need not exist yet. What an earlier run that
    /// was stopped left there is dealt with first: a build it had made final is
    /// completed, anything else it staged is removed.
    pub fn open(folder: &Path) -> Result<Writer, WriteError> {
        commit::recover(folder)?;
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
        Ok(Writer {
            folder: folder.to_path_buf(),
            previous: parse_manifest(&previous_text),
            previous_paths,
            previous_text,
            state: Mutex::default(),
            committed: false,
            stop,
            staging_made: Mutex::new(false),
            created_folders: Mutex::default(),
            staging_ready: AtomicBool::new(false),
            next_staged: AtomicUsize::new(0),
        })
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

    /// Whether the folder `relative` (within the output folder) is a real folder now,
    /// as is every folder on the way to it. If not, it is made when the build is final
    /// (a link there is then replaced, a file of the previous build removed); a file
    /// of someone else's there is an error now, before anything changed. Nothing is
    /// changed here. The folders are looked at from the top down, each only if the one
    /// above it is a real folder, so that no look goes through a link; each is looked
    /// at once per build.
    fn look_at_folder(&self, relative: &Path) -> Result<bool, WriteError> {
        // The folders not yet known, from `relative` up to the nearest known one (`""`,
        // the output folder itself, last if it is not known either), and whether that
        // one is real.
        let mut unknown = Vec::new();
        let mut real = true;
        {
            let state = self.state();
            let mut dir = Some(relative);
            while let Some(d) = dir {
                if state.real.contains(d.as_os_str()) {
                    break;
                }
                if state.missing.contains(d.as_os_str()) {
                    real = false;
                    break;
                }
                unknown.push(d);
                dir = parent(d);
            }
        }
        if unknown.is_empty() {
            return Ok(real);
        }
        let mut found = Vec::with_capacity(unknown.len());
        for d in unknown.into_iter().rev() {
            real = real && self.is_real_folder(d)?;
            found.push((d, real));
        }
        let mut state = self.state();
        for (d, real) in found {
            let known = match real {
                true => &mut state.real,
                false => &mut state.missing,
            };
            known.insert(d.as_os_str().to_owned());
        }
        Ok(real)
    }

    /// Whether `relative`, whose folder is a real one, is a real folder; an error if a
    /// file that is not the previous build's is where it goes.
    fn is_real_folder(&self, relative: &Path) -> Result<bool, WriteError> {
        if relative.as_os_str().is_empty() {
            // The user named this folder: a link there is followed.
            return Ok(self.folder.is_dir());
        }
        let path = self.folder.join(relative);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => Ok(true),
            Ok(meta) if meta.is_symlink() => Ok(false),
            // A file the previous build wrote, which this one does not (it makes a
            // folder there): removed when the build is final.
            Ok(_)
                if relative
                    .to_str()
                    .is_some_and(|p| self.previous.contains_key(p)) =>
            {
                Ok(false)
            }
            Ok(_) => Err(fail(&path)(file_in_the_way())),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(fail(&path)(e)),
        }
    }

    /// Whether the folder at `path` (`relative` in the output) holds nothing but files
    /// the previous build wrote, which this one does not (it writes a file there
    /// instead): the folder is then emptied and replaced when the build is final.
    fn holds_only_previous_files(&self, path: &Path) -> bool {
        walkdir::WalkDir::new(path)
            .into_iter()
            .all(|entry| match entry {
                Ok(entry) if entry.file_type().is_dir() => true,
                Ok(entry) => entry
                    .path()
                    .strip_prefix(&self.folder)
                    .ok()
                    .and_then(Path::to_str)
                    .is_some_and(|p| self.previous.contains_key(&p.replace('\\', "/"))),
                Err(_) => false,
            })
    }

    /// Makes sure the output folder exists, with the folders above it, noting those it
    /// created in `created`. The user named this folder, so a link there (or above it)
    /// is followed, not replaced.
    fn make_output_folder(&self, created: &mut Vec<PathBuf>) -> Result<(), WriteError> {
        if self.folder.is_dir() {
            return Ok(());
        }
        let mut missing = vec![self.folder.clone()];
        let mut path = self.folder.parent();
        while let Some(p) = path.filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
            missing.push(p.to_path_buf());
            path = p.parent();
        }
        for path in missing.into_iter().rev() {
            match fs::create_dir(&path) {
                Ok(()) => created.push(path),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(fail(&path)(e)),
            }
        }
        Ok(())
    }

    /// The staging folder, made (with the output folder, if need be) the first time a
    /// file is staged.
    fn staging(&self) -> Result<PathBuf, WriteError> {
        let staging = self.folder.join(STAGING);
        if self.staging_ready.load(Ordering::Acquire) {
            return Ok(staging);
        }
        let mut made = self
            .staging_made
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !*made {
            let mut created = Vec::new();
            let result = self.make_output_folder(&mut created);
            self.created_folders
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend(created);
            result?;
            // `Writer::open` removed any left by an earlier run.
            fs::create_dir(&staging).map_err(|e| {
                let error = match e.kind() {
                    ErrorKind::AlreadyExists => io::Error::new(e.kind(), "PeerPress's staging folder appeared during the build; is another build writing into the same folder?"),
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => read_only(e),
                    _ => e,
                };
                fail(&staging)(error)
            })?;
            *made = true;
            self.staging_ready.store(true, Ordering::Release);
        }
        Ok(staging)
    }

    /// Stages the new bytes of the file at `target` (for `path`), to be moved into
    /// place when the build is final.
    fn stage(&self, path: &str, target: &Path, bytes: &[u8]) -> Result<fs::Metadata, WriteError> {
        let staging = self.staging()?;
        let name = self.next_staged.fetch_add(1, Ordering::Relaxed).to_string();
        let staged = staging.join(&name);
        let file = create_new(&staged).map_err(fail(target))?;
        self.state().staged.push((name, path.to_string()));
        let meta = fill(file, bytes).map_err(fail(target))?;
        pause_at("staged");
        Ok(meta)
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

    /// Makes the build final: writes the plan of its changes (staged files to move,
    /// the previous build's files it does not produce to remove, the new manifest),
    /// then carries it out. If nothing changed, nothing is touched.
    pub fn commit(mut self) -> Result<WriteReport, WriteError> {
        self.stopped()?;
        let mut state = std::mem::take(&mut *self.state());
        // A first build into a folder has nothing of a previous one to remove.
        let current: HashSet<&str> = if self.previous.is_empty() {
            HashSet::new()
        } else {
            state.entries.iter().map(|(p, _)| p.as_str()).collect()
        };
        let mut stale: Vec<String> = self
            .previous
            .keys()
            .filter(|p| !current.contains(p.as_str()))
            .cloned()
            .collect();
        drop(current);
        stale.sort_unstable();

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
        if state.staged.is_empty() && stale.is_empty() && text == self.previous_text {
            self.committed = true;
            let report = state.report;
            crate::drop_in_background((state, std::mem::take(&mut self.previous), text));
            return Ok(report);
        }
        no_file_where_a_folder_goes(&self.folder, &state.entries)?;
        self.all_changed_folders_writable(&state, &stale)?;

        let staging = self.staging()?;
        let manifest = staging.join(commit::STAGED_MANIFEST);
        // Flushed to the disk before the plan, unlike the pages: a page whose bytes a
        // power cut loses no longer matches the manifest and is written again, but a
        // lost manifest would leave the next build unaware of this one's files.
        create_new(&manifest)
            .and_then(|mut file| {
                file.write_all(text.as_bytes())
                    .and_then(|()| file.sync_all())
            })
            .map_err(fail(&self.folder.join(MANIFEST)))?;
        let mut places = std::mem::take(&mut state.staged);
        places.push(commit::manifest_place());
        let plan = commit::Plan {
            removals: stale,
            places,
        };
        plan.write(&staging)?;
        // From here on, the build is final: if it cannot be completed now, the next
        // run completes it.
        self.committed = true;
        pause_at("intent");
        let removed =
            commit::carry_out(&self.folder, &staging, &plan).map_err(commit::unfinished)?;
        pause_at("finish");
        // Everything is in place: a staging folder left behind is removed next time.
        let _ = commit::finish(&staging);
        let mut report = state.report;
        report.removed = removed;
        crate::drop_in_background((state, plan, std::mem::take(&mut self.previous), text));
        Ok(report)
    }
}

/// The longest name, in bytes, of a file or folder that common file systems can hold
/// (ext4, APFS, NTFS and FAT's long names all stop at 255).
pub const LONGEST_NAME: usize = 255;

/// What is wrong with an output path that no file system (or the manifest, which
/// keeps one path a line) could hold, if anything: a name longer than
/// [`LONGEST_NAME`] bytes, or a line break. Asked of every file before anything is
/// written (`render` asks too, so that `check` reports it).
pub fn name_problem(path: &str) -> Option<String> {
    if let Some(long) = path.split('/').find(|name| name.len() > LONGEST_NAME) {
        let start: String = long.chars().take(40).collect();
        return Some(format!(
            "the name `{start}…` is too long ({} bytes; file systems hold names of at most {LONGEST_NAME})",
            long.len()
        ));
    }
    if path.contains(['\n', '\r']) {
        return Some(
            "the name has a line break in it, which PeerPress cannot keep track of".to_string(),
        );
    }
    None
}

/// Why Windows could not hold `path` (a part named like a device, such as `con` or
/// `aux.html`; ending in a dot or space; or with a character Windows keeps for itself),
/// if it could not. Such a site builds elsewhere but not on a volunteer's Windows computer.
pub fn windows_name_problem(path: &str) -> Option<String> {
    const DEVICES: [&str; 4] = ["con", "prn", "aux", "nul"];
    path.split('/').find_map(|name| {
        let stem = name.split('.').next().unwrap_or_default().trim_end();
        let numbered_port = stem.len() == 4
            && ["com", "lpt"]
                .iter()
                .any(|port| stem.get(..3).is_some_and(|s| s.eq_ignore_ascii_case(port)))
            && matches!(stem.as_bytes()[3], b'1'..=b'9');
        if numbered_port || DEVICES.iter().any(|d| stem.eq_ignore_ascii_case(d)) {
            return Some(format!(
                "Windows keeps the name `{stem}` for a device, so it cannot hold a file or folder named `{name}`"
            ));
        }
        if name.ends_with(['.', ' ']) {
            return Some(format!(
                "Windows cannot hold `{name}`, a name that ends with a dot or a space"
            ));
        }
        let kept = name
            .chars()
            .find(|c| r#"<>:"\|?*"#.contains(*c) || c.is_control())?;
        Some(format!(
            "Windows cannot hold `{name}`: it does not allow `{}` in a name",
            kept.escape_default()
        ))
    })
}

impl Writer {
    /// Makes sure, before the build is made final, that every folder it will change is
    /// one PeerPress may change: a read-only folder is then an error while the output is
    /// still as it was, not half-way through the changes. A folder to be made counts as
    /// the nearest real folder above it, where it will be made.
    fn all_changed_folders_writable(
        &self,
        state: &State,
        stale: &[String],
    ) -> Result<(), WriteError> {
        let mut folders: HashSet<PathBuf> = HashSet::new();
        folders.insert(PathBuf::new());
        let staged = state.staged.iter().map(|(_, path)| path.as_str());
        for path in staged.chain(stale.iter().map(String::as_str)) {
            let Some(relative) = safe_relative(path) else {
                continue;
            };
            let mut dir = parent(&relative);
            while let Some(d) = dir.filter(|d| state.missing.contains(d.as_os_str())) {
                dir = parent(d);
            }
            if let Some(d) = dir.filter(|d| !folders.contains(*d)) {
                folders.insert(d.to_path_buf());
            }
        }
        for relative in folders {
            let path = self.folder.join(&relative);
            match writable(&path) {
                Ok(()) => {}
                // The folder of a stale file may be gone already.
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(fail(&path)(read_only(e))),
            }
        }
        Ok(())
    }
}

/// Explains that a folder PeerPress may not change stopped the build before it changed
/// anything.
fn read_only(e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("PeerPress cannot change this folder ({e}), so nothing was changed; make it writable and build again"),
    )
}

/// Whether this process may create and remove entries in the folder at `path`
/// (`access(2)`, which also knows a file system mounted read-only).
#[cfg(unix)]
fn writable(path: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt as _;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())?;
    // SAFETY: `c_path` is a valid C string that outlives the call, which only reads it.
    if unsafe { libc::access(c_path.as_ptr(), libc::W_OK) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Elsewhere, a folder's read-only mark does not stop files being made in it.
#[cfg(not(unix))]
fn writable(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// Refuses a build that would make a file and, at the same path, a folder of files
/// (which no file system can hold), before anything is changed. The render refuses
/// such a site first; this keeps the plan from ever asking for it.
fn no_file_where_a_folder_goes(
    folder: &Path,
    entries: &[(String, Record)],
) -> Result<(), WriteError> {
    let paths: foldhash::HashSet<&str> = entries.iter().map(|(p, _)| p.as_str()).collect();
    for (path, _) in entries {
        let mut rest = path.as_str();
        while let Some((above, _)) = rest.rsplit_once('/') {
            if paths.contains(above) {
                let error = io::Error::new(
                    ErrorKind::AlreadyExists,
                    format!("the site makes both a file `{above}` and a folder of that name (for `{path}`)"),
                );
                return Err(fail(&folder.join(above))(error));
            }
            rest = above;
        }
    }
    Ok(())
}

/// For the tests of interrupted builds: with `PEERPRESS_PAUSE_AT=point:n` set, the
/// n-th time the build reaches `point` it says `paused at point` on its error output
/// and waits there for ever, to be killed at that exact instant. Points: `staged` (a
/// file staged), `intent` (the plan made final, nothing changed yet), `removed` and
/// `placed` (a step of the plan carried out), `finish` (all done but the clean-up).
fn pause_at(point: &str) {
    static PAUSE: std::sync::OnceLock<Option<(String, usize)>> = std::sync::OnceLock::new();
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let pause = PAUSE.get_or_init(|| {
        let value = std::env::var("PEERPRESS_PAUSE_AT").ok()?;
        let (name, n) = value.split_once(':')?;
        Some((name.to_string(), n.parse().ok()?))
    });
    let Some((name, n)) = pause else {
        return;
    };
    if name == point && COUNT.fetch_add(1, Ordering::SeqCst) + 1 == *n {
        eprintln!("paused at {point}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
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
    /// A build that did not become final removes what it staged (and the output folder,
    /// if it made it only for that): the output is as it was.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if *self
            .staging_made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
        {
            let _ = fs::remove_dir_all(self.folder.join(STAGING));
        }
        let created = self
            .created_folders
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        for folder in created.iter().rev() {
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

    fn previous_made_under(&self, folder: &str) -> Vec<String> {
        let mut paths: Vec<String> = self
            .previous
            .iter()
            .filter(|(path, record)| {
                path.starts_with(folder) && record.as_ref().is_some_and(|r| r.made_from.is_some())
            })
            .map(|(path, _)| path.clone())
            .collect();
        paths.sort_unstable();
        paths
    }

    fn read_back(&self, path: &str) -> Option<Vec<u8>> {
        // Asked only of pages kept, whose folders [`Sink::keep`] found real.
        read_file(&self.folder.join(safe_relative(path)?)).ok()
    }

    fn keep(
        &self,
        path: &str,
        made_from: MadeFrom,
        bytes: Option<&mut Vec<u8>>,
    ) -> Result<bool, WriteError> {
        self.keep_previous(path, made_from, bytes, true)
    }

    fn keep_file(&self, path: &str, made_from: MadeFrom) -> Result<bool, WriteError> {
        self.keep_previous(path, made_from, None, false)
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
        if let Some(problem) = name_problem(path) {
            return Err(fail(&target)(io::Error::new(
                ErrorKind::InvalidFilename,
                problem,
            )));
        }
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let size = bytes.len() as u64;
        // Its folder first, so that the look at the file below goes through no link.
        let folder_real = match parent(&relative) {
            Some(parent) => self.look_at_folder(parent)?,
            None => true,
        };
        // The path itself, never what a link there points to: a link is replaced by the
        // file, and nothing is ever written through one out of the folder.
        let existing = if !folder_real {
            None
        } else {
            match fs::symlink_metadata(&target) {
                Ok(meta) => Some(meta),
                Err(e) if e.kind() == ErrorKind::NotFound => None,
                Err(e) => return Err(fail(&target)(e)),
            }
        };
        if existing.as_ref().is_some_and(fs::Metadata::is_dir)
            && !self.holds_only_previous_files(&target)
        {
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
        let meta = self.stage(path, &target, &bytes)?;
        let record = Record {
            entry: Entry {
                hash,
                size,
                modified: modified(&meta),
            },
            made_from,
        };
        let mut state = self.state();
        state.entries.push((path.to_string(), record));
        state.report.written += 1;
        Ok(())
    }
}

impl Writer {
    /// Keeps the previous build's file at `path` (see [`Sink::keep`]), counted among
    /// the pages kept if it is a `page`.
    fn keep_previous(
        &self,
        path: &str,
        made_from: MadeFrom,
        bytes: Option<&mut Vec<u8>>,
        page: bool,
    ) -> Result<bool, WriteError> {
        self.stopped()?;
        let (Some(Some(record)), Some(relative)) = (self.previous.get(path), safe_relative(path))
        else {
            return Ok(false);
        };
        // As in `put`: its folder looked at first, so that nothing kept is reached
        // through a link (and lost when the link is replaced).
        if let Some(parent) = parent(&relative) {
            if !self.look_at_folder(parent)? {
                return Ok(false);
            }
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
        if page {
            state.report.kept += 1;
        }
        Ok(true)
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

/// Whether anything on the way to `relative` is not a real folder: a symbolic link
/// (which could lead out of the output folder), a file (the file at `relative` is then
/// gone), or nothing. Such files are never removed.
fn passes_through_link(folder: &Path, relative: &Path) -> bool {
    let mut path = folder.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => {}
            _ => return true,
        }
    }
    false
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
    #[test]
    fn names_windows_cannot_hold_are_found() {
        for bad in [
            "con/index.html",
            "topics/aux/index.html",
            "static/NUL.txt",
            "com1.ics",
            "a/lpt9.html",
            "notes./index.html",
            "a /b.html",
            "time:table.pdf",
            "what?.html",
            "COM3.txt",
        ] {
            assert!(windows_name_problem(bad).is_some(), "{bad}");
        }
        for good in [
            "console/index.html",
            "topics/auxiliary/index.html",
            "com10.html",
            "com0.html",
            "nullable.css",
            "a.b/c.html",
            "coé.html",
            "lpté/x.html",
        ] {
            assert_eq!(windows_name_problem(good), None, "{good}");
        }
    }

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
        let writer = Writer::open(out).unwrap();
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
        let writer = Writer::open(&out).unwrap();
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
        let writer = Writer::open(&fresh).unwrap();
        writer.put("a/b/index.html", b"x".to_vec()).unwrap();
        drop(writer);
        assert!(!dir.path().join("new").exists());
    }

    #[test]
    fn a_stopped_writer_refuses_files_and_takes_back_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let writer = Writer::open(&out).unwrap();
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
        let writer = Writer::open(&out).unwrap();
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
    fn a_build_that_fails_leaves_a_link_alone() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = elsewhere(dir.path());
        let before = snapshot(&elsewhere);
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink("../elsewhere", out.join("groups")).unwrap();
        let writer = Writer::open(&out).unwrap();
        writer.put("groups/a/index.html", b"new".to_vec()).unwrap();
        writer
            .put("groups/c/d/index.html", b"new".to_vec())
            .unwrap();
        assert!(is_link(&out.join("groups")), "replaced only once final");
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
    fn a_link_in_the_staging_folders_place_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "a"), ("page.html", "a")], &out);
        let elsewhere = elsewhere(dir.path());
        let before = snapshot(&elsewhere);
        std::os::unix::fs::symlink(&elsewhere, out.join(STAGING)).unwrap();

        let files = [("index.html", "b"), ("page.html", "b")];
        assert_eq!(write(&files, &out), report(2, 0, 0));
        assert_eq!(snapshot(&elsewhere), before, "nothing outside changes");
        assert_eq!(fs::read_to_string(out.join("page.html")).unwrap(), "b");
        assert!(
            out.join(STAGING).symlink_metadata().is_err(),
            "nothing left"
        );

        // A link in the manifest's own place is neither read nor written through.
        let target = dir.path().join("target.txt");
        fs::write(&target, "keep").unwrap();
        fs::remove_file(out.join(MANIFEST)).unwrap();
        std::os::unix::fs::symlink(&target, out.join(MANIFEST)).unwrap();
        write(&[("index.html", "c")], &out);
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        assert!(!is_link(&out.join(MANIFEST)));
    }

    #[test]
    fn files_of_the_users_named_like_peerpress_files_are_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "a"), ("page.html", "a")], &out);
        // Names older versions used for their temporary files.
        for name in ["index.html.peerpress-tmp", "notes.peerpress-tmp"] {
            fs::write(out.join(name), "mine").unwrap();
        }
        write(&[("index.html", "b")], &out);
        let writer = Writer::open(&out).unwrap();
        writer.put("index.html", b"c".to_vec()).unwrap();
        drop(writer);
        for name in ["index.html.peerpress-tmp", "notes.peerpress-tmp"] {
            assert_eq!(fs::read_to_string(out.join(name)).unwrap(), "mine");
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "b");
    }

    #[test]
    fn a_file_where_a_folder_goes_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("groups"), "a file").unwrap();
        let writer = Writer::open(&out).unwrap();
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
        fs::write(out.join("docs/notes.txt"), "mine").unwrap();
        let before: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        // A folder where a file should go, holding a file of the user's.
        let writer = Writer::open(&out).unwrap();
        let error = writer.put("docs", b"x".to_vec()).unwrap_err();
        assert_eq!(error.error.kind(), ErrorKind::IsADirectory);
        drop(writer);
        // A folder that cannot be made, below one that could: refused before anything.
        let writer = Writer::open(&out).unwrap();
        let long = format!("news/{}/index.html", "x".repeat(300));
        writer.put("news/index.html", b"x".to_vec()).unwrap();
        let error = writer.put(&long, b"x".to_vec()).unwrap_err();
        assert!(error.to_string().contains("too long"), "{error}");
        drop(writer);
        let after: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        assert_eq!(before, after, "`news/` is taken back too");
    }

    #[test]
    fn a_file_and_a_folder_of_the_previous_build_can_swap_places() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = |items: &[(&str, &str)]| write(items, &out);
        files(&[
            ("index.html", "home"),
            ("logo", "a file"),
            ("docs/a/b.png", "b"),
        ]);
        // `logo` becomes a folder, `docs` a file.
        let swapped = [
            ("index.html", "home"),
            ("logo/x.png", "x"),
            ("docs", "a file"),
        ];
        assert_eq!(files(&swapped), report(2, 1, 2));
        assert_eq!(fs::read_to_string(out.join("logo/x.png")).unwrap(), "x");
        assert_eq!(fs::read_to_string(out.join("docs")).unwrap(), "a file");
        // And back.
        files(&[
            ("index.html", "home"),
            ("logo", "a file"),
            ("docs/a/b.png", "b"),
        ]);
        assert_eq!(fs::read_to_string(out.join("logo")).unwrap(), "a file");
        assert_eq!(fs::read_to_string(out.join("docs/a/b.png")).unwrap(), "b");
    }

    #[test]
    fn a_build_making_a_file_and_a_folder_of_one_name_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[("index.html", "a")], &out);
        let writer = Writer::open(&out).unwrap();
        writer.put("index.html", b"b".to_vec()).unwrap();
        writer.put("news", b"x".to_vec()).unwrap();
        writer.put("news/index.html", b"x".to_vec()).unwrap();
        let error = writer.commit().unwrap_err();
        assert!(error.to_string().contains("both a file"), "{error}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "a");
        assert!(!out.join("news").exists() && !out.join(STAGING).exists());

        // Into a folder that did not exist: nothing at all is left.
        let fresh = dir.path().join("new/public");
        let writer = Writer::open(&fresh).unwrap();
        writer.put("news", b"x".to_vec()).unwrap();
        writer.put("news/index.html", b"x".to_vec()).unwrap();
        assert!(writer.commit().is_err());
        assert!(!dir.path().join("new").exists());
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
