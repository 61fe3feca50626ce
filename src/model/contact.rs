//! Ways to reach someone, shared by the site, groups, venues and directory entries:
//! phone numbers, e-mail addresses, web addresses and postal addresses.

use serde::{Deserialize, Serialize};

use crate::deserialize_via_parsed;
use crate::model::yaml::{Parsed, Text};

/// A phone number as written (`116 123`), with the `tel:` form browsers dial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    pub display: String,
    /// Digits and a leading `+` only: `116123`, `+441632960123`; a dial-in number may
    /// go on with `,` (a pause), `*` and `#` to enter a meeting ID: `+12125550100,,123456#`.
    pub dial: String,
    /// `dial` as a `tel:` link's address: `#` is written `%23`, as RFC 3966 requires.
    pub tel: String,
}

impl Parsed for Phone {
    const EXPECTING: &'static str = "a phone number like `01632 960 123`";
    fn parse(text: &str) -> Result<Self, String> {
        let display = text.trim().to_string();
        let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
        let digits: String = display.chars().filter(|c| c.is_ascii_digit()).collect();
        if !display.chars().all(allowed)
            || digits.len() < 3
            || digits.len() > 15
            || display[1..].contains('+')
        {
            return Err(format!(
                "`{display}` does not look like a phone number\nhelp: write only digits, spaces and a leading `+`, like `01632 960 123` or `+44 1632 960 123`; put opening hours in `hours:`"
            ));
        }
        let plus = if display.starts_with('+') { "+" } else { "" };
        let dial = format!("{plus}{digits}");
        Ok(Phone {
            tel: dial.clone(),
            dial,
            display,
        })
    }
}
deserialize_via_parsed!(Phone);

/// A meeting's dial-in number: a phone number that may go on with the keys that enter
/// its meeting ID, `,` to wait a moment, then digits, `*` and `#`
/// (`+1 212 555 0100,,123456#`), so that phones join the meeting in one tap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DialIn(pub Phone);

impl Parsed for DialIn {
    const EXPECTING: &'static str =
        "a dial-in number like `01632 960 123` or `+1 212 555 0100,,123456#`";
    fn parse(text: &str) -> Result<Self, String> {
        let display = text.trim();
        let (number, keys) = match display.find([',', '*', '#']) {
            Some(i) => display.split_at(i),
            None => (display, ""),
        };
        let mut phone = match Phone::parse(number.trim_end()) {
            Ok(p) => p,
            Err(e) => {
                let (message, _) = e.split_once("\nhelp: ").unwrap_or((&e, ""));
                return Err(format!("{message}\nhelp: write the number with digits, spaces and a leading `+`; after it, `,` (a pause), digits, `*` and `#` may enter the meeting ID, like `+1 212 555 0100,,123456#`"));
            }
        };
        let keys: String = keys.chars().filter(|c| *c != ' ').collect();
        if !keys.starts_with(',') && !keys.is_empty() {
            return Err(format!("`{display}` needs a `,` between the number and the meeting ID\nhelp: write `,` (a pause) before the keys to press, like `+1 212 555 0100,,123456#`"));
        }
        if let Some(bad) = keys
            .chars()
            .find(|c| !(c.is_ascii_digit() || ",*#".contains(*c)))
        {
            return Err(format!("`{display}` has `{bad}` in its meeting ID\nhelp: after the number, write only `,` (a pause), digits, `*` and `#`, like `+1 212 555 0100,,123456#`"));
        }
        phone.dial.push_str(&keys);
        phone.tel = phone.dial.replace('#', "%23");
        phone.display = display.to_string();
        Ok(DialIn(phone))
    }
}
deserialize_via_parsed!(DialIn);

/// An e-mail address, checked for the shape every address has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(pub String);

impl Parsed for Email {
    const EXPECTING: &'static str = "an e-mail address like `hello@example.org`";
    fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().trim_start_matches("mailto:");
        let ok = match text.split_once('@') {
            Some((user, domain)) => {
                !user.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !text.contains(|c: char| c.is_whitespace() || "<>,;\"'()[]\\".contains(c))
                    && !domain.contains('@')
            }
            None => false,
        };
        if ok {
            Ok(Email(text.to_string()))
        } else {
            Err(format!("`{text}` is not an e-mail address\nhelp: write it like `hello@example.org`, with no spaces"))
        }
    }
}
deserialize_via_parsed!(Email);

/// A web address that a visitor can safely follow: `http(s)://` only, so nothing like
/// `javascript:` can reach a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WebUrl(pub String);

impl WebUrl {
    /// The address without its scheme, for display: `www.samaritans.org`.
    pub fn short(&self) -> String {
        let rest = self.0.split_once("://").map_or(self.0.as_str(), |(_, r)| r);
        rest.trim_end_matches('/').to_string()
    }
}

