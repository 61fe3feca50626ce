//! Where every page lives: one place computes routes, links and output paths.
//!
//! A *route* is a page's path inside the site without a leading slash (`groups/voices/`,
//! `calendar.ics`, `` for the home page). Links prepend the base URL's path so a site
//! deployed under a sub-path (`https://example.org/peer/`) links correctly. On a site in
//! several languages, a language's pages are under its prefix (`/es/groups/voices/`),
//! while files (pictures, calendars, feeds) are the site's, one for every language:
//! [`BaseUrl::href`] tells them apart by the route's shape, so no caller has to.

/// The site's base URL, split into what links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host, e.g. `https://example.org` (no trailing slash).
    pub origin: String,
    /// The path prefix, always starting and ending with `/`, e.g. `/peer/`.
    pub path: String,
    /// The prefix of the pages' language below `path` (`es/`), or empty for the
    /// language at the site's root. Files have none.
    pub language: String,
}

impl BaseUrl {
    /// Parses an absolute `http(s)://` URL, or a bare path (`/`) for local previews.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let (origin, path) = if let Some(rest) = text
            .strip_prefix("https://")
            .map(|r| ("https://", r))
            .or_else(|| text.strip_prefix("http://").map(|r| ("http://", r)))
        {
            let (scheme, rest) = rest;
            let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
            if host.is_empty() || host.contains(char::is_whitespace) {
                return Err(format!("`{text}` has no host name\nhelp: write the full address the site will be published at, like `https://example.org/`"));
            }
            (format!("{scheme}{host}"), path)
        } else if text.starts_with('/') {
            (String::new(), text.trim_start_matches('/'))
        } else {
            return Err(format!("`{text}` is not a web address\nhelp: write the full address the site will be published at, starting with `https://`, like `https://example.org/`"));
        };
        let path = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_matches('/');
        let path = if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        };
        Ok(BaseUrl {
            origin,
            path,
            language: String::new(),
        })
    }

    /// The same site's addresses in the language whose prefix is `prefix` (`es/`, or
    /// empty for the root).
    pub fn in_language(&self, prefix: &str) -> BaseUrl {
        BaseUrl {
            language: prefix.to_string(),
            ..self.clone()
        }
    }

    /// The addresses of the site's root, without a language's prefix: what links are
    /// checked against, every page's path being known from the root.
    pub fn root(&self) -> BaseUrl {
        self.in_language("")
    }

    /// The link to a route, from any page of the site: `/peer/groups/voices/`, or
    /// `/peer/es/groups/voices/` for a page in a language with a prefix.
    pub fn href(&self, route: &str) -> String {
        // (Made for every link to every item: joined without `format!`, which costs more.)
        let language = self.language_of(route);
        let mut href = String::with_capacity(self.path.len() + language.len() + route.len());
        href.push_str(&self.path);
        href.push_str(language);
        href.push_str(route);
        href
    }

    /// The link to a file published at `path` (`photos/our garden.jpg`), its characters
    /// that an address cannot hold as they are percent-encoded:
    /// `/peer/photos/our%20garden.jpg`.
    pub fn file_href(&self, path: &str) -> String {
        self.href(&percent_path(path))
    }

    /// The full URL of a route, for feeds, sitemaps and canonical links.
    pub fn absolute(&self, route: &str) -> String {
        let language = self.language_of(route);
        let mut url = String::with_capacity(
            self.origin.len() + self.path.len() + language.len() + route.len(),
        );
        url.push_str(&self.origin);
        url.push_str(&self.path);
        url.push_str(language);
        url.push_str(route);
        url
    }

    /// The language prefix a route takes: a page's (`groups/`, ``, `about/#team`) is in
    /// the pages' language; a file's (`calendar.ics`, `logo.svg`) is the site's.
    fn language_of(&self, route: &str) -> &str {
        if self.language.is_empty() {
            return "";
        }
        let path = route.split(['#', '?']).next().unwrap_or_default();
        if path.is_empty() || path.ends_with('/') {
            &self.language
        } else {
            ""
        }
    }

    /// The host name (for calendar UIDs), or `localhost` for a path-only base URL.
    pub fn host(&self) -> &str {
        self.origin.split("://").nth(1).unwrap_or("localhost")
    }
}

/// The file a route is written to: `groups/voices/` → `groups/voices/index.html`.
pub fn output_path(route: &str) -> String {
    if route.is_empty() || route.ends_with('/') {
        // (Made for every page and every link checked: joined without `format!`.)
        let mut file = String::with_capacity(route.len() + 10);
        file.push_str(route);
        file.push_str("index.html");
        file
    } else {
        route.to_string()
    }
}

