//! A build killed at any instant leaves the output folder in a state the next run
//! repairs, whichever version of the site that run builds: the result is byte for byte
//! what a clean build of that version gives.
//!
//! Two versions of a site of a few hundred pages, A and B (`common::versions`), differ in every page (the
//! site's name changes), in pages removed and added, and in a static file that becomes
//! a folder and a folder that becomes a file. Builds of one over the other's output are
//! killed (SIGKILL on Unix, `TerminateProcess` on Windows: no clean-up runs) at random
//! moments and, through `PEERPRESS_PAUSE_AT`, at chosen points of the commit: while
//! files are staged, right after the plan is made final, in the middle of its removals
//! and moves, and just before the clean-up; some rounds kill a second run during its
//! repair too. Then a rebuild, of the old version or of the new one, must equal a clean
//! build of it. `PEERPRESS_INTERRUPTS` sets the number of rounds (30), and
//! `PEERPRESS_INTERRUPT_SEED` the seed.

mod common;

use std::io::BufRead as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::versions::{differences, exact_tree, tree, version};
use common::{Fixture, NOW};

fn peerpress(site: &Fixture, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_peerpress"));
    cmd.env("SOURCE_DATE_EPOCH", NOW)
        .arg("build")
        .arg(site.path())
        .arg("-o")
        .arg(out)
        .stdout(Stdio::null());
    cmd
}

fn build(site: &Fixture, out: &Path) {
    let output = peerpress(site, out)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{message}");
}

/// When to kill a build.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// This long after it starts.
    After(Duration),
    /// The n-th time it reaches a point of its commit (see `PEERPRESS_PAUSE_AT`).
    At(&'static str, usize),
}

/// Starts a build of `site` into `out` and kills it as `kill` says. Returns whether it
/// was still running when killed.
fn killed_build(site: &Fixture, out: &Path, kill: Kill) -> bool {
    let mut cmd = peerpress(site, out);
    match kill {
        Kill::After(delay) => {
            let mut child = cmd.stderr(Stdio::null()).spawn().unwrap();
            std::thread::sleep(delay);
            let running = child.try_wait().unwrap().is_none();
            let _ = child.kill();
            child.wait().unwrap();
            running
        }
        Kill::At(point, n) => {
            let mut child = cmd
                .env("PEERPRESS_PAUSE_AT", format!("{point}:{n}"))
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
            let mut paused = false;
            for line in stderr.lines() {
                if line.unwrap().starts_with("paused at") {
                    paused = true;
                    break;
                }
            }
            let _ = child.kill();
            child.wait().unwrap();
            paused
        }
    }
}

/// A small random number generator (splitmix64), so the test needs no dependency and
/// a seed replays a failure.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number from 1 to `n`.
    fn upto(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize + 1
    }
}

/// A moment to kill a build at: a point of the commit, or a time within `span`, the
/// time a whole build takes.
fn pick(random: &mut Random, span: Duration, files: usize, removals: usize) -> Kill {
    match random.upto(8) {
        1 | 2 => Kill::At("staged", random.upto(files)),
        3 => Kill::At("intent", 1),
        4 => Kill::At("removed", random.upto(removals)),
        5 | 6 => Kill::At("placed", random.upto(files)),
        7 => Kill::At("finish", 1),
        _ => Kill::After(span.mul_f64(random.upto(1000) as f64 / 800.0)),
    }
}

#[test]
fn a_build_killed_at_any_moment_is_repaired_by_the_next_whichever_version_it_builds() {
    let rounds: usize = std::env::var("PEERPRESS_INTERRUPTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let seed: u64 = std::env::var("PEERPRESS_INTERRUPT_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2026);
    let mut random = Random(seed);
    let sites = [version(false), version(true)];
    let dir = tempfile::tempdir().unwrap();
    let clean: Vec<_> = sites
        .iter()
        .enumerate()
        .map(|(i, site)| {
            let out = dir.path().join(format!("clean-{i}"));
            build(site, &out);
            tree(&out)
        })
        .collect();
    assert_ne!(clean[0], clean[1]);
    let files = clean[1].values().filter(|v| v.is_some()).count();
    let removals = clean[0]
        .iter()
        .filter(|(path, bytes)| bytes.is_some() && !clean[1].contains_key(*path))
        .count();

    let out = dir.path().join("public");
    build(&sites[0], &out);
    // How long a build of B over A takes, to spread the timed kills over one; the test
    // checks no time.
    let started = Instant::now();
    build(&sites[1], &out);
    let span = started.elapsed();
    build(&sites[0], &out);

    let mut current = 0;
    for round in 0..rounds {
        let next = 1 - current;
        let kill = pick(&mut random, span, files, removals);
        let before = exact_tree(&out);
        let was_running = killed_build(&sites[next], &out, kill);
        let context = format!(
            "round {round} (seed {seed}): a build of {} killed {kill:?}",
            ["A", "B"][next]
        );
        println!(
            "{context}: {}",
            if was_running { "killed" } else { "had ended" }
        );
        if let (Kill::At("staged", _), true) = (kill, was_running) {
            // Killed before its plan was made final: apart from its staging folder,
            // nothing changed, the manifest included.
            let mut after = exact_tree(&out);
            after.retain(|k, _| !k.starts_with(".peerpress-staging"));
            assert!(
                after == before,
                "{context}: {:?}",
                differences(&before, &after)
            );
        }
        if round % 5 == 4 {
            // A second run, of either version, killed while it repairs or builds.
            let other = random.upto(2) - 1;
            killed_build(&sites[other], &out, Kill::At("placed", random.upto(files)));
        }
        // Every other round rebuilds the old version, the others the new.
        let rebuilt = if round % 2 == 0 { current } else { next };
        build(&sites[rebuilt], &out);
        let after = tree(&out);
        assert!(
            after == clean[rebuilt],
            "{context}, then {} rebuilt: {:?}",
            ["A", "B"][rebuilt],
            differences(&clean[rebuilt], &after)
        );
        current = rebuilt;
    }
}