impl Parsed for WebUrl {
    const EXPECTING: &'static str = "a web address like `https://example.org/`";
    fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        match rest {
            Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !text.contains(char::is_whitespace) && !text.contains(['<', '>', '"']) => {
                Ok(WebUrl(text.to_string()))
            }
            _ if lower.starts_with("javascript:") || lower.starts_with("data:") || lower.starts_with("vbscript:") => {
                Err(format!("`{text}` is not a safe link\nhelp: links must be web addresses starting with `https://`"))
            }
            _ if !lower.contains("://") && lower.contains('.') && !text.contains(char::is_whitespace) => {
                Err(format!("`{text}` is missing `https://`\nhelp: write `https://{text}`"))
            }
            _ => Err(format!("`{text}` is not a web address\nhelp: write the full address, starting with `https://`")),
        }
    }
}
deserialize_via_parsed!(WebUrl);

/// A postal address: one line of text, or its parts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum AddressFile {
    Parts(AddressParts),
    Line(Text),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AddressParts {
    pub street: Option<Text>,
    pub town: Option<Text>,
    pub region: Option<Text>,
    pub postcode: Option<Text>,
    pub country: Option<Text>,
}

/// A postal address ready for display and for structured outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    /// The lines to show, in order.
    pub lines: Vec<String>,
    /// The parts, when the editor gave them.
    pub parts: AddressParts,
}

impl Address {
    pub fn one_line(&self) -> String {
        self.lines.join(", ")
    }
}

impl From<AddressFile> for Address {
    fn from(file: AddressFile) -> Self {
        match file {
            AddressFile::Line(text) => Address {
                lines: text
                    .0
                    .split([',', '\n'])
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect(),
                parts: AddressParts::default(),
            },
            AddressFile::Parts(parts) => {
                let town_line = [&parts.town, &parts.postcode]
                    .iter()
                    .filter_map(|p| p.as_ref().map(|t| t.0.clone()))
                    .collect::<Vec<_>>()
                    .join(" ");
                let lines = [
                    parts.street.as_ref().map(|t| t.0.clone()),
                    Some(town_line),
                    parts.region.as_ref().map(|t| t.0.clone()),
                ]
                .into_iter()
                .flatten()
                .filter(|l| !l.is_empty())
                .collect();
                Address { lines, parts }
            }
        }
    }
}

/// A person to contact about a group, or the site's own contact details.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "contact details like `{ name: Sam, email: sam@example.org }`")]
pub struct Contact {
    pub name: Option<Text>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Text>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(Phone::parse("116 123").unwrap().dial, "116123");
        assert_eq!(
            Phone::parse("+44 (0)1632 960-123").unwrap().dial,
            "+4401632960123"
        );
        assert!(Phone::parse("call us").is_err());
        assert!(Phone::parse("12").is_err());
    }

    #[test]
    fn dial_ins_with_a_meeting_id() {
        let p = DialIn::parse("+1 212 555 0100,,123456#").unwrap().0;
        assert_eq!(p.dial, "+12125550100,,123456#");
        assert_eq!(p.tel, "+12125550100,,123456%23");
        assert_eq!(p.display, "+1 212 555 0100,,123456#");
        assert_eq!(
            DialIn::parse("01632 960 555").unwrap().0.dial,
            "01632960555"
        );
        assert_eq!(
            DialIn::parse("0800 123 456,*2#").unwrap().0.dial,
            "0800123456,*2#"
        );
        assert!(DialIn::parse("+1 212 555 0100#123")
            .unwrap_err()
            .contains("needs a `,`"));
        assert!(DialIn::parse("+1 212 555 0100,,12a#")
            .unwrap_err()
            .contains("`a`"));
        assert!(DialIn::parse("12,,345").is_err());
        // An ordinary phone number takes no meeting ID.
        assert!(Phone::parse("+1 212 555 0100,,123456#").is_err());
    }

    #[test]
    fn emails_and_urls() {
        assert!(Email::parse("sam@example.org").is_ok());
        assert!(Email::parse("sam at example.org").is_err());
        assert!(Email::parse("sam@localhost").is_err());
        assert!(WebUrl::parse("https://example.org/").is_ok());
        assert!(WebUrl::parse("javascript:alert(1)")
            .unwrap_err()
            .contains("not a safe link"));
        assert!(WebUrl::parse("www.example.org")
            .unwrap_err()
            .contains("missing `https://`"));
        assert_eq!(
            WebUrl::parse("https://www.samaritans.org/")
                .unwrap()
                .short(),
            "www.samaritans.org"
        );
    }

    #[test]
    fn addresses() {
        let a: Address = AddressFile::Line(Text("4 Mill Street, Riverside RV1 3CD".into())).into();
        assert_eq!(a.lines, ["4 Mill Street", "Riverside RV1 3CD"]);
        let p: AddressFile =
            serde_yaml::from_str("{ street: 12 Church Lane, town: Riverside, postcode: RV1 2AB }")
                .unwrap();
        assert_eq!(
            Address::from(p).one_line(),
            "12 Church Lane, Riverside RV1 2AB"
        );
    }
}
