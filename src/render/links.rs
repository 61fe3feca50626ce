//! Checking every internal link and `#anchor` of the built site, in Markdown and in
//! templates' output alike: a link to a page that is not there, or to an anchor the page
//! does not have, is a dead end for a visitor.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Position};
use crate::model::urls::BaseUrl;
use crate::model::Markdown;
use crate::render::Output;

/// Checks the links of every HTML page in `files`. `sources` maps an output path to the
/// file it came from and that file's text (for pointing at the line).
pub fn check(
    files: &[Output],
    sources: &HashMap<String, (String, Option<&Markdown>)>,
    base: &BaseUrl,
) -> Vec<Diagnostic> {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let pages: Vec<&Output> = files.iter().filter(|f| f.path.ends_with(".html")).collect();
    let scanned: Vec<(&str, Attributes)> = pages
        .par_iter()
        .map(|p| (p.path.as_str(), scan(&p.bytes)))
        .collect();
    let ids: HashMap<&str, &HashSet<&str>> =
        scanned.iter().map(|(path, a)| (*path, &a.ids)).collect();

    // Broken target → the pages that link to it, so a broken menu link is one message,
    // not one per page.
    let broken: Vec<(String, String, &'static str)> = scanned
        .par_iter()
        .flat_map_iter(|(page, attributes)| {
            let mut found = Vec::new();
            for href in &attributes.links {
                if let Some(problem) = check_link(href, page, &paths, &ids, base) {
                    found.push((page.to_string(), href.to_string(), problem));
                }
            }
            found
        })
        .collect();
    let mut by_link: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    for (page, href, problem) in broken {
        by_link.entry((href, problem)).or_default().push(page);
    }
    by_link
        .into_iter()
        .map(|((href, problem), mut pages)| {
            pages.sort();
            let (file, text) = sources.get(&pages[0]).cloned().unwrap_or_else(|| (pages[0].clone(), None));
            // Bodies start part-way into their files; pad so line numbers are the file's.
            let text = text.map(|md| format!("{}{}", "\n".repeat(md.first_line.saturating_sub(1)), md.source));
            let on = if pages.len() == 1 { format!("on `/{}`", pages[0].trim_end_matches("index.html")) } else { format!("on {} pages, such as `/{}`", pages.len(), pages[0].trim_end_matches("index.html")) };
            let (message, help, severity_error) = match problem {
                "page" => (format!("the link to `{href}` {on} goes to a page that does not exist"), "check the address; links between files of the site are best written with the file name, like `about.md`", true),
                _ => (format!("the link to `{href}` {on} goes to an anchor that the page does not have"), "check the part after `#`: it must be the id of a heading on that page (a heading `## Our team` has the id `our-team`)", false),
            };
            let mut d = if severity_error { Diagnostic::error(file, message) } else { Diagnostic::warning(file, message) }.with_help(help);
            if let Some(text) = text {
                if let Some(position) = find(&text, &href) {
                    d = d.at(&text, position);
                }
            }
            d
        })
        .collect()
}

/// What is wrong with a link, if anything: `"page"` or `"anchor"`.
fn check_link(
    href: &str,
    page: &str,
    paths: &HashSet<&str>,
    ids: &HashMap<&str, &HashSet<&str>>,
    base: &BaseUrl,
) -> Option<&'static str> {
    let href = href.replace("&amp;", "&");
    if href.is_empty()
        || href.contains("://")
        || href.starts_with("//")
        || href
            .split(['/', '#', '?'])
            .next()
            .is_some_and(|first| first.contains(':'))
    {
        return None;
    }
    let (path, fragment) = href
        .split_once('#')
        .map_or((href.as_str(), None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or("");
    // A link still naming a source file was not resolved by the Markdown stage, which has
    // already reported it at its line.
    if [".md", ".markdown", ".yaml", ".yml"]
        .iter()
        .any(|ext| path.ends_with(ext))
    {
        return None;
    }
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(inside) = path.strip_prefix(&base.path) {
        resolve(inside)
    } else if path.starts_with('/') {
        // A root path outside the site's base path.
        return (path.trim_end_matches('/') != base.path.trim_end_matches('/')).then_some("page");
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        resolve(&normalise(&format!("{dir}/{path}")))
    };
    if !paths.contains(target.as_str()) {
        return Some("page");
    }
    match fragment {
        Some(f) if !f.is_empty() && target.ends_with(".html") => {
            let known = ids.get(target.as_str()).is_some_and(|ids| ids.contains(f));
            (!known).then_some("anchor")
        }
        _ => None,
    }
}

fn resolve(path: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let trailing = if path.ends_with('/') { "/" } else { "" };
    format!("{}{trailing}", parts.join("/"))
}

/// The ids a page has and the links it makes.
struct Attributes<'a> {
    ids: HashSet<&'a str>,
    links: HashSet<&'a str>,
}

/// Finds every ` id="…"`, ` href="…"` and ` src="…"` of a page in one pass (our
/// templates and pulldown-cmark quote attributes with double quotes).
fn scan(html: &[u8]) -> Attributes<'_> {
    let mut found = Attributes {
        ids: HashSet::new(),
        links: HashSet::new(),
    };
    let Ok(html) = std::str::from_utf8(html) else {
        return found;
    };
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find("=\"") {
        let eq = i + offset;
        let value_start = eq + 2;
        let Some(len) = html[value_start..].find('"') else {
            break;
        };
        let value = &html[value_start..value_start + len];
        let name_start = html[..eq]
            .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .map_or(0, |p| p + 1);
        if name_start > 0 && bytes[name_start - 1] == b' ' {
            match &html[name_start..eq] {
                "id" => {
                    found.ids.insert(value);
                }
                "href" | "src" => {
                    found.links.insert(value);
                }
                _ => {}
            }
        }
        i = value_start + len + 1;
    }
    found
}

/// Where `href` (or its last part, as the editor may have written it) appears in `text`.
fn find(text: &str, href: &str) -> Option<Position> {
    let candidates = [
        href.to_string(),
        href.rsplit('/')
            .find(|s| !s.is_empty())
            .unwrap_or(href)
            .to_string(),
    ];
    for candidate in candidates.iter().filter(|c| c.len() > 1) {
        if let Some(offset) = text.find(candidate.as_str()) {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Some(Position {
                line,
                column,
                len: candidate.chars().count(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> Output {
        Output {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
        }
    }

    #[test]
    fn finds_broken_pages_and_anchors_once_each() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        let files = vec![
            page(
                "index.html",
                r##"<a href="/about/">a</a><a href="/nope/">b</a><a href="/about/#team">c</a><a href="/about/#gone">d</a><a href="https://x.org/">e</a><a href="mailto:a@b.org">f</a><a href="#top">g</a><h1 id="top">T</h1>"##,
            ),
            page(
                "about/index.html",
                r#"<h2 id="team">Team</h2><a href="/nope/">b</a><a href="../">home</a><img src="/assets/logo.svg">"#,
            ),
            page("assets/logo.svg", "<svg/>"),
        ];
        let found = check(&files, &HashMap::new(), &base);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found
            .iter()
            .any(|d| d.is_error() && d.message.contains("`/nope/` on 2 pages")));
        assert!(found
            .iter()
            .any(|d| !d.is_error() && d.message.contains("`/about/#gone`")));
    }
}
