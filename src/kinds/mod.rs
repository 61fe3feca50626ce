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
use crate::model::Building;

/// Every kind, in the order they are built: a kind may use what those before it built
/// (topics come from groups), and when two files would make one page, the one whose kind
/// comes first keeps it.
pub static KINDS: &[&dyn Kind] = &[
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
#[derive(Debug, Default)]
pub struct Files {
    pub read: Vec<SourceFile>,
    pub unread: Vec<PathBuf>,
}

/// One kind of content.
pub trait Kind: Sync {
    /// The folder it reads.
    fn folder(&self) -> Folder;

    /// Parses and checks its files, claims the addresses of its pages, and adds its
    /// items to the site being built.
    fn build(&self, files: Files, site: &mut Building);
}

/// The folder of every kind.
pub fn folders() -> impl Iterator<Item = Folder> {
    KINDS.iter().map(|kind| kind.folder())
}
