//! The site's machine-readable outputs (calendars, data feeds, the sitemap,
//! `robots.txt`): each is one type implementing [`Feed`], in a module of its own, and
//! registered once in [`FEEDS`], as mdBook registers its renderers. Adding one is a new
//! module and a line here; the render stage lists every feed's paths before anything is
//! rendered (so two producers of one path are caught and links to a feed are checked)
//! and makes their files in parallel beside the pages.
//!
//! An output whose files are made all at once, and named only once made (the search
//! index's names are hashes of their contents), gives a [`Folder`] instead: it claims
//! its folder whole, and is made alongside the pages rather than before them.
//!
//! HTML pages are not feeds: they go through the templates (see `render/mod.rs`).

use crate::diagnostics::Diagnostic;
use crate::model::Site;

use super::reuse::MadeFrom;
use super::{atom, finder, hsds, ical, language_root, meeting_guide, search, sitemap};

/// Every feed, in the order their files are made: the whole site's first (each one long
/// task), then each item's, then the small ones.
pub static FEEDS: &[&dyn Feed] = &[
    &ical::SiteCalendar,
    &meeting_guide::MeetingGuide,
    &finder::MeetingFinder,
    &hsds::Directory,
    &ical::GroupCalendars,
    &ical::MeetingCalendars,
    &atom::SectionFeeds,
    &sitemap::Sitemap,
    &sitemap::Robots,
    &language_root::LanguageRoot,
    &search::SearchIndex,
];

/// What a feed may draw on besides the site: the parts shared by several feeds, made
/// once per build.
pub struct Context<'a> {
    pub site: &'a Site,
    /// Each meeting's VEVENT and each zone's VTIMEZONE, for every calendar.
    pub calendar: &'a ical::Parts,
    /// The routes of the pages listed in the sitemap, in each language of the site
    /// (the default first; one list for a site in one language).
    pub sitemap_routes: &'a [Vec<String>],
    /// The search index, unless the site turns search off.
    pub search: Option<&'a search::Index<'a>>,
}

/// One file of a feed: its path in the output, and how to make it (called once, on
/// any core, after every path of the site is known).
pub struct File<'a> {
    pub path: String,
    pub make: Box<dyn Fn() -> Vec<u8> + Send + Sync + 'a>,
    /// What the file is made from, if its feed knows it without making the file: the
    /// previous build's file is then kept if it was made from the same, and the file is
    /// made only otherwise.
    pub made_from: Option<MadeFrom>,
}

impl<'a> File<'a> {
    /// A file of text.
    pub fn new(path: impl Into<String>, make: impl Fn() -> String + Send + Sync + 'a) -> Self {
        File::bytes(path, move || make().into_bytes())
    }

    /// A file of any bytes.
    pub fn bytes(path: impl Into<String>, make: impl Fn() -> Vec<u8> + Send + Sync + 'a) -> Self {
        File {
            path: path.into(),
            make: Box::new(make),
            made_from: None,
        }
    }

    /// The file, kept from the previous build if that made it from `made_from` too.
    pub fn kept_if(self, made_from: MadeFrom) -> Self {
        File {
            made_from: Some(made_from),
            ..self
        }
    }
}

/// The files of an output made together, in a folder of their own (`pagefind/`), whose
/// names are known only once they are made. No other file may be written in the folder,
/// so the paths of the site can be checked before its files are made, and the files
/// are made alongside the pages. Its links are not checked: pages reach it from scripts.
pub struct Folder<'a> {
    /// Its path in the output, ending in `/`.
    pub path: &'static str,
    /// The one file it always has (its path in the folder), for the checks of the
    /// site's paths; a previous build's folder is kept only if it has it.
    pub always: &'static str,
    /// What its files are made from: the previous build's files are kept if they were
    /// made from the same, and the folder is made only otherwise.
    pub made_from: MadeFrom,
    /// Makes its files (each path in the folder, and its bytes), once, on any core.
    #[allow(clippy::type_complexity)]
    pub make: Box<dyn Fn() -> Result<Vec<(String, Vec<u8>)>, Box<Diagnostic>> + Send + Sync + 'a>,
}

/// A machine-readable output: one file for the site, or one per item, or a folder of
/// files made together.
pub trait Feed: Sync {
    /// The files this feed makes for the site in `context`.
    fn files<'a>(&self, _context: &Context<'a>) -> Vec<File<'a>> {
        Vec::new()
    }

    /// The folder of files this feed makes together, if it makes one.
    fn folder<'a>(&self, _context: &Context<'a>) -> Option<Folder<'a>> {
        None
    }
}
