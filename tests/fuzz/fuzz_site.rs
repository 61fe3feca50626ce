//! fuzz-site: builds thousands of broken copies of the example site, each from a seed,
//! and reports every input that makes PeerPress crash, panic, hang, eat memory, give an
//! error that does not say which file (or line) is wrong, or change the output folder
//! when the build fails.
//!
//! ```text
//! cargo run --profile fuzz --example fuzz-site -- [--cases N] [--seed S] [--out DIR]
//!     [--timeout SECONDS] [--memory MIB] [--site DIR]
//! cargo run --profile fuzz --example fuzz-site -- --seed S --case I     (one case again)
//! ```
//!
//! Each case copies the site (the example site unless `--site`) into a temporary folder,
//! applies 1–4 mutations (`mutations.rs`) chosen by a generator seeded from `--seed` and
//! the case's number, and builds it into a copy of the unchanged site's output, as
//! `peerpress build` would. A case fails if the build
//!
//! - crashes (the process dies: a stack overflow aborts it) or panics;
//! - takes longer than `--timeout` (10 s by default);
//! - holds more than `--memory` MiB (2,048 by default; measured on Linux only);
//! - reports a problem without naming its file, or an error in a text file without its
//!   line;
//! - fails, yet changes a file of the output folder.
//!
//! Each failing case is written to `--out` (default `fuzz-failures/`) as a folder with
//! the mutated site, what was done to it, what went wrong, and the commands that make it
//! again. The exit code is 1 if any case failed.
//!
//! How it runs: a crash must not end the run, and a stack overflow cannot be caught
//! inside a process, so this program is a supervisor that starts itself again as a
//! worker process. The worker builds case after case in-process (no process start per
//! case, so a case takes milliseconds), each on a thread with a 1 MiB stack: as small as
//! the main thread's on Windows, the smallest PeerPress runs on, so recursion that
//! would only overflow there is caught here too. The worker announces each case before
//! building it; if it dies or goes quiet, the supervisor records that case, starts a
//! new worker after it, and goes on.

mod mutations;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};
use std::{env, fs};

use mutations::Rng;
use peerpress::build::{build, Failure};
use peerpress::diagnostics::Diagnostic;
use peerpress::model::Options;

/// The stack each case is built on (see the module documentation).
const CASE_STACK: usize = 1024 * 1024;

struct Args {
    cases: u64,
    seed: u64,
    /// Only this case (to make a failure again).
    case: Option<u64>,
    out: PathBuf,
    timeout: Duration,
    memory_mib: u64,
    site: PathBuf,
    /// Internal: run cases `from..to` in this process.
    worker: Option<(u64, u64)>,
}

fn usage() -> ! {
    eprintln!("usage: fuzz-site [--cases N] [--seed S] [--case I] [--out DIR] [--timeout SECONDS] [--memory MIB] [--site DIR]");
    std::process::exit(2)
}

fn parse_args() -> Args {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        cases: 1000,
        seed: 1,
        case: None,
        out: PathBuf::from("fuzz-failures"),
        timeout: Duration::from_secs(10),
        memory_mib: 2048,
        site: manifest.join("example-site"),
        worker: None,
    };
    let mut given = env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || given.next().unwrap_or_else(|| usage());
        let number = |text: String| text.parse::<u64>().unwrap_or_else(|_| usage());
        match flag.as_str() {
            "--cases" => args.cases = number(value()),
            "--seed" => args.seed = number(value()),
            "--case" => args.case = Some(number(value())),
            "--out" => args.out = PathBuf::from(value()),
            "--timeout" => args.timeout = Duration::from_secs(number(value())),
            "--memory" => args.memory_mib = number(value()),
            "--site" => args.site = PathBuf::from(value()),
            "--worker" => {
                let from = number(value());
                let to = number(value());
                args.worker = Some((from, to));
            }
            _ => usage(),
        }
    }
    args
}

fn main() {
    let args = parse_args();
    if let Some((from, to)) = args.worker {
        worker(&args, from, to);
        return;
    }
    let (from, to) = match args.case {
        Some(case) => (case, case + 1),
        None => (0, args.cases),
    };
    let failed = supervise(&args, from, to);
    std::process::exit(if failed { 1 } else { 0 });
}

