//! Which `Host` a request may name. A web page on another site can make the visitor's
//! own browser talk to `serve` by pointing a DNS name it controls at 127.0.0.1 (DNS
//! rebinding); the browser then treats the preview as that site's and lets its script
//! read it. Such requests still carry the attacker's name in `Host`, so `serve` answers
//! only to the address it is bound to, to `localhost`, and (bound to loopback) to the
//! other loopback addresses, always with its own port. When bound to every address
//! (`0.0.0.0` or `::`) the preview is deliberately shared on the network, so any IP
//! address is accepted, but still no DNS name other than `localhost`.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;

/// The names this server answers to, worked out from the address it is bound to.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    bound: SocketAddr,
}

/// Why a request was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `Host` (or more than one, or not readable): not a well-formed HTTP/1.1 request.
    Missing,
    /// A `Host` that is not this server.
    Elsewhere,
}

impl AllowedHosts {
    /// The rule for a server bound to `bound`.
    pub fn new(bound: SocketAddr) -> Self {
        Self { bound }
    }

    /// Checks a request's target: the authority of an absolute-form request line if it
    /// has one (HTTP says it overrides `Host`), the `Host` header otherwise.
    pub fn check(&self, uri: &Uri, headers: &HeaderMap) -> Result<(), Refusal> {
        if let Some(authority) = uri.authority() {
            return self.check_value(authority.as_str());
        }
        let mut hosts = headers.get_all(header::HOST).iter();
        let (Some(host), None) = (hosts.next(), hosts.next()) else {
            return Err(Refusal::Missing);
        };
        let host = host.to_str().map_err(|_| Refusal::Missing)?;
        self.check_value(host)
    }

    /// Checks one `host[:port]` value.
    fn check_value(&self, value: &str) -> Result<(), Refusal> {
        let (name, port) = split_host(value.trim()).ok_or(Refusal::Missing)?;
        // No port means HTTP's default, which this server is on only if bound there.
        if port.unwrap_or(80) != self.bound.port() {
            return Err(Refusal::Elsewhere);
        }
        if name.eq_ignore_ascii_case("localhost") {
            return Ok(());
        }
        let Some(ip) = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .map_or_else(
                || name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
                |v6| v6.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6),
            )
            .map(|ip| ip.to_canonical())
        else {
            // A DNS name: exactly what a rebinding attack sends.
            return Err(Refusal::Elsewhere);
        };
        let bound = self.bound.ip().to_canonical();
        if ip == bound || bound.is_unspecified() || (bound.is_loopback() && ip.is_loopback()) {
            Ok(())
        } else {
            Err(Refusal::Elsewhere)
        }
    }

    /// The address to tell a refused browser to use.
    pub fn url(&self) -> String {
        let port = self.bound.port();
        match self.bound.ip() {
            ip if ip.is_unspecified() => format!("http://localhost:{port}/"),
            IpAddr::V6(ip) => format!("http://[{ip}]:{port}/"),
            IpAddr::V4(ip) => format!("http://{ip}:{port}/"),
        }
    }

    /// The short plain-text answer to a refused request; it never shows the site.
    pub fn refuse(&self, refusal: Refusal) -> Response {
        let (status, why) = match refusal {
            Refusal::Missing => (
                StatusCode::BAD_REQUEST,
                "the request does not say which server it is for (no `Host`)",
            ),
            Refusal::Elsewhere => (
                StatusCode::MISDIRECTED_REQUEST,
                "the request names another server in `Host`",
            ),
        };
        let body = format!(
            "This PeerPress preview did not answer: {why}. Open it at {} instead.\n",
            self.url()
        );
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    }
}

/// Splits `name[:port]` or `[v6][:port]`; `None` if the port is not a number or the
/// value is empty.
fn split_host(value: &str) -> Option<(&str, Option<u16>)> {
    if value.is_empty() {
        return None;
    }
    let (name, port) = if value.starts_with('[') {
        let end = value.find(']')? + 1;
        match &value[end..] {
            "" => (&value[..end], None),
            rest => (&value[..end], Some(rest.strip_prefix(':')?)),
        }
    } else {
        match value.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (value, None),
        }
    };
    let port = match port {
        Some(port) => Some(port.parse().ok()?),
        None => None,
    };
    (!name.is_empty()).then_some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bound: &str, host: &str) -> Result<(), Refusal> {
        let bound: SocketAddr = bound.parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        AllowedHosts::new(bound).check(&Uri::from_static("/"), &headers)
    }

    #[test]
    fn loopback_answers_to_its_own_names_only() {
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert_eq!(check("127.0.0.1:1111", ok), Ok(()), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "127.0.0.1:2222",
            "127.0.0.1",
            "localhost",
            "192.168.1.5:1111",
            "[::1]",
        ] {
            assert_eq!(
                check("127.0.0.1:1111", bad),
                Err(Refusal::Elsewhere),
                "{bad}"
            );
        }
        for malformed in ["", ":1111", "127.0.0.1:http", "[::1:1111", "[::1]x"] {
            assert_eq!(
                check("127.0.0.1:1111", malformed),
                Err(Refusal::Missing),
                "{malformed}"
            );
        }
        assert_eq!(check("[::1]:1111", "127.0.0.1:1111"), Ok(()));
        assert_eq!(check("127.0.0.1:80", "localhost"), Ok(()));
    }

    #[test]
    fn a_lan_address_answers_to_itself_and_shared_servers_to_any_ip() {
        assert_eq!(check("192.168.1.5:1111", "192.168.1.5:1111"), Ok(()));
        assert_eq!(
            check("192.168.1.5:1111", "127.0.0.1:1111"),
            Err(Refusal::Elsewhere)
        );
        for ok in [
            "192.168.1.5:1111",
            "10.0.0.1:1111",
            "[fe80::1]:1111",
            "localhost:1111",
        ] {
            assert_eq!(check("0.0.0.0:1111", ok), Ok(()), "{ok}");
            assert_eq!(check("[::]:1111", ok), Ok(()), "{ok}");
        }
        for bad in ["evil.example:1111", "my-laptop.local:1111", "10.0.0.1:2222"] {
            assert_eq!(check("0.0.0.0:1111", bad), Err(Refusal::Elsewhere), "{bad}");
        }
    }

    #[test]
    fn an_absolute_request_target_overrides_host() {
        let allowed = AllowedHosts::new("127.0.0.1:1111".parse().unwrap());
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:1111"));
        let uri = Uri::from_static("http://evil.example:1111/");
        assert_eq!(allowed.check(&uri, &headers), Err(Refusal::Elsewhere));
        assert_eq!(
            allowed.check(&Uri::from_static("/"), &HeaderMap::new()),
            Err(Refusal::Missing)
        );
        let mut twice = HeaderMap::new();
        twice.append(header::HOST, HeaderValue::from_static("127.0.0.1:1111"));
        twice.append(header::HOST, HeaderValue::from_static("evil.example:1111"));
        assert_eq!(
            allowed.check(&Uri::from_static("/"), &twice),
            Err(Refusal::Missing)
        );
    }
}
