//! The kinds of HTML page a site has. The compiler checks every match on them; templates
//! see each as a stable name (`page.kind`, and the `kind-…` class on `<body>`), which
//! themes compare, so a name never changes once published.

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    GroupList,
    MeetingList,
    TopicList,
    ValueList,
    Directory,
    /// The page on browsing safely.
    Safety,
    /// The search page, unless the site turns search off.
    Search,
    /// A content page of the site's own.
    Page,
    Group,
    /// The groups whose names start with one initial.
    GroupInitial,
    Meeting,
    /// The meetings of one weekday.
    MeetingDay,
    Topic,
    Value,
    Organisation,
    NotFound,
}

impl PageKind {
    /// The name templates see.
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::GroupList => "groups",
            PageKind::MeetingList => "meetings",
            PageKind::TopicList => "topics",
            PageKind::ValueList => "values",
            PageKind::Directory => "directory",
            PageKind::Safety => "safety",
            PageKind::Search => "search",
            PageKind::Page => "page",
            PageKind::Group => "group",
            PageKind::GroupInitial => "group-initial",
            PageKind::Meeting => "meeting",
            PageKind::MeetingDay => "meeting-day",
            PageKind::Topic => "topic",
            PageKind::Value => "value",
            PageKind::Organisation => "organisation",
            PageKind::NotFound => "not-found",
        }
    }

    /// Whether the page lists every item of a kind (every meeting, every group of a
    /// topic), and so may be big: such pages are rendered first, so that no core is left
    /// rendering one alone at the end.
    pub fn lists_everything(self) -> bool {
        match self {
            PageKind::Home
            | PageKind::GroupList
            | PageKind::MeetingList
            | PageKind::MeetingDay
            | PageKind::GroupInitial
            | PageKind::TopicList
            | PageKind::Topic
            | PageKind::ValueList
            | PageKind::Directory => true,
            PageKind::Safety
            | PageKind::Search
            | PageKind::Page
            | PageKind::Group
            | PageKind::Meeting
            | PageKind::Value
            | PageKind::Organisation
            | PageKind::NotFound => false,
        }
    }
}
