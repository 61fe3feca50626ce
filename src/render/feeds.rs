//! The site's machine-readable outputs (calendars, data feeds, the sitemap,
//! `robots.txt`): each is one type implementing [`Feed`], in a module of its own, and
//! registered once in [`FEEDS`], as mdBook registers its renderers. Adding one is a new
//! module and a line here; the render stage lists every feed's paths before anything is
//! rendered (so two producers of one path are caught and links to a feed are checked)
//! and makes their files in parallel beside the pages.
//!
//! HTML pages are not feeds: they go through the templates (see `render/mod.rs`).

use crate::model::Site;

use super::{atom, finder, hsds, ical, meeting_guide, sitemap};

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
];

/// What a feed may draw on besides the site: the parts shared by several feeds, made
/// once per build.
pub struct Context<'a> {
    pub site: &'a Site,
    /// Each meeting's VEVENT and each zone's VTIMEZONE, for every calendar.
    pub calendar: &'a ical::Parts,
    /// The routes of the pages listed in the sitemap.
    pub sitemap_routes: &'a [String],
}

/// One file of a feed: its path in the output, and how to make it (called once, on
/// any core, after every path of the site is known).
pub struct File<'a> {
    pub path: String,
    pub make: Box<dyn Fn() -> String + Send + Sync + 'a>,
}

impl<'a> File<'a> {
    pub fn new(path: impl Into<String>, make: impl Fn() -> String + Send + Sync + 'a) -> Self {
        File {
            path: path.into(),
            make: Box::new(make),
        }
    }
}

/// A machine-readable output: one file for the site, or one per item.
pub trait Feed: Sync {
    /// The files this feed makes for the site in `context`.
    fn files<'a>(&self, context: &Context<'a>) -> Vec<File<'a>>;
}
