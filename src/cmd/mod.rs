//! One module per subcommand: each parses its flags, calls the library and prints.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod report;
pub mod serve;

/// [`now`], or the usage error (exit code 2) already printed.
pub fn now_or_usage_error() -> Result<jiff::Timestamp, std::process::ExitCode> {
    now().map_err(|message| {
        eprintln!("error: {message}");
        std::process::ExitCode::from(2)
    })
}

/// The moment the build happens: `SOURCE_DATE_EPOCH` (seconds) when set, so builds of
/// the same input are reproducible, otherwise the clock.
pub fn now() -> Result<jiff::Timestamp, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .ok_or_else(|| {
                format!("SOURCE_DATE_EPOCH must be a number of seconds since 1970, not `{text}`")
            }),
        _ => Ok(jiff::Timestamp::now()),
    }
}
