//! Reading an import's source into text: a file or a web address, refused when too big
//! before it is all read, and decoded from the encodings spreadsheets save in (UTF-8 with
//! or without a byte-order mark, UTF-16 with one, Windows-1252).
//!
//! It does not parse anything: the format modules take the text from here.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// The largest source read: real feeds of a whole region are a few megabytes.
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;

/// How long a download may take in all.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A source's text, with how it was decoded when that was not plain UTF-8.
pub struct SourceText {
    pub text: String,
    /// `Some("Windows-1252")` and the like, to say in the summary.
    pub encoding: Option<&'static str>,
}

/// Reads `source`, a path or an `https://` address (plain `http://` only for this computer,
/// where tests serve files). Errors are whole sentences, with help after `\nhelp: `.
pub fn read_bytes(source: &str) -> Result<Vec<u8>, String> {
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return download(source, &lower);
    }
    let path = Path::new(source);
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!("there is no file `{source}`\nhelp: check the name, or give the full path to the exported file")
        } else {
            format!("cannot read `{source}`: {e}")
        }
    })?;
    if meta.is_dir() {
        return Err(format!(
            "`{source}` is a folder\nhelp: give the exported file itself: a `.json` feed or a `.csv` file"
        ));
    }
    if meta.len() > MAX_BYTES {
        return Err(too_big(source, meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read `{source}`: {e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_big(source, bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_big(source: &str, len: u64) -> String {
    format!(
        "`{source}` is {} MB; PeerPress imports sources of up to {} MB\nhelp: a whole region's meetings fit in a few megabytes: check this is the meeting list, or split it and import each part",
        len / (1024 * 1024),
        MAX_BYTES / (1024 * 1024)
    )
}

/// Plain `http://` is allowed for this computer only: anything else could be read or
/// changed on the way.
fn is_local(lower: &str) -> bool {
    let rest = lower.trim_start_matches("http://");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let name = if host.starts_with('[') {
        host.split(']').next().map_or(host, |h| &h[1..])
    } else {
        host.split(':').next().unwrap_or(host)
    };
    matches!(name, "127.0.0.1" | "localhost" | "::1")
}

fn download(source: &str, lower: &str) -> Result<Vec<u8>, String> {
    if lower.starts_with("http://") && !is_local(lower) {
        return Err(format!(
            "`{source}` is not a secure address\nhelp: use the `https://` address of the feed"
        ));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .build()
        .into();
    let mut response = agent.get(source).call().map_err(|e| match e {
        ureq::Error::StatusCode(code) => format!(
            "`{source}` answered with HTTP status {code}\nhelp: open the address in a browser to check it is the meeting feed"
        ),
        ureq::Error::Timeout(_) => format!(
            "`{source}` did not answer within {} seconds\nhelp: try again later, or download the file and import it from disk",
            TIMEOUT.as_secs()
        ),
        other => format!("cannot download `{source}`: {other}"),
    })?;
    if let Some(len) = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        if len > MAX_BYTES {
            return Err(too_big(source, len));
        }
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => too_big(source, MAX_BYTES + 1),
            other => format!("cannot download `{source}`: {other}"),
        })
}

/// Decodes a CSV file as a spreadsheet saves it.
pub fn decode_csv(source: &str, bytes: &[u8]) -> Result<SourceText, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(source, rest).map(|text| SourceText {
            text,
            encoding: None,
        });
    }
    for (bom, encoding, name) in [
        (
            &b"\xFF\xFE"[..],
            encoding_rs::UTF_16LE,
            "UTF-16 (little-endian)",
        ),
        (
            &b"\xFE\xFF"[..],
            encoding_rs::UTF_16BE,
            "UTF-16 (big-endian)",
        ),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            if had_errors {
                return Err(format!(
                    "`{source}` starts like a UTF-16 file but has bytes that are not UTF-16 text\nhelp: open it in your spreadsheet and save it again as \"CSV UTF-8\""
                ));
            }
            return Ok(SourceText {
                text: text.into_owned(),
                encoding: Some(name),
            });
        }
    }
    if looks_like_utf16_without_bom(bytes) {
        return Err(format!(
            "`{source}` looks like UTF-16 text without the mark that says so, which cannot be read safely\nhelp: open it in your spreadsheet and save it again as \"CSV UTF-8\""
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(SourceText {
            text: text.to_string(),
            encoding: None,
        }),
        Err(_) => {
            // Excel's plain "CSV" on Windows: every byte is a character, so this cannot fail.
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(SourceText {
                text: text.into_owned(),
                encoding: Some("Windows-1252"),
            })
        }
    }
}

/// Decodes a JSON feed, which must be UTF-8 (RFC 8259), perhaps with a byte-order mark.
pub fn decode_json(source: &str, bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if looks_like_utf16_without_bom(bytes)
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
    {
        return Err(format!(
            "`{source}` is UTF-16 text; a JSON feed must be UTF-8\nhelp: ask for the feed as UTF-8, or convert the file to UTF-8 in a text editor"
        ));
    }
    utf8(source, bytes)
}

fn utf8(source: &str, bytes: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            Err(format!(
                "`{source}` is not UTF-8 text: line {line}, column {column} has a byte that is not UTF-8\nhelp: save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")"
            ))
        }
    }
}

/// Many zero bytes in the first kilobyte: UTF-16 text (ASCII letters with a zero byte each).
fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.len() >= 4 && head.iter().filter(|&&b| b == 0).count() * 4 >= head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Day,Time\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let read = decode_csv("x.csv", &utf16).unwrap();
        assert_eq!(read.text, "Day,Time\n");
        assert_eq!(read.encoding, Some("UTF-16 (little-endian)"));
        let cp1252 = b"Name\nCaf\xe9\n";
        let read = decode_csv("x.csv", cp1252).unwrap();
        assert_eq!(read.text, "Name\nCafé\n");
        assert_eq!(read.encoding, Some("Windows-1252"));
        let bom = b"\xEF\xBB\xBFName\n";
        assert_eq!(decode_csv("x.csv", bom).unwrap().text, "Name\n");
        let err = decode_json("f.json", b"[\n{\"name\": \"Caf\xe9\"}]").unwrap_err();
        assert!(err.contains("line 2, column 14"), "{err}");
    }

    #[test]
    fn plain_http_only_here() {
        assert!(is_local("http://127.0.0.1:8080/x.json"));
        assert!(is_local("http://localhost/x"));
        assert!(is_local("http://[::1]:80/x"));
        assert!(!is_local("http://example.org/x"));
        assert!(!is_local("http://127.0.0.1.example.org/x"));
    }
}