/// The theme's folder, whose templates [`mutations::Mutation::TemplateOverride`] copies.
fn theme() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

/// The generator of case `case` of the run seeded `seed`.
fn case_rng(seed: u64, case: u64) -> Rng {
    let mut rng = Rng::new(seed ^ case.wrapping_mul(0xd1b5_4a32_d192_ed03));
    rng.next();
    rng
}

/// The moment every build is made at, so a case builds the same on any day.
fn options() -> Options {
    Options {
        base_url: None,
        origin: None,
        drafts: false,
        now: jiff::Timestamp::from_second(1_795_435_200).expect("a valid time"),
    }
}

// ---------------------------------------------------------------------------------------
// The supervisor

/// What went wrong with one case.
struct CaseFailure {
    case: u64,
    kind: String,
    detail: String,
}

/// Runs cases `from..to` in worker processes; whether any failed.
fn supervise(args: &Args, from: u64, to: u64) -> bool {
    let started = Instant::now();
    let mut failures: Vec<CaseFailure> = Vec::new();
    let mut tally: BTreeMap<String, u64> = BTreeMap::new();
    let mut next = from;
    while next < to {
        let mut child = spawn_worker(args, next, to);
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut current: Option<(u64, Instant)> = None;
        let ended = loop {
            match receive.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    let (word, rest) = line.split_once(' ').unwrap_or((&line, ""));
                    match word {
                        "start" => {
                            let case = rest.parse().unwrap_or(next);
                            current = Some((case, Instant::now()));
                        }
                        "done" => {
                            let (case, outcome) = rest.split_once(' ').unwrap_or((rest, ""));
                            *tally.entry(outcome.to_string()).or_default() += 1;
                            next = case.parse::<u64>().map_or(next, |c| c + 1);
                            current = None;
                            if next.is_multiple_of(1000) {
                                eprintln!(
                                    "{} cases in {:.0?}, {} failed",
                                    next - from,
                                    started.elapsed(),
                                    failures.len()
                                );
                            }
                        }
                        "fail" => {
                            let (kind, detail) = rest.split_once('\t').unwrap_or((rest, ""));
                            let case = current.map_or(next, |(c, _)| c);
                            failures.push(CaseFailure {
                                case,
                                kind: kind.to_string(),
                                detail: detail.replace("\\n", "\n"),
                            });
                            report(args, &failures);
                        }
                        _ => {}
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let Some((case, since)) = current else {
                        continue;
                    };
                    let problem = if since.elapsed() > args.timeout {
                        Some((
                            "timeout",
                            format!("still building after {:?}", args.timeout),
                        ))
                    } else {
                        memory_mib(&child)
                            .filter(|&mib| mib > args.memory_mib)
                            .map(|mib| ("memory", format!("held {mib} MiB")))
                    };
                    if let Some((kind, detail)) = problem {
                        let _ = child.kill();
                        let _ = child.wait();
                        failures.push(CaseFailure {
                            case,
                            kind: kind.into(),
                            detail,
                        });
                        report(args, &failures);
                        break Some(case);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child
                        .wait()
                        .map_or_else(|e| e.to_string(), |s| s.to_string());
                    match current {
                        Some((case, _)) => {
                            failures.push(CaseFailure {
                                case,
                                kind: "crash".into(),
                                detail: format!("the process ended: {status}"),
                            });
                            report(args, &failures);
                            break Some(case);
                        }
                        None if next < to => {
                            eprintln!("fuzz-site: the worker stopped between cases: {status}");
                            std::process::exit(2);
                        }
                        None => break None,
                    }
                }
            }
        };
        if let Some(case) = ended {
            *tally.entry("crash, timeout or memory".into()).or_default() += 1;
            next = case + 1;
        }
    }
    let cases = to - from;
    let outcomes: Vec<String> = tally.iter().map(|(k, v)| format!("{v} {k}")).collect();
    let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
    for f in &failures {
        *kinds.entry(&f.kind).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, v)| format!("{v} {k}")).collect();
    println!(
        "fuzz-site: {cases} cases (seed {}) in {:.1?}: {}; {} failures{}",
        args.seed,
        started.elapsed(),
        outcomes.join(", "),
        failures.len(),
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({}), written to {}", kinds.join(", "), args.out.display())
        }
    );
    !failures.is_empty()
}

