//! What `serve` adds to pages, and only when serving: a small script that reloads the
//! page (or just its stylesheets) after a rebuild, and an overlay showing the error when
//! an edit broke the build. `build` output never contains either.

use crate::diagnostics::Diagnostic;

/// Where the browser listens for rebuilds (Server-Sent Events).
pub const EVENTS_PATH: &str = "/__peerpress/events";

const SCRIPT: &str = r#"<script>
(() => {
  const events = new EventSource("/__peerpress/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("peerpress", Date.now());
      link.href = url.href;
    }
  });
  events.addEventListener("error", (event) => {
    let overlay = document.getElementById("peerpress-overlay");
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "peerpress-overlay";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("style", "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#1b1b1f;color:#fff;border-top:4px solid #d4351c;padding:1rem;font:14px/1.5 ui-monospace,monospace");
      document.body.append(overlay);
    }
    const title = document.createElement("strong");
    title.textContent = "The last edit broke the build; showing the last good version.";
    const pre = document.createElement("pre");
    pre.setAttribute("style", "white-space:pre-wrap;margin:.5rem 0 0");
    pre.textContent = event.data;
    overlay.replaceChildren(title, pre);
  });
})();
</script>"#;

/// The overlay, rendered on the server so it shows at once (even before the script
/// connects).
pub fn overlay(diagnostics: &[Diagnostic]) -> String {
    format!(
        "<div id=\"peerpress-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#1b1b1f;color:#fff;border-top:4px solid #d4351c;padding:1rem;font:14px/1.5 ui-monospace,monospace\"><strong>The last edit broke the build; showing the last good version.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
        escape(&error_text(diagnostics))
    )
}

/// The errors as plain text, as the terminal shows them.
pub fn error_text(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` with HTML's special characters as entities, as the site's pages escape it.
fn escape(text: &str) -> String {
    crate::render::escape_html(text)
}

/// Adds the live-reload script (and the overlay, if any) before `</body>`.
pub fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let extra = format!("{}{SCRIPT}", overlay.unwrap_or(""));
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_end_of_body() {
        let page = inject(b"<html><body><p>Hi</p></body></html>", Some("<div>x</div>"));
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("</script></body></html>"));
        assert!(page.contains("<p>Hi</p><div>x</div><script>"));
    }
}
