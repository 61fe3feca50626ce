//! `serve`: build the site into memory, serve it over HTTP on this machine, and rebuild
//! and reload the browser on every save.
//!
//! The site is rebuilt in full on each change (Zola's lesson: full rebuilds in memory are
//! more reliable than clever incremental ones) and swapped in atomically. A build that
//! fails keeps the last good site served, with the error shown over it. Only the built
//! site is served, from memory, so no URL can reach a file on disk. It answers only to
//! its own address ([`host`]), so other web sites cannot read it through the visitor's
//! browser, and it times out and limits connections ([`connections`]), so other users of
//! the machine cannot stop it answering.

pub mod connections;
pub mod host;
pub mod live;
pub mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use crate::build::render_site_cached;
use crate::diagnostics::Diagnostic;
use crate::model::Options;

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site_dir: PathBuf,
    pub interface: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub poll: bool,
    /// How long a burst of file events must be quiet before rebuilding.
    pub debounce: Duration,
    /// How long a connection may take to send its request headers, or stay idle between
    /// requests, before it is closed (so idle connections cannot pile up).
    pub header_timeout: Duration,
    /// How many connections are served at once (beyond it, a quick `503`), so the
    /// server never runs out of file descriptors.
    pub max_connections: usize,
}

impl ServeOptions {
    /// The default header and idle timeout: long enough for any real browser.
    pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default connection limit: far more than a few browser tabs need, far fewer
    /// than the usual limit of 1,024 open files.
    pub const MAX_CONNECTIONS: usize = 256;
}

/// What happened, for the command to print.
#[derive(Debug)]
pub enum ServeEvent {
    /// The server is listening here (the port may differ from the one asked for).
    Listening { address: SocketAddr, url: String },
    /// A (re)build succeeded.
    Built {
        pages: usize,
        elapsed: Duration,
        warnings: Vec<Diagnostic>,
        changed: Vec<PathBuf>,
    },
    /// A rebuild failed; the last good site is still served.
    Failed {
        diagnostics: Vec<Diagnostic>,
        changed: Vec<PathBuf>,
    },
    /// Watching stopped working.
    WatchError(String),
}

/// What the browser is told after a rebuild.
#[derive(Debug, Clone)]
enum Reload {
    Page,
    Css,
    Error(String),
    /// The server is stopping: end the event streams so connections close.
    Shutdown,
}

/// The site as currently served.
#[derive(Default)]
struct Snapshot {
    files: HashMap<String, Arc<Vec<u8>>>,
    base_path: String,
    /// The overlay to show, when the latest build failed.
    overlay: Option<String>,
    error_text: Option<String>,
}

struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    reloads: broadcast::Sender<Reload>,
    hosts: host::AllowedHosts,
}