fn spawn_worker(args: &Args, from: u64, to: u64) -> Child {
    let exe = env::current_exe().expect("the fuzzer's own path");
    Command::new(exe)
        .args(["--worker", &from.to_string(), &to.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .arg("--site")
        .arg(&args.site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a worker")
}

/// How much memory the worker holds, in MiB, where the system says (Linux).
#[cfg(target_os = "linux")]
fn memory_mib(child: &Child) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{}/status", child.id())).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

#[cfg(not(target_os = "linux"))]
fn memory_mib(_child: &Child) -> Option<u64> {
    None
}

/// Writes the folder of the case that failed last (as soon as it fails, so a long run
/// shows its failures as it goes): the mutated site, what went wrong, and how to make
/// it again.
fn report(args: &Args, failures: &[CaseFailure]) {
    let Some(last) = failures.last() else { return };
    let case = last.case;
    let dir = args.out.join(format!("seed-{}-case-{case}", args.seed));
    let _ = fs::remove_dir_all(&dir);
    let site = dir.join("site");
    copy_dir(&args.site, &site);
    let done = mutations::mutate(&site, &theme(), &mut case_rng(args.seed, case));
    let what: Vec<String> = failures
        .iter()
        .filter(|f| f.case == case)
        .map(|f| format!("{}: {}", f.kind, f.detail))
        .collect();
    let text = format!(
        "{what}\n\nMutations of {from}:\n{done}\n\nTo make it again:\n  \
         cargo run --profile fuzz --example fuzz-site -- --seed {seed} --case {case}\n  \
         peerpress build site --output-dir public\n\
         (for \"output changed\", build the unchanged site into `public` first)\n",
        what = what.join("\n"),
        from = args.site.display(),
        done = done
            .iter()
            .map(|d| format!("- {d}"))
            .collect::<Vec<_>>()
            .join("\n"),
        seed = args.seed,
    );
    let _ = fs::write(dir.join("failure.txt"), &text);
    eprintln!("case {case} failed ({}): see {}", last.kind, dir.display());
}

// ---------------------------------------------------------------------------------------
// The worker

/// Builds cases `from..to`, announcing each on stdout (`start`, then `fail` lines, then
/// `done` with the outcome), for the supervisor.
fn worker(args: &Args, from: u64, to: u64) {
    let work = tempfile::tempdir().expect("a temporary folder");
    let good_site = work.path().join("good-site");
    let good_output = work.path().join("good-output");
    copy_dir(&args.site, &good_site);
    if let Err(e) = build(&good_site, Some(&good_output), &options()) {
        eprintln!("the unchanged site does not build: {e:?}");
        std::process::exit(2);
    }
    let theme = theme();
    let mut out = std::io::stdout();
    for case in from..to {
        let _ = writeln!(out, "start {case}");
        let _ = out.flush();
        let dir = work.path().join("case");
        let _ = fs::remove_dir_all(&dir);
        let site = dir.join("site");
        let output = dir.join("public");
        copy_dir(&good_site, &site);
        copy_dir(&good_output, &output);
        let _ = mutations::mutate(&site, &theme, &mut case_rng(args.seed, case));
        let (outcome, problems) = run_case(&site, &output);
        for problem in problems {
            let _ = writeln!(out, "fail {}", problem.replace('\n', "\\n"));
        }
        let _ = writeln!(out, "done {case} {outcome}");
        let _ = out.flush();
    }
}

/// Builds one mutated site: how it ended (`built` or `refused`), and what was wrong,
/// each as `kind<TAB>detail`.
fn run_case(site: &Path, output: &Path) -> (&'static str, Vec<String>) {
    let before = snapshot(output);
    let site_owned = site.to_path_buf();
    let output_owned = output.to_path_buf();
    let handle = std::thread::Builder::new()
        .stack_size(CASE_STACK)
        .spawn(move || {
            std::panic::catch_unwind(|| build(&site_owned, Some(&output_owned), &options()))
        })
        .expect("start a thread");
    let result = match handle.join() {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) | Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return ("panicked", vec![format!("panic\t{message}")]);
        }
    };
    let mut problems = Vec::new();
    match result {
        Ok(summary) => {
            check_diagnostics(site, &summary.warnings, &mut problems);
            ("built", problems)
        }
        Err(failure) => {
            if let Failure::Content(diagnostics) = &failure {
                check_diagnostics(site, diagnostics, &mut problems);
            } else {
                problems.push(format!("build failed\t{failure:?}"));
            }
            if snapshot(output) != before {
                problems.push(
                    "output changed\tthe build failed, yet the output folder changed".to_string(),
                );
            }
            ("refused", problems)
        }
    }
}

/// Every problem must name its file, and an error in a text file its line too.
fn check_diagnostics(site: &Path, diagnostics: &[Diagnostic], problems: &mut Vec<String>) {
    for d in diagnostics {
        if d.file.as_os_str().is_empty() {
            problems.push(format!("no file\t{d}"));
            continue;
        }
        let path = site.join(&d.file);
        let is_text = path.is_file()
            && fs::read(&path).is_ok_and(|bytes| std::str::from_utf8(&bytes).is_ok());
        if d.is_error() && d.position.is_none() && is_text && !about_the_whole_file(d) {
            problems.push(format!("no line\t{d}"));
        }
    }
}

/// Problems that are about a file as a whole, not about any line of it.
fn about_the_whole_file(d: &Diagnostic) -> bool {
    [
        "this would make the same page as",
        "this is a link to a place outside the site folder",
        "this is not a regular file",
        "cannot read this file",
        "this file is too big",
        "this file is empty",
        "translation of `",
    ]
    .iter()
    .any(|words| d.message.contains(words))
}

/// The output folder's files, with their size, modification time and a hash of their
/// bytes: a failed build must leave all three alone.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, Option<SystemTime>, u64)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = fs::read(&path).unwrap_or_default();
            let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
            files.insert(path, (meta.len(), meta.modified().ok(), hash));
        }
    }
    files
}

