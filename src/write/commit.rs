//! Making a build's changes to the output folder final, in a way that a kill at any
//! instant cannot leave half done for good.
//!
//! While a build renders, everything it changes waits in a private folder inside the
//! output folder, [`STAGING`], under names of its own choosing (`0`, `1`, …), so nothing
//! the visitor sees or the user put there is touched, and no name of the user's can ever
//! be mistaken for one of PeerPress's. Once the whole site has rendered without error,
//! the writer writes a [`Plan`] there, the **intent**: which files of the previous build
//! to remove, then which waiting file goes where, the new manifest last. The intent is
//! written to a file of another name, flushed to the disk with everything it refers to,
//! and renamed to [`INTENT`]: that rename is the moment the build becomes final. Then the
//! plan is carried out, and the staging folder removed.
//!
//! Every step of the plan can be done again without harm (a file already removed is
//! skipped, a waiting file already moved is no longer there to move), so the next run,
//! finding the staging folder, completes a plan it finds there, whatever version of the
//! site it builds, and otherwise just removes the folder: before the intent existed,
//! nothing outside the staging folder had changed.

use std::collections::HashMap;
use std::fs;
use std::io::{self, ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use super::{
    fail, file_in_the_way, parent, passes_through_link, pause_at, remove_empty_parents,
    remove_entry, removing, safe_relative, WriteError, MANIFEST,
};

/// The folder, inside the output folder, where a build's new and changed files wait.
pub const STAGING: &str = ".peerpress-staging";

/// The file in the staging folder that makes a build final once it exists.
pub const INTENT: &str = "intent";

/// Where the intent is written before it is renamed to [`INTENT`].
const INTENT_PART: &str = "intent.part";

/// The name of the new manifest while it waits in the staging folder.
pub const STAGED_MANIFEST: &str = "manifest";

/// The intent's first line.
const INTENT_HEADER: &str = "# PeerPress: changes to make to this folder (v1).";

/// The intent's last line: a plan without it is not complete.
const INTENT_END: &str = "# end";

/// What a build changes in the output folder, in the order it is done.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files of the previous build that this one does not produce.
    pub removals: Vec<String>,
    /// Each waiting file's name in the staging folder, and the path it goes to.
    pub places: Vec<(String, String)>,
}

impl Plan {
    fn text(&self) -> String {
        let mut text = String::with_capacity(64 * (self.removals.len() + self.places.len()));
        text.push_str(INTENT_HEADER);
        text.push('\n');
        for path in &self.removals {
            text.push_str("remove ");
            text.push_str(path);
            text.push('\n');
        }
        for (staged, path) in &self.places {
            text.push_str("place ");
            text.push_str(staged);
            text.push(' ');
            text.push_str(path);
            text.push('\n');
        }
        text.push_str(INTENT_END);
        text.push('\n');
        text
    }

    /// Reads a complete plan; anything else (cut short, or not ours) is `None`.
    fn parse(text: &str) -> Option<Plan> {
        let mut lines = text.lines();
        if lines.next()? != INTENT_HEADER {
            return None;
        }
        let mut plan = Plan::default();
        for line in lines {
            if line == INTENT_END {
                return Some(plan);
            }
            if let Some(path) = line.strip_prefix("remove ") {
                plan.removals.push(path.to_string());
            } else {
                let (staged, path) = line.strip_prefix("place ")?.split_once(' ')?;
                plan.places.push((staged.to_string(), path.to_string()));
            }
        }
        None
    }

