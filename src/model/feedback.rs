//! `site.yaml`'s `feedback:`: where visitors report a change to a meeting's listing (an
//! e-mail address, or a form whose address is filled in for each meeting), and how long a
//! listing may go unconfirmed before `check` says so.
//!
//! It only checks and fills in addresses; the meeting page's link and the `meetings.json`
//! fields are made by the groups' views and the Meeting Guide feed from what is here.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;

use crate::diagnostics::{closest, Diagnostic};
use crate::model::contact::{Email, WebUrl};
use crate::model::yaml::{Text, YamlDoc};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "feedback settings like `{ email: listings@example.org, checked_months: 12 }`")]
pub(super) struct FeedbackFile {
    email: Option<Email>,
    url: Option<Text>,
    checked_months: Option<u32>,
}

/// Where a visitor's "Report a change" goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportTo {
    /// A `mailto:` link with the meeting's details in its subject and body.
    Email(String),
    /// A form's address, with `{slug}`, `{name}`, `{day}`, `{time}` and `{url}` in it.
    Form(String),
}

/// The site's `feedback:` settings, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feedback {
    pub report_to: Option<ReportTo>,
    /// Warn about meetings whose `checked:` date is older than this many months.
    pub checked_months: Option<u32>,
}

/// The words a form address may contain in braces, each filled in for the meeting.
pub const PLACEHOLDERS: [&str; 5] = ["slug", "name", "day", "time", "url"];

/// One meeting's details, as the report link gives them.
pub struct MeetingDetails<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    /// The day in the site's language (`Tuesday`).
    pub day: &'a str,
    /// The times as the site writes them (`19:00–20:30`).
    pub time: &'a str,
    /// The meeting page's full address.
    pub url: &'a str,
}

/// What stays as it is in a filled-in value: RFC 3986's unreserved characters. Everything
/// else, `&`, `=`, `#`, spaces and non-ASCII letters included, is percent-encoded, so a
/// value can never end the query parameter it is in.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What stays as it is in the address of a `mailto:` link (RFC 6068 `addr-spec`).
const MAILBOX: &AsciiSet = &VALUE.remove(b'@').remove(b'+').remove(b'!').remove(b'\'');

/// Checks `feedback:`, pushing a problem for each mistake, pointed at its line.
pub(super) fn parse(doc: &YamlDoc, file: FeedbackFile, problems: &mut Vec<Diagnostic>) -> Feedback {
    let report_to = match (file.email, file.url) {
        (Some(_), Some(_)) => {
            problems.push(
                doc.error_at("feedback.url", "`feedback` has both `email` and `url`")
                    .with_help("keep one: `email:` for reports by e-mail, or `url:` for a form"),
            );
            None
        }
        (Some(email), None) => Some(ReportTo::Email(email.0)),
        (None, Some(url)) => check_form(&url.0)
            .map_err(|(message, help)| {
                problems.push(doc.error_at("feedback.url", message).with_help(help));
            })
            .ok()
            .map(ReportTo::Form),
        (None, None) => None,
    };
    if file.checked_months == Some(0) {
        problems.push(
            doc.error_at("feedback.checked_months", "`checked_months` must be at least 1")
                .with_help("write how many months a listing may go without being checked, like `checked_months: 12`, or remove the line"),
        );
    }
    Feedback {
        report_to,
        checked_months: file.checked_months.filter(|&m| m > 0),
    }
}