pub fn group(slug: &str) -> String {
    format!("groups/{slug}/")
}
pub fn meeting(slug: &str) -> String {
    format!("meetings/{slug}/")
}
/// The groups whose names start with one initial, on a big site (`m`, `0-9`): a
/// group's own page is one level up, so no group's slug can take its address.
pub fn group_initial(id: &str) -> String {
    format!("groups/a-z/{id}/")
}
/// The meetings of one weekday (`monday`…): a meeting's slug always has a hyphen
/// (`<group>-<id>`), so it is never a day's.
pub fn meeting_day(day_key: &str) -> String {
    format!("meetings/{day_key}/")
}
/// The meetings finder's data: every meeting still going, with only what it filters on
/// and shows.
pub const MEETING_FINDER: &str = "meetings/finder.json";
/// One meeting's calendar file.
pub fn meeting_calendar(slug: &str) -> String {
    format!("meetings/{slug}.ics")
}
/// A group's calendar of all its meetings.
pub fn group_calendar(slug: &str) -> String {
    format!("groups/{slug}/calendar.ics")
}
/// Advice on browsing safely on a shared or watched device.
pub const BROWSING_SAFELY: &str = "browsing-safely/";
/// Every meeting of the site.
pub const CALENDAR: &str = "calendar.ics";
/// The Meeting Guide feed.
pub const MEETING_GUIDE: &str = "meetings.json";
/// The directory as Open Referral HSDS.
pub const DIRECTORY_HSDS: &str = "directory.json";
/// The search page, which explains itself and lists the site's A–Z lists without
/// JavaScript.
pub const SEARCH: &str = "search/";
/// The folder of the search index and the script that reads it.
pub const SEARCH_INDEX: &str = "pagefind/";

pub fn topic(slug: &str) -> String {
    format!("topics/{slug}/")
}
pub fn value(slug: &str) -> String {
    format!("values/{slug}/")
}
pub fn organisation(slug: &str) -> String {
    format!("directory/{slug}/")
}

/// A content page's route from its path under `content/`: `about.md` → `about/`,
/// `news/index.md` → `news/`, `index.md` → the home page.
pub fn page(path_in_content: &str) -> String {
    let stem = path_in_content
        .rsplit_once('.')
        .map_or(path_in_content, |(s, _)| s);
    let stem = stem
        .strip_suffix("/index")
        .or(if stem == "index" { Some("") } else { None })
        .unwrap_or(stem);
    let route: Vec<String> = stem
        .split('/')
        .filter(|s| !s.is_empty())
        // A name with no letter or digit (`-.md`) is `untitled`, as elsewhere: left
        // empty, `news/-.md` became `news//`, written over `news/index.html` unchecked.
        .map(|part| match super::slug::slugify(part) {
            slug if slug.is_empty() => "untitled".to_string(),
            slug => slug,
        })
        .collect();
    if route.is_empty() {
        String::new()
    } else {
        format!("{}/", route.join("/"))
    }
}

/// A path of the site as an address: characters an address cannot hold as they are
/// (spaces, say) percent-encoded, `/` kept.
fn percent_path(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b',');
    percent_encoding::utf8_percent_encode(path, KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let b = BaseUrl::parse("https://example.org/peer").unwrap();
        assert_eq!(b.href("groups/x/"), "/peer/groups/x/");
        assert_eq!(b.absolute(""), "https://example.org/peer/");
        assert_eq!(b.host(), "example.org");
        assert_eq!(BaseUrl::parse("https://example.org").unwrap().href(""), "/");
        assert_eq!(BaseUrl::parse("/").unwrap().href("a/"), "/a/");
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
    }

    #[test]
    fn a_language_prefixes_pages_but_not_files() {
        let es = BaseUrl::parse("https://example.org/peer")
            .unwrap()
            .in_language("es/");
        assert_eq!(es.href(""), "/peer/es/");
        assert_eq!(es.href("groups/x/"), "/peer/es/groups/x/");
        assert_eq!(es.href("about/#team"), "/peer/es/about/#team");
        assert_eq!(es.href("calendar.ics"), "/peer/calendar.ics");
        assert_eq!(es.href("assets/style.css"), "/peer/assets/style.css");
        assert_eq!(es.absolute("about/"), "https://example.org/peer/es/about/");
        assert_eq!(es.root().href("about/"), "/peer/about/");
    }

    #[test]
    fn page_routes() {
        assert_eq!(page("index.md"), "");
        assert_eq!(page("about.md"), "about/");
        assert_eq!(page("news/index.md"), "news/");
        assert_eq!(page("news/Autumn Update.md"), "news/autumn-update/");
        assert_eq!(page("news/-.md"), "news/untitled/");
        assert_eq!(page("--/-.md"), "untitled/untitled/");
        assert_eq!(output_path(""), "index.html");
        assert_eq!(output_path("about/"), "about/index.html");
        assert_eq!(output_path("calendar.ics"), "calendar.ics");
    }
}
