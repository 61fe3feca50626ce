//! The accept loop, with limits so that nobody sharing the machine can stop the preview
//! answering by opening connections and leaving them idle. Each connection must send
//! its request headers within a timeout, and the same timeout closes a connection left
//! idle between keep-alive requests (a response still being sent, such as the
//! long-lived live-reload stream, is not idle). At most a fixed number of connections
//! are served at once; beyond that a new one gets a quick `503` and is closed, so the
//! server never runs out of file descriptors and recovers by itself as idle
//! connections time out. Ctrl-C stops accepting, asks open connections to finish, and
//! gives them a moment (not forever).

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

/// How the accept loop limits connections.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a connection may take to send its request headers, and may stay idle
    /// between requests.
    pub header_timeout: Duration,
    /// How many connections are served at once.
    pub max_connections: usize,
}

/// How many refused connections are told why at once; past that they are just closed.
const MAX_REFUSALS: usize = 64;

/// How long a refused connection is kept open so the client can read the `503`.
const REFUSAL_LINGER: Duration = Duration::from_millis(500);

/// How long open connections get to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// What a connection over the limit is told.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
content-type: text/plain; charset=utf-8\r\n\
content-length: 57\r\n\
retry-after: 1\r\n\
connection: close\r\n\
\r\n\
The preview server has too many connections; try again.\r\n";

/// Serves `app` on `listener` until `stop` completes, then shuts down gracefully.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    stop: impl std::future::Future<Output = ()>,
) {
    let max = limits.max_connections.clamp(1, 1 << 16);
    let open = Arc::new(Semaphore::new(max));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let (closing, closing_rx) = watch::channel(false);
    let mut stop = std::pin::pin!(stop);
    loop {
        let accepted = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if is_connection_error(&e) => continue,
            // Out of file descriptors, most likely: wait for some to be freed rather than
            // spinning; the pending connection stays queued meanwhile.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            refuse(stream, &refusals);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let mut closing = closing_rx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .keep_alive(true);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = closing.changed() => {}
            }
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = closing.send(true);
    // Every permit back means every connection has finished.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, open.acquire_many(max as u32)).await;
}

/// Tells a connection over the limit to come back later, without waiting on it for
/// long, and closes it.
fn refuse(stream: TcpStream, refusals: &Arc<Semaphore>) {
    let Ok(permit) = refusals.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let _permit = permit;
        // A new connection's send buffer is empty, so this does not wait.
        if stream.try_write(BUSY).is_err() {
            return;
        }
        // Read (and drop) what the client sends for a moment: closing with unread data
        // would reset the connection and lose the answer.
        let _ = tokio::time::timeout(REFUSAL_LINGER, async {
            let mut buffer = [0u8; 4096];
            loop {
                if stream.readable().await.is_err() {
                    return;
                }
                match stream.try_read(&mut buffer) {
                    Ok(0) => return,
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                    Err(_) => return,
                }
            }
        })
        .await;
    });
}

/// Errors that concern only the one connection being accepted.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busy_answer_is_well_formed() {
        let text = std::str::from_utf8(BUSY).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}\r\n", body.len())));
    }
}