/// Checks a form's address: a web address, whose braces hold only known placeholders.
fn check_form(template: &str) -> Result<String, (String, String)> {
    let template = template.trim();
    if let Err(e) = WebUrl::parse_text(template) {
        let (message, help) = e.split_once("\nhelp: ").unwrap_or((&e, ""));
        let help = if help.is_empty() {
            "write the form's full address, starting with `https://`".to_string()
        } else {
            help.to_string()
        };
        return Err((
            format!("{message}; the feedback form needs a web address"),
            help,
        ));
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err((
                format!(
                    "the feedback form's address has a `{{` with no `}}` after it: `{template}`"
                ),
                placeholder_help(),
            ));
        };
        let word = &after[..close];
        if !PLACEHOLDERS.contains(&word) {
            let help = match closest(word, PLACEHOLDERS) {
                Some(p) if !word.is_empty() => {
                    format!(
                        "did you mean `{{{p}}}`? The address may contain {}",
                        placeholder_list()
                    )
                }
                _ => placeholder_help(),
            };
            return Err((
                format!(
                    "the feedback form's address has `{{{word}}}`, which PeerPress cannot fill in"
                ),
                help,
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(template.to_string())
}

fn placeholder_help() -> String {
    format!("the address may contain {}", placeholder_list())
}

fn placeholder_list() -> String {
    let list: Vec<String> = PLACEHOLDERS.iter().map(|p| format!("`{{{p}}}`")).collect();
    format!("{}, each filled in for the meeting", list.join(", "))
}

impl ReportTo {
    /// The "Report a change" link for one meeting: the form's address filled in, or a
    /// `mailto:` link whose subject and body (`subject`, `body`, already in the site's
    /// language) name the meeting.
    pub fn link(&self, meeting: &MeetingDetails, subject: &str, body: &str) -> String {
        match self {
            ReportTo::Form(template) => fill(template, meeting),
            ReportTo::Email(address) => {
                // RFC 6068: line breaks in a body are written CRLF.
                let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
                format!(
                    "mailto:{}?subject={}&body={}",
                    utf8_percent_encode(address, MAILBOX),
                    utf8_percent_encode(subject, VALUE),
                    utf8_percent_encode(&body, VALUE)
                )
            }
        }
    }

    /// The form's address for `meetings.json`'s `feedback_url`, or the address for its
    /// `feedback_emails`.
    pub fn email(&self) -> Option<&str> {
        match self {
            ReportTo::Email(address) => Some(address),
            ReportTo::Form(_) => None,
        }
    }
}

/// `template` with each placeholder replaced by the meeting's value, percent-encoded.
pub fn fill(template: &str, meeting: &MeetingDetails) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            break;
        };
        let value = match &after[..close] {
            "slug" => meeting.slug,
            "name" => meeting.name,
            "day" => meeting.day,
            "time" => meeting.time,
            "url" => meeting.url,
            other => {
                // Checked when `site.yaml` was read; kept as written if ever reached.
                out.push('{');
                out.push_str(other);
                out.push('}');
                rest = &after[close + 1..];
                continue;
            }
        };
        out.extend(utf8_percent_encode(value, VALUE));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The same date `months` months after `date` (the month's last day when it has fewer).
pub fn months_after(date: jiff::civil::Date, months: u32) -> Option<jiff::civil::Date> {
    date.checked_add(jiff::Span::new().try_months(i64::from(months)).ok()?)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> MeetingDetails<'static> {
        MeetingDetails {
            slug: "voices-tuesday",
            name: "Voices & Friends",
            day: "Martes",
            time: "19:00–20:30",
            url: "https://example.org/meetings/voices-tuesday/",
        }
    }

    #[test]
    fn a_form_address_is_filled_in_with_each_value_percent_encoded() {
        let url = fill(
            "https://forms.example.org/c?m={slug}&n={name}&d={day}&t={time}&p={url}",
            &details(),
        );
        assert_eq!(url, "https://forms.example.org/c?m=voices-tuesday&n=Voices%20%26%20Friends&d=Martes&t=19%3A00%E2%80%9320%3A30&p=https%3A%2F%2Fexample.org%2Fmeetings%2Fvoices-tuesday%2F");
        // Read back by an independent URL parser, every value comes back whole.
        let parsed = url::Url::parse(&url).unwrap();
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        assert_eq!(pairs[1], ("n".into(), "Voices & Friends".into()));
        assert_eq!(pairs[3], ("t".into(), "19:00–20:30".into()));
        assert_eq!(
            pairs[4],
            (
                "p".into(),
                "https://example.org/meetings/voices-tuesday/".into()
            )
        );
    }

    #[test]
    fn a_mailto_link_carries_the_subject_and_a_crlf_body() {
        let link = ReportTo::Email("list+ings@example.org".into()).link(
            &details(),
            "Change: Voices & Friends",
            "Meeting: x\nWhen: y?",
        );
        assert_eq!(link, "mailto:list+ings@example.org?subject=Change%3A%20Voices%20%26%20Friends&body=Meeting%3A%20x%0D%0AWhen%3A%20y%3F");
        let parsed = url::Url::parse(&link).unwrap();
        assert_eq!(parsed.scheme(), "mailto");
        assert_eq!(parsed.path(), "list+ings@example.org");
        let body: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        assert_eq!(body[1].1, "Meeting: x\r\nWhen: y?");
    }

    #[test]
    fn form_addresses_are_checked() {
        assert!(check_form("https://forms.example.org/?m={slug}").is_ok());
        assert!(check_form("https://forms.example.org/general").is_ok());
        let (message, help) = check_form("https://f.example.org/?m={slgu}").unwrap_err();
        assert!(message.contains("`{slgu}`"), "{message}");
        assert!(help.starts_with("did you mean `{slug}`?"), "{help}");
        assert!(check_form("ftp://forms.example.org/").is_err());
        assert!(check_form("https://f.example.org/?m={slug").is_err());
    }

    #[test]
    fn months_after_keeps_to_the_end_of_a_short_month() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        assert_eq!(months_after(d("2025-01-31"), 1), Some(d("2025-02-28")));
        assert_eq!(months_after(d("2025-11-01"), 12), Some(d("2026-11-01")));
    }
}
