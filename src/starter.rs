//! `peerpress init`: a small, working starter site, embedded in the binary.

use std::fs;
use std::path::Path;

use include_dir::{include_dir, Dir};

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/starter/site");

/// Writes the starter site into `folder`, which must not exist or be empty: `init`
/// never overwrites anyone's files.
pub fn init(folder: &Path) -> Result<usize, String> {
    if folder.exists() {
        let empty = fs::read_dir(folder)
            .map_err(|e| format!("cannot read `{}`: {e}", folder.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!("`{}` already exists and is not empty; choose a new folder name so nothing is overwritten", folder.display()));
        }
    }
    let mut count = 0;
    for file in crate::load::embedded_files(&STARTER) {
        let target = folder.join(file.path());
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        fs::write(&target, file.contents())
            .map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
        count += 1;
    }
    Ok(count)
}