    /// Writes the plan into `staging` and makes it final: once this returns, the build
    /// will be completed, by this run or the next. The plan is flushed to the disk
    /// before it takes its name, and its name after, so that it outlasts a power cut
    /// as well as a kill. The staged pages are not flushed one by one (on a busy disk
    /// that took a second per build): if a power cut loses the bytes of one after it
    /// was moved, its size no longer matches the manifest's (which was flushed), and
    /// the next build writes it again.
    pub fn write(&self, staging: &Path) -> Result<(), WriteError> {
        let part = staging.join(INTENT_PART);
        let intent = staging.join(INTENT);
        let mut file = super::create_new(&part).map_err(fail(&part))?;
        file.write_all(self.text().as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(fail(&part))?;
        fs::rename(&part, &intent).map_err(fail(&intent))?;
        // The rename itself made lasting (where a folder can be opened to flush).
        if let Ok(folder) = fs::File::open(staging) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

/// Carries out `plan` in `folder`: removes the files it lists (each only if it is
/// still a file or link, never through a link), then moves each waiting file to its
/// place, making real folders on the way (a link where a folder goes is replaced, never
/// followed). Returns how many files it removed. Doing it again does no harm.
pub fn carry_out(folder: &Path, staging: &Path, plan: &Plan) -> Result<usize, WriteError> {
    let mut removed = 0;
    for old in &plan.removals {
        let Some(relative) = safe_relative(old) else {
            continue;
        };
        if passes_through_link(folder, &relative) {
            continue;
        }
        let target = folder.join(&relative);
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => return Err(removing(&target, e)),
        }
        match remove_entry(&target) {
            Ok(()) => {
                removed += 1;
                remove_empty_parents(folder, &relative);
                pause_at("removed");
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(removing(&target, e)),
        }
    }
    // Each real folder met, and whether this run made it (nothing was in it before).
    let mut real = HashMap::new();
    for (staged, path) in &plan.places {
        let Some(relative) = safe_relative(path) else {
            continue;
        };
        let from = staging.join(staged);
        let fresh = match parent(&relative) {
            Some(above) => make_real_folders(folder, above, &mut real)?,
            None => false,
        };
        let to = folder.join(&relative);
        // A folder where the file goes held only the previous build's files, removed
        // above (the writer checked); what is left of it is empty folders.
        if !fresh && fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            remove_empty_folders(&to).map_err(fail(&to))?;
        }
        match fs::rename(&from, &to) {
            Ok(()) => {}
            // Moved already, by a run that was stopped after it.
            Err(e) if e.kind() == ErrorKind::NotFound && fs::symlink_metadata(&from).is_err() => {
                continue
            }
            Err(e) => return Err(fail(&to)(e)),
        }
        pause_at("placed");
    }
    Ok(removed)
}

/// Makes `relative` and every folder above it (inside `folder`) real folders, from the
/// top down: a missing one is made, a link is replaced (only the link is removed).
/// Returns whether this run made `relative` or a folder above it, so that nothing can be
/// in it yet.
fn make_real_folders(
    folder: &Path,
    relative: &Path,
    real: &mut HashMap<PathBuf, bool>,
) -> Result<bool, WriteError> {
    if let Some(&fresh) = real.get(relative) {
        return Ok(fresh);
    }
    let above_fresh = match parent(relative) {
        Some(above) => make_real_folders(folder, above, real)?,
        None => false,
    };
    let path = folder.join(relative);
    let made = if relative.as_os_str().is_empty() {
        // The output folder itself, which the user named: a link there is followed.
        fs::create_dir_all(&path).map_err(fail(&path))?;
        false
    } else if above_fresh {
        fs::create_dir(&path).map_err(fail(&path))?;
        true
    } else {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => false,
            Ok(meta) if meta.is_symlink() => {
                remove_entry(&path).map_err(fail(&path))?;
                fs::create_dir(&path).map_err(fail(&path))?;
                true
            }
            Ok(_) => return Err(fail(&path)(file_in_the_way())),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                fs::create_dir(&path).map_err(fail(&path))?;
                true
            }
            Err(e) => return Err(fail(&path)(e)),
        }
    };
    let fresh = above_fresh || made;
    real.insert(relative.to_path_buf(), fresh);
    Ok(fresh)
}

/// Removes a folder that holds nothing but empty folders. Never removes a file: a
/// folder with one in it is an error.
fn remove_empty_folders(path: &Path) -> io::Result<()> {
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            remove_empty_folders(&entry.path())?;
        }
    }
    fs::remove_dir(path).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "a folder of that name is in the way and is not empty ({e}); move or delete it"
            ),
        )
    })
}

/// Whatever an earlier run left in `folder`'s staging folder is dealt with: a plan that
/// was made final is completed; anything else is removed, as nothing outside the
/// staging folder had been changed yet. Does nothing if there is no staging folder.
pub fn recover(folder: &Path) -> Result<(), WriteError> {
    let staging = folder.join(STAGING);
    match fs::symlink_metadata(&staging) {
        Ok(meta) if meta.is_dir() => {}
        // A link never leads the removal out of the folder: only the link goes.
        Ok(meta) if meta.is_symlink() => return remove_entry(&staging).map_err(fail(&staging)),
        Ok(_) => {
            let error = io::Error::new(
                ErrorKind::AlreadyExists,
                format!("PeerPress keeps unfinished work in a folder named `{STAGING}`, and a file of that name is in the way; move or delete it"),
            );
            return Err(fail(&staging)(error));
        }
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(fail(&staging)(e)),
    }
    let intent = staging.join(INTENT);
    match fs::read_to_string(&intent) {
        Ok(text) => {
            if let Some(plan) = Plan::parse(&text) {
                carry_out(folder, &staging, &plan).map_err(unfinished)?;
            }
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(fail(&intent)(e)),
    }
    finish(&staging)
}

/// Removes the staging folder once its plan is carried out (or there was none): the
/// intent first, so that a run stopped meanwhile finds no plan to carry out again.
pub fn finish(staging: &Path) -> Result<(), WriteError> {
    match fs::remove_file(staging.join(INTENT)) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(fail(staging)(e)),
        _ => {}
    }
    // `remove_dir_all` removes links inside as links, never what they point to.
    fs::remove_dir_all(staging).map_err(fail(staging))
}

/// Rewords an error met while carrying out a final plan: the output is part old, part
/// new until a run completes it.
pub fn unfinished(e: WriteError) -> WriteError {
    let error = io::Error::new(
        e.error.kind(),
        format!("{}; the site in the output folder is only partly updated, and the next build will finish the update once this is put right", e.error),
    );
    WriteError {
        path: e.path,
        error,
    }
}

/// The manifest's place, as the plan names it.
pub fn manifest_place() -> (String, String) {
    (STAGED_MANIFEST.to_string(), MANIFEST.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_reads_back_and_a_plan_cut_short_is_no_plan() {
        let plan = Plan {
            removals: vec!["old/index.html".into(), "a b.png".into()],
            places: vec![("0".into(), "new/index.html".into()), manifest_place()],
        };
        let text = plan.text();
        assert_eq!(Plan::parse(&text), Some(plan));
        for cut in 0..text.len() - 1 {
            if text.is_char_boundary(cut) {
                assert_eq!(Plan::parse(&text[..cut]), None, "{cut}");
            }
        }
    }
}
