//! Watching the site folder for edits, from any kind of editor.
//!
//! The whole folder is watched recursively, so in-place writes, atomic saves (write a
//! temporary file, rename it over the original), deletions and new folders are all seen.
//! Editor temporary files and the output folder are ignored, and bursts of events are
//! debounced so that one save is one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::{Config, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::load::is_ignored_name;

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _inner: Box<dyn notify::Watcher + Send>,
    events: Receiver<PathBuf>,
    root: PathBuf,
}

impl Watcher {
    /// Watches `root`, ignoring anything under `ignore` (the output folder). `poll`
    /// polls instead of using the OS's notifications (for network and container file
    /// systems, where notifications do not arrive).
    pub fn new(root: &Path, ignore: Vec<PathBuf>, poll: bool) -> notify::Result<Watcher> {
        let (sender, events) = channel();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let ignore: Vec<PathBuf> = ignore
            .into_iter()
            .map(|p| p.canonicalize().unwrap_or(p))
            .collect();
        let filter_root = root.clone();
        let handler = move |result: notify::Result<notify::Event>| {
            let Ok(event) = result else { return };
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                if is_relevant(&filter_root, &ignore, &path) {
                    let _ = sender.send(path);
                }
            }
        };
        let mut inner: Box<dyn notify::Watcher + Send> = if poll {
            Box::new(PollWatcher::new(
                handler,
                Config::default()
                    .with_poll_interval(Duration::from_millis(300))
                    .with_compare_contents(true),
            )?)
        } else {
            Box::new(RecommendedWatcher::new(handler, Config::default())?)
        };
        inner.watch(&root, RecursiveMode::Recursive)?;
        Ok(Watcher {
            _inner: inner,
            events,
            root,
        })
    }

    /// Waits for the next change, then for `quiet` without further events (so one save,
    /// which editors often make as several file operations, is one rebuild). Returns the
    /// changed paths relative to the site folder, or `None` if the watcher stopped.
    pub fn next_change(&self, quiet: Duration) -> Option<Vec<PathBuf>> {
        let first = self.events.recv().ok()?;
        let mut changed = vec![first];
        loop {
            match self.events.recv_timeout(quiet) {
                Ok(path) => changed.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        let mut relative: Vec<PathBuf> = changed
            .into_iter()
            .map(|p| {
                p.strip_prefix(&self.root)
                    .map(Path::to_path_buf)
                    .unwrap_or(p)
            })
            .collect();
        relative.sort();
        relative.dedup();
        Some(relative)
    }
}

/// Whether a changed path can affect the site.
fn is_relevant(root: &Path, ignore: &[PathBuf], path: &Path) -> bool {
    if ignore.iter().any(|i| path.starts_with(i)) {
        return false;
    }
    let relative = path.strip_prefix(root).unwrap_or(path);
    // The pictures PeerPress made: writing them is no change to the site.
    if relative.starts_with(crate::images::CACHE_FOLDER) {
        return false;
    }
    !relative
        .components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_the_output_are_ignored() {
        let root = Path::new("/site");
        let ignore = vec![PathBuf::from("/site/public")];
        assert!(is_relevant(root, &ignore, Path::new("/site/groups/a.md")));
        assert!(!is_relevant(
            root,
            &ignore,
            Path::new("/site/.peerpress-cache/images/0a.jpg")
        ));
        assert!(!is_relevant(
            root,
            &ignore,
            Path::new("/site/public/index.html")
        ));
        for temp in [".a.md.swp", "a.md~", "#a.md#", "4913", "a.md.tmp", ".git"] {
            assert!(
                !is_relevant(root, &ignore, &Path::new("/site/groups").join(temp)),
                "{temp}"
            );
        }
    }
}
