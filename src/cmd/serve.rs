//! `peerpress serve [SITE]`: preview the site, rebuilt and reloaded on every save.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use peerpress::serve::{self, ServeEvent, ServeOptions};

use super::report;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder (the one with `site.yaml`).
    #[arg(default_value = ".")]
    site: PathBuf,
    /// The port to listen on; if it is taken, the next free one is used.
    #[arg(short, long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on. Only this computer can connect unless you change it.
    #[arg(short, long, default_value = "127.0.0.1")]
    interface: IpAddr,
    /// Open the site in the web browser.
    #[arg(long)]
    open: bool,
    /// Include pages, groups and entries marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Poll for changes instead of relying on the operating system's notifications
    /// (for network drives and containers).
    #[arg(long)]
    poll: bool,
}

pub fn run(args: Args) -> ExitCode {
    if !args.site.join("site.yaml").is_file() {
        eprintln!(
            "error: `{}` is not a PeerPress site: it has no `site.yaml`",
            args.site.display()
        );
        eprintln!(
            "  = help: check the folder name, or create a new site with `peerpress init {}`",
            args.site.display()
        );
        return ExitCode::from(1);
    }
    if let Err(code) = super::now_or_usage_error() {
        return code;
    }
    let open = args.open;
    let options = ServeOptions {
        site_dir: args.site,
        interface: args.interface,
        port: args.port,
        drafts: args.drafts,
        poll: args.poll,
        debounce: Duration::from_millis(50),
        header_timeout: header_timeout(),
        max_connections: ServeOptions::MAX_CONNECTIONS,
    };
    let result = serve::run(
        options,
        || super::now().unwrap_or_else(|_| jiff::Timestamp::now()),
        move |event| match event {
            ServeEvent::Listening { url, .. } => {
                println!("Serving the site at {url} (press Ctrl-C to stop).");
                if open {
                    open_browser(&url);
                }
            }
            ServeEvent::Built {
                pages,
                elapsed,
                warnings,
                changed,
            } => {
                report::diagnostics(&warnings);
                if changed.is_empty() {
                    println!(
                        "Built {} in {}.",
                        report::plural(pages, "page"),
                        report::duration(elapsed)
                    );
                } else {
                    println!(
                        "Rebuilt in {} after a change to {}.",
                        report::duration(elapsed),
                        describe(&changed)
                    );
                }
            }
            ServeEvent::Failed {
                diagnostics,
                changed,
            } => {
                if changed.is_empty() {
                    report::diagnostics_then(
                        &diagnostics,
                        "the site could not be built",
                        "fix the problems and save: the site is rebuilt as soon as it can be",
                    );
                } else {
                    report::diagnostics_then(
                        &diagnostics,
                        &format!("the change to {} broke the build", describe(&changed)),
                        "the browser keeps showing the last good version until it is fixed",
                    );
                }
            }
            ServeEvent::WatchError(message) => eprintln!("warning: {message}"),
        },
    );
    match result {
        Ok(()) => {
            println!("Stopped.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            ExitCode::from(1)
        }
    }
}

/// Overrides the header and idle timeout, in milliseconds; the tests use it so they need
/// not wait the default ten seconds.
const HEADER_TIMEOUT_VARIABLE: &str = "PEERPRESS_SERVE_HEADER_TIMEOUT_MS";

/// The header and idle timeout: the default, or `PEERPRESS_SERVE_HEADER_TIMEOUT_MS`.
fn header_timeout() -> Duration {
    let Some(value) = std::env::var_os(HEADER_TIMEOUT_VARIABLE) else {
        return ServeOptions::HEADER_TIMEOUT;
    };
    match value.to_str().and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(ms) if ms > 0 => Duration::from_millis(ms),
        _ => {
            eprintln!(
                "warning: ignoring {HEADER_TIMEOUT_VARIABLE}={}: it must be a number of milliseconds",
                value.to_string_lossy()
            );
            ServeOptions::HEADER_TIMEOUT
        }
    }
}

/// The changed files worth naming: editors' temporary files from an atomic save are
/// gone by now and have no extension, so they are left out.
fn describe(changed: &[PathBuf]) -> String {
    let named: Vec<&PathBuf> = changed.iter().filter(|p| p.extension().is_some()).collect();
    let mut names: Vec<String> = named
        .iter()
        .take(3)
        .map(|p| format!("`{}`", p.display()))
        .collect();
    if named.len() > 3 {
        names.push(format!("{} more", named.len() - 3));
    }
    if names.is_empty() {
        return "the site folder".to_string();
    }
    names.join(", ")
}

/// Asks the system to open `url` in the visitor's browser. Whatever the opener prints is
/// hidden (`xdg-open` without a browser prints several lines of its own); if it cannot be
/// started or says it failed, one line says so. It runs on its own thread because an
/// opener may wait until the browser it started is closed.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let url = url.to_string();
    std::thread::spawn(move || {
        if !command.status().is_ok_and(|status| status.success()) {
            eprintln!("Could not open a web browser on this computer; open {url} in one yourself.");
        }
    });
}
