//! Content kinds: what a site is made of. Each kind is one module that says, in one
//! place, the folder it reads, its typed front matter and checks, the addresses of its
//! pages, what its templates see, and what it gives the outputs every kind shares (the
//! sitemap, the menu, the link checker). Every kind is registered once, in [`KINDS`]:
//! the load stage reads the folders they name, the model asks each in turn to build its
//! part of the site, and the render stage asks each for its pages and template values.
//!
//! A kind is not an output: calendars and data feeds are `render::feeds`. The pages
//! every site has whatever its content (home, browsing safely, 404) are the render
//! stage's own.

pub mod directory;
pub mod groups;
pub mod pages;
pub mod values;

use std::path::PathBuf;

use crate::load::SourceFile;
use crate::model::{Building, Markdown, Site};
use crate::render::search::Record as SearchRecord;
use crate::render::views::Views;
use crate::render::{ItemSet, Job, PageKind};

/// Every kind, in the order they are built: a kind may use what those before it built
/// (topics come from groups), and when two files would make one page, the one whose kind
/// comes first keeps it.
pub(crate) static KINDS: &[&dyn Kind] = &[
    &groups::Groups,
    &values::Values,
    &directory::Directory,
    &pages::Pages,
];

/// A folder of the site that a kind reads.
#[derive(Debug, Clone, Copy)]
pub struct Folder {
    /// Its name in the site folder.
    pub name: &'static str,
    /// The extensions of the files taken from it (others are ignored).
    pub extensions: &'static [&'static str],
    /// Whether its files are read by the kind one by one as it parses them, rather
    /// than all at once by the load stage: a big site's content pages are most of its
    /// text, and are not all held in memory at once.
    pub read_by_kind: bool,
}

/// The Markdown extensions a folder of pages takes.
pub const MARKDOWN: &[&str] = &["md", "markdown"];

/// A kind's files, as the load stage found them: read, or (for a folder read by the
/// kind) only listed.
#[derive(Debug, Default, Clone)]
pub struct Files {
    pub read: Vec<SourceFile>,
    pub unread: Vec<PathBuf>,
}

/// One kind of content.
pub(crate) trait Kind: Sync {
    /// The folder it reads.
    fn folder(&self) -> Folder;

    /// Parses and checks its files, claims the addresses of its pages, and adds its
    /// items to the site being built.
    fn build(&self, files: Files, site: &mut Building);

    /// The pages that list its items (`/groups/`): each made from its template, with
    /// the content page at its address (`content/groups.md`) as its introduction if the
    /// site has one.
    fn list_pages(&self) -> &'static [ListPage] {
        &[]
    }

    /// How many item pages it makes (at most), so the list of every page is made its
    /// full size at once.
    fn page_count(&self, site: &Site) -> usize;

    /// A page for each of its items.
    fn item_pages<'a>(&self, site: &'a Site, cx: &ItemPages<'a, '_>, jobs: &mut Vec<Job<'a>>);

    /// Its items as template values, made once per build: each [`ItemSet`] is a global
    /// of the templates (and a map by slug, if it names one), and the item its own page
    /// shows. `views` holds what was worked out for every kind; a kind takes its own
    /// from it. Hashed when `hashing`, for rebuilds to keep pages whose items did not
    /// change.
    fn items(&self, site: &Site, views: &mut Views, hashing: bool) -> Vec<ItemSet>;

    /// The Markdown of its items, so a problem found in a page's links points at the
    /// line of the file it came from.
    fn sources<'a>(&self, _site: &'a Site) -> Vec<&'a Markdown> {
        Vec::new()
    }

    /// Its pages a visitor may find with the site's search, each with what they would
    /// search it for (see `render/search.rs`). A kind without any is not searched.
    fn search_records<'a>(&self, _site: &'a Site) -> Vec<SearchRecord<'a>> {
        Vec::new()
    }
}

/// A page listing a kind's items.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListPage {
    /// Its address (`groups/`).
    pub route: &'static str,
    pub kind: PageKind,
    pub template: &'static str,
    /// The word (in the translation tables) for its title, when no content page gives
    /// one.
    pub title: &'static str,
    /// The word for its entry in the default menu, if it has one.
    pub menu: Option<&'static str>,
}

/// What a kind's item pages may draw on.
pub(crate) struct ItemPages<'a, 'v> {
    pub views: &'v Views<'a>,
    /// The addresses of the pages PeerPress makes (home, every list page), which a
    /// content page at the same address introduces rather than replaces.
    pub generated: &'v [&'static str],
    /// Every content page in brief, for pages that list their children.
    pub summaries: &'a [crate::kinds::pages::PageSummary],
}

/// The folder of every kind.
pub(crate) fn folders() -> impl Iterator<Item = Folder> {
    KINDS.iter().map(|kind| kind.folder())
}
