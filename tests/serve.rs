//! `peerpress serve` and `build --watch`, over real HTTP: pages served from memory, edits
//! from every kind of editor seen, the reload event sent, a broken build shown in an
//! overlay over the last good site, and no way out of the site.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Fixture;

/// A running `peerpress serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    output: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(site: &Path, port: u16) -> Server {
    serve_with(site, port, |_| {})
}

/// Starts `serve` with `setup` applied to its command first.
fn serve_with(site: &Path, port: u16, setup: impl FnOnce(&mut Command)) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_peerpress"));
    command
        .args(["serve", site.to_str().unwrap(), "--port", &port.to_string()])
        .env("SOURCE_DATE_EPOCH", common::NOW);
    setup(&mut command);
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let (tx, output) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut server = Server {
        child,
        port,
        output,
    };
    let line = server.wait_for_output("Serving the site at");
    server.port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("a port");
    server
}

impl Server {
    fn wait_for_output(&self, words: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(line) = self.output.recv_timeout(Duration::from_millis(100)) {
                if line.contains(words) {
                    return line;
                }
            }
        }
        panic!("serve never printed `{words}`");
    }

    fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// Polls `path` until `check` holds, or fails after a deadline.
    fn until(&self, path: &str, what: &str, check: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let response = self.get(path);
            if check(&response) {
                return response;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; last response: {} {}",
                response.status,
                &response.body[..response.body.len().min(300)]
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

struct Response {
    status: u16,
    content_type: String,
    location: String,
    body: String,
}

/// A plain HTTP/1.1 GET, sending `path` exactly as given (no normalisation).
fn get(port: u16, path: &str) -> Response {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `raw` as the whole request and reads the answer until the server closes; a
/// connection that cannot be made is status 0.
fn request(port: u16, raw: &str) -> Response {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = match TcpStream::connect_timeout(&address, Duration::from_secs(10)) {
        Ok(stream) => stream,
        Err(e) => {
            return Response {
                status: 0,
                content_type: String::new(),
                location: String::new(),
                body: format!("cannot connect: {e}"),
            }
        }
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    Response {
        status,
        content_type: header("content-type"),
        location: header("location"),
        body: body.to_string(),
    }
}

/// Listens to the reload events; returns them as they arrive.
fn events(port: u16) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__peerpress/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send(name.to_string()).is_err() {
                    break;
                }
            }
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    rx
}

fn expect_event(events: &mpsc::Receiver<String>, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Ok(event) = events.recv_timeout(Duration::from_millis(100)) {
            if event == name {
                return;
            }
        }
    }
    panic!("no `{name}` event");
}

#[test]
fn serves_pages_and_reloads_after_every_kind_of_save() {
    let site = Fixture::new();
    let server = serve(site.path(), free_port());
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home.body.contains("Riverside Peers"));
    assert!(
        home.body.contains("EventSource(\"/__peerpress/events\")"),
        "the reload script is injected"
    );
    assert!(!site.public().exists(), "serve keeps the site in memory");
    let group = server.get("/groups/voices/");
    assert!(group.body.contains("Hearing Voices Group"));
    assert!(
        group
            .body
            .contains(&format!("http://127.0.0.1:{}/groups/voices/", server.port)),
        "links use the server's own address"
    );

    // An in-place write.
    let reloads = events(server.port);
    site.write(
        "groups/voices.md",
        &common::GROUP.replace("A friendly space.", "A warm and friendly space."),
    );
    server.until("/groups/voices/", "the in-place edit", |r| {
        r.body.contains("A warm and friendly space.")
    });
    expect_event(&reloads, "reload");

    // An atomic save: write a temporary file, rename it over the original.
    let target = site.path().join("groups/voices.md");
    let temporary = site.path().join("groups/.voices.md.swp");
    std::fs::write(
        &temporary,
        common::GROUP.replace("A friendly space.", "Renamed into place."),
    )
    .unwrap();
    std::fs::rename(&temporary, &target).unwrap();
    server.until("/groups/voices/", "the atomic save", |r| {
        r.body.contains("Renamed into place.")
    });
    expect_event(&reloads, "reload");

    // A new file in a new folder, and a deletion.
    site.write(
        "content/news/first.md",
        "---\ntitle: First news\n---\nHello.\n",
    );
    server.until("/news/first/", "the new page", |r| {
        r.status == 200 && r.body.contains("First news")
    });
    std::fs::remove_file(site.path().join("content/news/first.md")).unwrap();
    server.until("/news/first/", "the deleted page to go", |r| {
        r.status == 404
    });

    // A stylesheet change needs no full reload.
    site.write("static/assets/extra.css", "h1 { color: green; }\n");
    expect_event(&reloads, "css");
}

