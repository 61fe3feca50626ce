//! Sections: a content page with pages below it (`content/news/index.md` and
//! `content/news/*.md`) lists them, newest first, `paginate` to a page if its front
//! matter says so, and, if any of them has a date, is followed through its own Atom feed
//! (`render/atom.rs`). Worked out once, in the model, for the pages and the feeds alike.
//!
//! A section is one folder of one site; a site in several languages would have a
//! section per language, each with its pages and feed.

use std::num::NonZeroUsize;

use super::Page;

/// A content page and the pages one level below it.
#[derive(Debug, Clone)]
pub struct Section {
    /// The section's own page, an index in `Site::pages`.
    pub page: usize,
    /// Its pages, indices in `Site::pages`: dated ones newest first, then the others, by
    /// title.
    pub posts: Vec<usize>,
    /// How many of them each page of the list shows, if it is split.
    pub paginate: Option<NonZeroUsize>,
}

impl Section {
    /// Its dated pages, newest first: what its feed lists.
    pub fn dated<'a>(&'a self, pages: &'a [Page]) -> impl Iterator<Item = &'a Page> + 'a {
        self.posts
            .iter()
            .map(|&i| &pages[i])
            .take_while(|page| page.date.is_some())
    }

    /// Whether it has a feed: it is not the home page, and some of its pages are dated.
    pub fn has_feed(&self, pages: &[Page]) -> bool {
        !pages[self.page].route.is_empty() && self.dated(pages).next().is_some()
    }
}

/// The address of a section's feed: `news/` → `news/atom.xml`.
pub fn feed_route(section_route: &str) -> String {
    format!("{section_route}atom.xml")
}

/// The address of the `number`th page of a section's list (the first is the section's
/// own): `news/` → `news/page/2/`.
pub fn list_page_route(section_route: &str, number: usize) -> String {
    if number <= 1 {
        section_route.to_string()
    } else {
        format!("{section_route}page/{number}/")
    }
}

/// Every section of `pages` (sorted by route), in route order.
pub fn find(pages: &[Page]) -> Vec<Section> {
    let index_of = |route: &str| pages.binary_search_by(|p| p.route.as_str().cmp(route)).ok();
    let mut posts_of: foldhash::HashMap<usize, Vec<usize>> = Default::default();
    for (i, page) in pages.iter().enumerate() {
        if let Some(parent) = parent_route(&page.route).and_then(index_of) {
            posts_of.entry(parent).or_default().push(i);
        }
    }
    let mut sections: Vec<Section> = posts_of
        .into_iter()
        .map(|(page, mut posts)| {
            posts.sort_by(|&a, &b| {
                let (a, b) = (&pages[a], &pages[b]);
                b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title))
            });
            Section {
                page,
                posts,
                paginate: pages[page].paginate,
            }
        })
        .collect();
    sections.sort_unstable_by_key(|s| s.page);
    sections
}

/// The route one level up: `news/first/` → `news/`; the home page has none.
pub fn parent_route(route: &str) -> Option<&str> {
    let trimmed = route.strip_suffix('/')?;
    Some(trimmed.rfind('/').map_or("", |i| &route[..=i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_and_addresses() {
        assert_eq!(parent_route("news/first/"), Some("news/"));
        assert_eq!(parent_route("about/"), Some(""));
        assert_eq!(parent_route(""), None);
        assert_eq!(list_page_route("news/", 1), "news/");
        assert_eq!(list_page_route("news/", 3), "news/page/3/");
        assert_eq!(feed_route("news/"), "news/atom.xml");
    }
}