/// Copies a folder, keeping the files' modification times (the output folder's
/// manifest records them).
fn copy_dir(from: &Path, to: &Path) {
    let _ = fs::create_dir_all(to);
    for entry in fs::read_dir(from).into_iter().flatten().flatten() {
        let source = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            copy_dir(&source, &target);
        } else if fs::copy(&source, &target).is_ok() {
            if let Ok(modified) = source.metadata().and_then(|m| m.modified()) {
                if let Ok(file) = fs::File::options().write(true).open(&target) {
                    let _ = file.set_modified(modified);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `dir`, with its bytes.
    fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                    files.insert(relative, fs::read(&path).unwrap());
                }
            }
        }
        files
    }

    #[test]
    fn a_case_is_made_again_exactly_from_its_seed() {
        let site = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let work = tempfile::tempdir().unwrap();
        let mut changed = 0;
        for case in 0..20 {
            let made: Vec<_> = ["a", "b"]
                .iter()
                .map(|copy| {
                    let dir = work.path().join(format!("{case}-{copy}"));
                    copy_dir(&site, &dir);
                    let done = mutations::mutate(&dir, &theme(), &mut case_rng(7, case));
                    (done, contents(&dir))
                })
                .collect();
            assert_eq!(made[0].0, made[1].0, "case {case}: the same mutations");
            assert!(made[0].1 == made[1].1, "case {case}: the same files");
            if made[0].1 != contents(&site) {
                changed += 1;
            }
        }
        // Nearly every case changes the site (a file renamed to its own name does not).
        assert!(changed >= 15, "only {changed} of 20 cases changed the site");
    }

    #[test]
    fn a_failed_build_that_touches_the_output_is_caught() {
        let work = tempfile::tempdir().unwrap();
        let site = work.path().join("site");
        let output = work.path().join("public");
        copy_dir(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-site"),
            &site,
        );
        build(&site, Some(&output), &options()).expect("the example site builds");
        fs::write(site.join("groups/carers.md"), "---\nname: [\n---\n").unwrap();
        let (outcome, problems) = run_case(&site, &output);
        assert_eq!(outcome, "refused");
        assert!(problems.is_empty(), "{problems:?}");
        // The check itself: a changed output is seen.
        let before = snapshot(&output);
        fs::write(output.join("index.html"), "changed").unwrap();
        assert_ne!(snapshot(&output), before);
    }
}