/// Binds the first free port from `port` upwards (up to 20 tries).
fn bind(interface: IpAddr, port: u16) -> std::io::Result<std::net::TcpListener> {
    let mut last = None;
    for candidate in port..port.saturating_add(20) {
        match std::net::TcpListener::bind(SocketAddr::new(interface, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Runs the server until Ctrl-C. `report` is called for everything worth telling.
pub fn run(
    options: ServeOptions,
    now: impl Fn() -> jiff::Timestamp + Send + 'static,
    report: impl Fn(ServeEvent) + Send + Sync + 'static,
) -> std::io::Result<()> {
    let listener = bind(options.interface, options.port)?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let (reloads, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot {
            base_path: "/".into(),
            ..Snapshot::default()
        })),
        reloads,
        hosts: host::AllowedHosts::new(address),
    });
    let report = Arc::new(report);

    let host: String = match address.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", address.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", address.port()),
    };
    let url_host = host.clone();
    let rebuild = {
        let shared = shared.clone();
        let report = report.clone();
        let options = options.clone();
        let cache = crate::markdown::Cache::default();
        move |changed: Vec<PathBuf>| {
            let started = Instant::now();
            let model_options = Options {
                base_url: None,
                origin: Some(format!("http://{host}")),
                drafts: options.drafts,
                now: now(),
            };
            let (rendered, diagnostics) =
                render_site_cached(&options.site_dir, &model_options, &cache);
            // The site is served at its base URL's path (`/peer/`), as published.
            swap(
                &shared,
                rendered.map(|(site, outputs)| (site.config.base_url.path, outputs)),
                &diagnostics,
            );
            match shared
                .snapshot
                .read()
                .map(|s| s.overlay.is_some())
                .unwrap_or(false)
            {
                true => report(ServeEvent::Failed {
                    diagnostics,
                    changed,
                }),
                false => {
                    let pages = shared
                        .snapshot
                        .read()
                        .map(|s| s.files.keys().filter(|k| k.ends_with(".html")).count())
                        .unwrap_or(0);
                    report(ServeEvent::Built {
                        pages,
                        elapsed: started.elapsed(),
                        warnings: diagnostics,
                        changed,
                    });
                }
            }
        }
    };
    // Watch before the first build, so an edit made while it runs is not missed.
    let output_dir = options.site_dir.join("public");
    let watcher = watch::Watcher::new(&options.site_dir, vec![output_dir], options.poll);
    rebuild(Vec::new());
    let url = format!(
        "http://{url_host}{}",
        shared
            .snapshot
            .read()
            .map(|s| s.base_path.clone())
            .unwrap_or_else(|_| "/".into())
    );
    report(ServeEvent::Listening { address, url });
    match watcher {
        Ok(watcher) => {
            let debounce = options.debounce;
            let report = report.clone();
            std::thread::spawn(move || {
                while let Some(changed) = watcher.next_change(debounce) {
                    rebuild(changed);
                }
                report(ServeEvent::WatchError(
                    "stopped watching for changes".into(),
                ));
            });
        }
        Err(e) => report(ServeEvent::WatchError(format!(
            "cannot watch the site folder for changes ({e}); try `--poll`"
        ))),
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let limits = connections::Limits {
        header_timeout: options.header_timeout,
        max_connections: options.max_connections,
    };
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let stopping = shared.reloads.clone();
        let app = axum::Router::new().fallback(handle).with_state(shared);
        connections::serve(listener, app, limits, async move {
            let _ = tokio::signal::ctrl_c().await;
            // End the live-reload streams so their connections can close.
            let _ = stopping.send(Reload::Shutdown);
        })
        .await;
        Ok(())
    })
}

