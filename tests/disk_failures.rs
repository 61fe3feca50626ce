//! A build that cannot write, because the disk is full or a folder is read-only,
//! fails with the output folder exactly as it was, manifest included; once the disk has
//! room or the folder is writable again, a build of either version gives what a clean
//! build gives.
//!
//! A full disk needs a small file system of its own: a `tmpfs` mounted for the test,
//! which takes root on Linux (continuous integration runs as root); elsewhere the test
//! says why it is skipped and passes. A read-only folder is made with the folder's
//! permissions, or, for root (whom permissions do not stop), by mounting it again
//! read-only over itself.
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::versions::{differences, exact_tree, tree, version};

/// `peerpress build` of `site` into `out`; its error output if it failed.
fn build(site: &common::Fixture, out: &Path) -> Result<(), String> {
    let output = common::peerpress()
        .arg("build")
        .arg(site.path())
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&output.stderr).into_owned();
    match output.status.code() {
        Some(0) => Ok(()),
        Some(1) => Err(message),
        other => panic!("exit code {other:?}: {message}"),
    }
}

/// Runs a command, and says why it failed if it did.
fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    match output.status.success() {
        true => Ok(()),
        false => Err(format!(
            "`{program} {}`: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// A mount made for a test, unmounted when dropped.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = run("umount", &[&self.0.display().to_string()]);
    }
}

fn is_root() -> bool {
    // SAFETY: `geteuid` takes nothing and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn a_full_disk_changes_nothing_and_the_next_build_completes() {
    let sites = [version(false), version(true)];
    let dir = tempfile::tempdir().unwrap();
    let clean: Vec<_> = sites
        .iter()
        .enumerate()
        .map(|(i, site)| {
            let out = dir.path().join(format!("clean-{i}"));
            build(site, &out).unwrap();
            tree(&out)
        })
        .collect();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = if !cfg!(target_os = "linux") {
        Err("a tmpfs of a chosen size is Linux's".to_string())
    } else if !is_root() {
        Err("mounting a tmpfs needs root".to_string())
    } else {
        let disk = disk.display().to_string();
        run("mount", &["-t", "tmpfs", "-o", "size=16m", "tmpfs", &disk])
    };
    let _mounted = match mounted {
        Ok(()) => Mounted(disk.clone()),
        Err(reason) => {
            println!("skipped: the full-disk test needs a small file system of its own ({reason})");
            return;
        }
    };
    let out = disk.join("public");
    build(&sites[0], &out).unwrap();
    // The disk filled up to all but `room` bytes, for ever less room: B, which changes
    // every page, never fits (tmpfs gives each file whole pages of 4 KiB).
    let needs: u64 = clean[1]
        .values()
        .flatten()
        .map(|bytes| (bytes.len() as u64).div_ceil(4096) * 4096)
        .sum();
    for room in [needs / 2, needs / 8, 4096, 0] {
        let filler = disk.join("filler");
        fill(&filler, &disk, room);
        let before = exact_tree(&out);
        let message = build(&sites[1], &out).expect_err("the disk is full");
        assert!(message.contains("No space left"), "{message}");
        let after = exact_tree(&out);
        assert!(
            after == before,
            "{room} bytes free: {:?}",
            differences(&before, &after)
        );
        // The previous version still builds (it writes nothing).
        build(&sites[0], &out).unwrap();
        assert_eq!(tree(&out), clean[0]);
        std::fs::remove_file(&filler).unwrap();
    }
    build(&sites[1], &out).unwrap();
    assert!(
        tree(&out) == clean[1],
        "{:?}",
        differences(&clean[1], &tree(&out))
    );
    build(&sites[0], &out).unwrap();
    assert!(
        tree(&out) == clean[0],
        "{:?}",
        differences(&clean[0], &tree(&out))
    );
}

/// Fills the file system of `disk` with the file `filler`, leaving about `room` bytes.
fn fill(filler: &Path, disk: &Path, room: u64) {
    use std::io::Write as _;
    let mut file = std::fs::File::create(filler).unwrap();
    let chunk = vec![0u8; 4096];
    while file.write_all(&chunk).is_ok() {}
    drop(file);
    let size = std::fs::metadata(filler).unwrap().len();
    let keep = size.saturating_sub(room);
    std::fs::OpenOptions::new()
        .write(true)
        .open(filler)
        .unwrap()
        .set_len(keep)
        .unwrap();
    assert!(disk.join("public").exists());
}

#[test]
fn a_read_only_folder_changes_nothing_and_the_next_build_completes() {
    let sites = [version(false), version(true)];
    let dir = tempfile::tempdir().unwrap();
    let clean_b = dir.path().join("clean");
    build(&sites[1], &clean_b).unwrap();
    let out = dir.path().join("public");
    build(&sites[0], &out).unwrap();
    // A folder deep in the output whose page B changes, then the output folder itself.
    for folder in [out.join("news/item-100"), out.clone()] {
        let before = exact_tree(&out);
        let read_only = ReadOnly::make(&folder);
        let message = build(&sites[1], &out).expect_err("a folder is read-only");
        assert!(message.contains("make it writable"), "{message}");
        assert!(message.contains("nothing was changed"), "{message}");
        drop(read_only);
        let after = exact_tree(&out);
        assert!(after == before, "{:?}", differences(&before, &after));
    }
    build(&sites[1], &out).unwrap();
    assert!(
        tree(&out) == tree(&clean_b),
        "{:?}",
        differences(&tree(&clean_b), &tree(&out))
    );
}

/// A folder made read-only for a test, and writable again when dropped.
enum ReadOnly {
    Permissions(PathBuf),
    Mount(#[allow(dead_code)] Mounted),
}

impl ReadOnly {
    fn make(folder: &Path) -> ReadOnly {
        use std::os::unix::fs::PermissionsExt as _;
        if !is_root() {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
            return ReadOnly::Permissions(folder.to_path_buf());
        }
        let path = folder.display().to_string();
        run("mount", &["--bind", &path, &path]).unwrap();
        let mounted = Mounted(folder.to_path_buf());
        run("mount", &["-o", "remount,bind,ro", &path]).unwrap();
        ReadOnly::Mount(mounted)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt as _;
        if let ReadOnly::Permissions(folder) = self {
            let _ = std::fs::set_permissions(&*folder, std::fs::Permissions::from_mode(0o755));
        }
    }
}
