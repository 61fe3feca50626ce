//! Printing diagnostics and the time a step took, the same way for every command.

use peerpress::diagnostics::Diagnostic;

use std::io::IsTerminal;

/// Whether to colour messages: only on a terminal, and never when `NO_COLOR` is set
/// (<https://no-color.org>).
pub fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Prints every diagnostic to standard error, then a count.
pub fn diagnostics(diagnostics: &[Diagnostic]) {
    diagnostics_then(diagnostics, "the site was not built", "nothing was written");
}

/// Like [`diagnostics`], with the words for what did not happen.
pub fn diagnostics_then(diagnostics: &[Diagnostic], failed: &str, consequence: &str) {
    let colour = colour();
    for d in diagnostics {
        eprintln!("{}", d.render(colour));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        eprintln!(
            "error: {failed}: {}{}; {consequence}",
            plural(errors, "error"),
            if warnings > 0 {
                format!(", {}", plural(warnings, "warning"))
            } else {
                String::new()
            }
        );
    } else if warnings > 0 {
        eprintln!("warning: {}", plural(warnings, "warning"));
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `12 ms`, or `1.4 s`.
pub fn duration(d: std::time::Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}