#[test]
fn a_broken_edit_shows_an_overlay_over_the_last_good_site_until_fixed() {
    let site = Fixture::new();
    let server = serve(site.path(), free_port());
    let reloads = events(server.port);
    site.write(
        "groups/voices.md",
        &common::GROUP.replace("A friendly space.", "Still here.\nbroken: ["),
    );
    let broken = server.until("/groups/voices/", "the overlay", |r| {
        r.body.contains("id=\"peerpress-overlay\"")
    });
    assert!(
        broken.body.contains("A friendly space."),
        "the last good content is still served"
    );
    assert!(
        broken.body.contains("groups/voices.md:"),
        "the overlay names the file and line"
    );
    expect_event(&reloads, "error");
    server.wait_for_output("broke the build");

    site.write(
        "groups/voices.md",
        &common::GROUP.replace("A friendly space.", "Fixed again."),
    );
    let fixed = server.until("/groups/voices/", "the fix", |r| {
        r.body.contains("Fixed again.")
    });
    assert!(!fixed.body.contains("id=\"peerpress-overlay\""));
    expect_event(&reloads, "reload");
}

#[test]
fn serves_only_the_site_with_the_right_types() {
    let site = Fixture::new();
    std::fs::write(site.path().join("secret.txt"), "do not serve").unwrap();
    let server = serve(site.path(), free_port());
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%5csecret.txt",
        "/groups/..\\..\\secret.txt",
        "//etc/passwd",
        "/site.yaml",
        "/groups/voices.md",
        "/%00",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("do not serve"));
    }
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's 404 page"
    );
    for (path, content_type) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/calendar.ics", "text/calendar; charset=utf-8"),
        ("/meetings.json", "application/json"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(
            (r.status, r.content_type.as_str()),
            (200, content_type),
            "{path}"
        );
    }
    let redirect = server.get("/groups");
    assert_eq!(
        (redirect.status, redirect.location.as_str()),
        (301, "/groups/")
    );
}

#[test]
fn a_sub_path_site_is_served_at_its_sub_path() {
    let site = Fixture::new();
    site.write(
        "site.yaml",
        &common::SITE.replace("https://peers.example.org/", "https://example.org/peer/"),
    );
    let server = serve(site.path(), free_port());
    let home = server.get("/peer/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/peer/groups/\""));
    assert_eq!(server.get("/peer/groups/voices/").status, 200);
    let root = server.get("/");
    assert_eq!((root.status, root.location.as_str()), (301, "/peer/"));
}

