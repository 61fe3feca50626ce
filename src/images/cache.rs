//! The pictures made by earlier builds, kept in `.peerpress-cache/images/` in the site
//! folder so that a rebuild does not encode them again. A file there is named by a hash
//! of everything it was made from (the picture's bytes, what was asked of it, and the
//! version of the encoding), so an entry is never stale: a changed picture or setting
//! simply looks for another name. The folder is never published, the watcher ignores
//! it, and deleting it only makes the next build slower.

use std::path::{Path, PathBuf};

use super::encode::Target;

/// The cache's folder, in the site folder.
pub const CACHE_FOLDER: &str = ".peerpress-cache";

/// Changed whenever the encoding changes what it makes, so older entries are not used.
const ENCODING_VERSION: u32 = 1;

pub struct Cache<'a> {
    folder: &'a Path,
}

impl<'a> Cache<'a> {
    pub fn new(folder: &'a Path) -> Cache<'a> {
        Cache { folder }
    }

    /// The file `target` made from `source`: from the cache, or made by `make` and kept.
    /// A cache that cannot be read or written is no cache: the build goes on.
    pub fn get_or_make(
        &self,
        source: &[u8],
        target: &Target,
        make: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Vec<u8>, String> {
        let path = self.entry(source, target);
        if let Ok(bytes) = std::fs::read(&path) {
            return Ok(bytes);
        }
        let made = make()?;
        self.keep(&path, &made);
        Ok(made)
    }

    fn entry(&self, source: &[u8], target: &Target) -> PathBuf {
        let mut key = xxhash_rust::xxh3::Xxh3::new();
        key.update(source);
        key.update(
            format!(
                "\0{ENCODING_VERSION} {:?} {} {} {}",
                target.format,
                target.width,
                target.height,
                super::JPEG_QUALITY
            )
            .as_bytes(),
        );
        let hash = key.digest128();
        self.folder
            .join(format!("{hash:032x}.{}", target.format.extension()))
    }

    /// Writes `bytes` to `path` whole or not at all: to a file of its own first, then
    /// renamed, so a build stopped halfway, or two at once, never leave half a picture.
    fn keep(&self, path: &Path, bytes: &[u8]) {
        if std::fs::create_dir_all(self.folder).is_err() {
            return;
        }
        static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temporary = path.with_extension(format!("{}-{n}.tmp", std::process::id()));
        if std::fs::write(&temporary, bytes).is_ok() && std::fs::rename(&temporary, path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}
