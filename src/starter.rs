//! `peerpress init`: a small, working starter site, embedded in the binary, and the
//! files that publish it on the volunteer's host.

pub mod publish;

use std::fs;
use std::io::Write;
use std::path::Path;

use include_dir::{include_dir, Dir};

pub use publish::Host;

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/starter/site");

/// What `init` did, for the command to tell the volunteer.
#[derive(Debug)]
pub struct Created {
    /// How many files of the starter site were written: none when the folder already
    /// had a site.
    pub starter_files: usize,
    /// The publishing files written, as paths inside the site folder.
    pub written: Vec<String>,
    /// The publishing files that were already there and were left as they were.
    pub kept: Vec<String>,
}

/// Writes the starter site and `host`'s publishing files into `folder`, which must not
/// exist or be empty; or, when `folder` already has a site (a `site.yaml`), adds only
/// the publishing files that are not there yet. `init` never overwrites anyone's files.
pub fn init(folder: &Path, host: Host) -> Result<Created, String> {
    let shown = folder.display();
    let empty = !folder.exists()
        || fs::read_dir(folder)
            .map_err(|e| format!("cannot read `{shown}`: {e}"))?
            .next()
            .is_none();
    let mut created = Created {
        starter_files: 0,
        written: Vec::new(),
        kept: Vec::new(),
    };
    if empty {
        for file in crate::load::embedded_files(&STARTER) {
            write_new(&folder.join(file.path()), file.contents())?;
            created.starter_files += 1;
        }
    } else if !folder.join("site.yaml").is_file() {
        return Err(format!(
            "`{shown}` already exists and is not empty, and it has no site.yaml, so it is not a site folder\n\
             help: to start a new site, choose a new folder name, so nothing is overwritten; \
             to add publishing files to a site, give the folder that has its site.yaml"
        ));
    } else if host == Host::None {
        return Err(format!(
            "`{shown}` already has a site, and `--host none` adds no publishing files, so there is nothing to do\n\
             help: to add the files that publish it, name the host: `peerpress init --host github {shown}` \
             (or gitlab, or netlify)"
        ));
    }
    for file in host.files() {
        if write_new(&folder.join(&file.path), file.text.as_bytes())? {
            created.written.push(file.path);
        } else {
            created.kept.push(file.path);
        }
    }
    Ok(created)
}

/// Writes `target` unless something is already there: true if it wrote it. Opening with
/// `create_new` makes "is it there?" and "write it" one step, so nothing written in
/// between is ever overwritten.
fn write_new(target: &Path, contents: &[u8]) -> Result<bool, String> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create the folder `{}`: {e}", parent.display()))?;
    }
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(format!("cannot write `{}`: {e}", target.display())),
    };
    file.write_all(contents)
        .map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
    Ok(true)
}