#[test]
fn answers_only_to_its_own_address_so_dns_rebinding_cannot_read_it() {
    let site = Fixture::new();
    let server = serve(site.path(), free_port());
    let port = server.port;
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for path in ["/", "/groups/voices/", "/__peerpress/events"] {
            let r = request(
                port,
                &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
            );
            assert_eq!(r.status, 421, "{host} {path}");
            assert_eq!(r.content_type, "text/plain; charset=utf-8");
            assert!(
                r.body.contains(&format!("http://127.0.0.1:{port}/")),
                "says where to go: {}",
                r.body
            );
            assert!(!r.body.contains("Riverside Peers"), "{host} {path}");
            assert!(!r.body.contains("Hearing Voices"), "{host} {path}");
            assert!(!r.body.contains("event:"), "{host} {path}");
        }
    }
    // An absolute request target names the server, whatever `Host` says.
    let absolute = request(
        port,
        &format!(
            "GET http://evil.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(absolute.status, 421);
    assert!(!absolute.body.contains("Riverside Peers"));
    // No `Host` at all (HTTP/1.0).
    let anonymous = request(port, "GET / HTTP/1.0\r\n\r\n");
    assert!(
        anonymous.status == 400 || anonymous.status == 421,
        "{}",
        anonymous.status
    );
    assert!(!anonymous.body.contains("Riverside Peers"));

    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = request(
            port,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(r.status, 200, "{host}");
        assert!(r.body.contains("Riverside Peers"), "{host}");
    }
    // Live reload answers to the server's own names.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__peerpress/events HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut status_line = String::new();
    BufReader::new(&stream).read_line(&mut status_line).unwrap();
    assert!(status_line.starts_with("HTTP/1.1 200"), "{status_line}");
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let site = Fixture::new();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = serve(site.path(), port);
    assert_ne!(server.port, port);
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = Fixture::new();
    let mut server = serve(site.path(), free_port());
    let _listening = events(server.port);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            assert!(exit.success(), "{exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn build_watch_rebuilds_to_disk() {
    let site = Fixture::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_peerpress"))
        .args(["build", site.path().to_str().unwrap(), "--watch"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let page = site.public().join("groups/voices/index.html");
    let wait = |what: &str, check: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !check() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait("the first build", &|| page.is_file());
    site.write(
        "groups/voices.md",
        &common::GROUP.replace("A friendly space.", "Watched and rebuilt."),
    );
    wait("the rebuild", &|| {
        std::fs::read_to_string(&page).is_ok_and(|t| t.contains("Watched and rebuilt."))
    });
    assert!(
        !std::fs::read_to_string(&page)
            .unwrap()
            .contains("EventSource"),
        "build output never has the reload script"
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// The header timeout the tests below give the server, instead of the default ten
/// seconds: short, so they finish quickly, and only ever waited for, never raced.
const SHORT_TIMEOUT_MS: &str = "1000";

/// Reads until the server closes the connection; false if it is still open after
/// `patience` (reads that fail because the server reset it count as closed).
fn closed_by_server(stream: &mut TcpStream, patience: Duration) -> bool {
    let deadline = Instant::now() + patience;
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buffer = [0u8; 4096];
    while Instant::now() < deadline {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn stalled_and_idle_connections_are_closed_but_live_reload_stays() {
    let site = Fixture::new();
    let server = serve_with(site.path(), free_port(), |command| {
        command.env("PEERPRESS_SERVE_HEADER_TIMEOUT_MS", SHORT_TIMEOUT_MS);
    });
    let reloads = events(server.port);

    // Half a request line, then nothing.
    let mut stalled = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stalled.write_all(b"GET / HT").unwrap();
    // Connected, never a byte.
    let mut silent = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    // One whole request on a kept-alive connection, then idle.
    let mut idle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        idle,
        "GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    )
    .unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    // Headers sent a byte at a time, never finished: the timeout is for all of them.
    let mut trickle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let mut writer = trickle.try_clone().unwrap();
    std::thread::spawn(move || {
        if writer.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").is_err() {
            return;
        }
        for _ in 0..200 {
            std::thread::sleep(Duration::from_millis(150));
            if writer.write_all(b"a").is_err() {
                return;
            }
        }
    });

    let patience = Duration::from_secs(30);
    assert!(
        closed_by_server(&mut stalled, patience),
        "a half-sent request is closed"
    );
    assert!(
        closed_by_server(&mut trickle, patience),
        "headers trickled in are cut off"
    );
    assert!(
        closed_by_server(&mut silent, patience),
        "a silent connection is closed"
    );
    assert!(
        closed_by_server(&mut idle, patience),
        "an idle kept-alive connection is closed"
    );

    // The live-reload stream is older than the timeout by now, and still delivers.
    std::thread::sleep(Duration::from_millis(1500));
    site.write(
        "groups/voices.md",
        &common::GROUP.replace("A friendly space.", "Still listening."),
    );
    expect_event(&reloads, "reload");
    assert_eq!(server.get("/").status, 200);
}

/// Lets this process open `wanted` files if it may; returns how many it may open.
#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // `rlim_t` is not 64 bits everywhere.
fn raise_open_file_limit(wanted: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read or write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if (limit.rlim_cur as u64) < wanted {
            let raised = libc::rlimit {
                rlim_cur: (wanted as libc::rlim_t).min(limit.rlim_max),
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur as u64
}

#[cfg(not(unix))]
fn raise_open_file_limit(wanted: u64) -> u64 {
    wanted
}

#[test]
fn thousands_of_idle_connections_do_not_stop_it_answering() {
    const IDLE: usize = 2000;
    // Leave room for the test harness's own files and the other tests.
    let allowed = raise_open_file_limit(IDLE as u64 + 512);
    let count = IDLE.min((allowed as usize).saturating_sub(256));
    // The server gets the usual limit of 1,024 open files (less if this process cannot
    // open that many itself), so that idle connections could exhaust it.
    let server_limit = 1024.min(count * 2 / 3).max(400);
    let site = Fixture::new();
    let server = serve_with(site.path(), free_port(), |command| {
        command.env("PEERPRESS_SERVE_HEADER_TIMEOUT_MS", SHORT_TIMEOUT_MS);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: only getrlimit and setrlimit, which are async-signal-safe, run in
            // the child.
            unsafe {
                command.pre_exec(move || {
                    let mut limit = libc::rlimit {
                        rlim_cur: 0,
                        rlim_max: 0,
                    };
                    if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
                        limit.rlim_cur = limit.rlim_max.min(server_limit as libc::rlim_t);
                        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
                    }
                    Ok(())
                });
            }
        }
    });
    assert_eq!(server.get("/").status, 200);

    let mut idle = Vec::with_capacity(count);
    let mut failures = 0;
    while idle.len() < count && failures < 5 {
        match TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], server.port)),
            Duration::from_secs(2),
        ) {
            Ok(stream) => idle.push(stream),
            Err(_) => failures += 1,
        }
    }
    assert!(
        idle.len() > server_limit,
        "opened only {} connections",
        idle.len()
    );

    // The idle connections are still open on this side; the home page comes back
    // anyway, once the server has turned the extra ones away and timed out the rest.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut statuses = Vec::new();
    loop {
        let response = server.get("/");
        if response.status == 200 && response.body.contains("Riverside Peers") {
            break;
        }
        statuses.push(response.status);
        assert!(
            Instant::now() < deadline,
            "no home page with {} idle connections open; answers: {statuses:?}",
            idle.len()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        statuses.iter().all(|s| *s == 503 || *s == 0),
        "busy answers are 503: {statuses:?}"
    );
    drop(idle);
    assert_eq!(server.get("/").status, 200);
}

/// Without a browser, `--open` says so in one line, and the opener's own noise is hidden.
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn open_without_a_browser_says_so_in_one_line() {
    use std::os::unix::fs::PermissionsExt;
    let site = Fixture::new();
    let bin = tempfile::tempdir().unwrap();
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        "#!/bin/sh\necho 'xdg-open: no method available for opening' >&2\necho noise\nexit 3\n",
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.path().display());
    let server = serve_with(site.path(), free_port(), |command| {
        command.arg("--open").env("PATH", &path);
    });
    let line = server.wait_for_output("Could not open a web browser");
    assert!(line.contains("open http://127.0.0.1:"), "{line}");
    std::thread::sleep(Duration::from_millis(300));
    let rest: Vec<String> = server.output.try_iter().collect();
    assert!(
        rest.iter().all(|l| !l.contains("xdg-open") && l != "noise"),
        "the opener's output leaked: {rest:?}"
    );
}