/// Swaps in a new build (or records a failed one) and tells the browsers.
fn swap(
    shared: &Shared,
    built: Option<(String, crate::render::Outputs)>,
    diagnostics: &[Diagnostic],
) {
    let Ok(mut current) = shared.snapshot.write() else {
        return;
    };
    let reload = match built {
        Some((base_path, outputs)) => {
            let files: HashMap<String, Arc<Vec<u8>>> = outputs
                .files
                .into_iter()
                .map(|o| (o.path, Arc::new(o.bytes)))
                .collect();
            let changed: Vec<String> = files
                .iter()
                .filter(|(path, bytes)| current.files.get(*path) != Some(bytes))
                .map(|(p, _)| p.clone())
                .chain(
                    current
                        .files
                        .keys()
                        .filter(|p| !files.contains_key(*p))
                        .cloned(),
                )
                .collect();
            let was_broken = current.overlay.is_some();
            let css_only = !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css"));
            let reload = if css_only && !was_broken {
                Reload::Css
            } else {
                Reload::Page
            };
            *current = Arc::new(Snapshot {
                files,
                base_path,
                overlay: None,
                error_text: None,
            });
            (was_broken || !changed.is_empty()).then_some(reload)
        }
        None => {
            let text = live::error_text(diagnostics);
            let overlay = live::overlay(diagnostics);
            *current = Arc::new(Snapshot {
                files: current.files.clone(),
                base_path: current.base_path.clone(),
                overlay: Some(overlay),
                error_text: Some(text.clone()),
            });
            Some(Reload::Error(text))
        }
    };
    drop(current);
    if let Some(reload) = reload {
        let _ = shared.reloads.send(reload);
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    // Every path, the live-reload events included, answers only to this server's names.
    if let Err(refusal) = shared.hosts.check(request.uri(), request.headers()) {
        return shared.hosts.refuse(refusal);
    }
    let path = request.uri().path().to_string();
    if path == live::EVENTS_PATH {
        return events(shared).into_response();
    }
    let snapshot = match shared.snapshot.read() {
        Ok(s) => s.clone(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match resolve(&snapshot, &path) {
        Resolved::File(name) => respond(&snapshot, &name, StatusCode::OK),
        Resolved::Redirect(to) => Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Resolved::NotFound => respond(&snapshot, "404.html", StatusCode::NOT_FOUND),
    }
}

enum Resolved {
    File(String),
    Redirect(String),
    NotFound,
}

/// Maps a request path to a built file. Anything that tries to leave the site (`..`,
/// encoded or not, backslashes, NUL) is simply not found: files are looked up by name in
/// memory, never on disk.
fn resolve(snapshot: &Snapshot, raw_path: &str) -> Resolved {
    let Some(path) = percent_decode(raw_path) else {
        return Resolved::NotFound;
    };
    if path.contains(['\\', '\0'])
        || path
            .split('/')
            .any(|segment| segment == ".." || segment == ".")
    {
        return Resolved::NotFound;
    }
    let base = snapshot.base_path.as_str();
    let Some(relative) = path
        .strip_prefix(base)
        .or_else(|| (path.len() + 1 == base.len() && base.starts_with(&path)).then_some(""))
    else {
        return if path == "/" {
            Resolved::Redirect(base.to_string())
        } else {
            Resolved::NotFound
        };
    };
    if relative.starts_with('/') {
        return Resolved::NotFound;
    }
    if path.len() + 1 == base.len() {
        return Resolved::Redirect(base.to_string());
    }
    let name = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    if snapshot.files.contains_key(&name) {
        return Resolved::File(name);
    }
    if snapshot
        .files
        .contains_key(&format!("{relative}/index.html"))
    {
        return Resolved::Redirect(format!("{path}/"));
    }
    Resolved::NotFound
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn respond(snapshot: &Snapshot, name: &str, status: StatusCode) -> Response {
    let Some(bytes) = snapshot.files.get(name) else {
        // Nothing built yet (the first build failed): a bare page that shows the error
        // and reloads itself once the site builds.
        let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>PeerPress</title></head><body><h1>The site could not be built yet</h1></body></html>";
        let body = live::inject(page.as_bytes(), snapshot.overlay.as_deref());
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = if snapshot.overlay.is_some() {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            status
        };
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return response;
    };
    let content_type = content_type(name);
    let body = if content_type.starts_with("text/html") {
        live::inject(bytes, snapshot.overlay.as_deref())
    } else {
        bytes.as_ref().clone()
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The media type of a built file, by its extension.
pub fn content_type(name: &str) -> &'static str {
    match name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn events(
    shared: Arc<Shared>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>> {
    let receiver = shared.reloads.subscribe();
    let initial = shared
        .snapshot
        .read()
        .ok()
        .and_then(|s| s.error_text.clone())
        .map(|text| Event::default().event("error").data(text));
    let updates = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(reload) => {
                    let event = match reload {
                        Reload::Page => Event::default().event("reload").data("reload"),
                        Reload::Css => Event::default().event("css").data("css"),
                        Reload::Error(text) => Event::default().event("error").data(text),
                        Reload::Shutdown => return None,
                    };
                    return Some((Ok(event), receiver));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let stream =
        futures_util::StreamExt::chain(futures_util::stream::iter(initial.map(Ok)), updates);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(base: &str) -> Snapshot {
        let mut files = HashMap::new();
        for f in [
            "index.html",
            "groups/index.html",
            "assets/style.css",
            "calendar.ics",
        ] {
            files.insert(f.to_string(), Arc::new(Vec::new()));
        }
        Snapshot {
            files,
            base_path: base.to_string(),
            overlay: None,
            error_text: None,
        }
    }

    #[test]
    fn resolves_pages_and_refuses_traversal() {
        let s = snapshot("/");
        assert!(matches!(resolve(&s, "/"), Resolved::File(f) if f == "index.html"));
        assert!(matches!(resolve(&s, "/groups/"), Resolved::File(f) if f == "groups/index.html"));
        assert!(matches!(resolve(&s, "/groups"), Resolved::Redirect(to) if to == "/groups/"));
        assert!(matches!(resolve(&s, "/calendar.ics"), Resolved::File(_)));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/groups/..%5c..%5cx",
            "/..\\x",
            "//etc/passwd",
            "/%00",
            "/%zz",
        ] {
            assert!(matches!(resolve(&s, bad), Resolved::NotFound), "{bad}");
        }
    }

    #[test]
    fn serves_under_a_sub_path() {
        let s = snapshot("/peer/");
        assert!(matches!(resolve(&s, "/peer/"), Resolved::File(f) if f == "index.html"));
        assert!(matches!(resolve(&s, "/peer/groups/"), Resolved::File(_)));
        assert!(matches!(resolve(&s, "/"), Resolved::Redirect(to) if to == "/peer/"));
        assert!(matches!(resolve(&s, "/peer"), Resolved::Redirect(to) if to == "/peer/"));
        assert!(matches!(resolve(&s, "/groups/"), Resolved::NotFound));
    }
}
