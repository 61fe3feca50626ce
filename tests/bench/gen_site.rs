//! gen-site: writes a synthetic PeerPress site of about N pages, for the benchmark in
//! `tests/bench/run`, and optionally the same Markdown pages as an equivalent Hugo site
//! and as a PeerPress site of those pages alone.
//!
//! ```text
//! gen-site --pages N [--seed S] --out DIR [--hugo DIR] [--same-pages DIR]
//! gen-site --edit-group --out DIR [--hugo DIR]
//! gen-site --intergroup MEETINGS [--seed S] --out DIR
//! ```
//!
//! The first form writes, deterministically from the seed, into DIR (which must not
//! exist or be empty):
//!
//! - about 70% of N as content pages, and more in place of the values statements not
//!   made (below): `content/index.md`, and sections of up to 100 pages, each with its
//!   `index.md`; ~600 words of Markdown with headings, paragraphs, bulleted and
//!   numbered lists, emphasis, a small table and relative `.md` links to other
//!   generated pages;
//! - about 15% as groups (`groups/group-NNNNN.md`), each with 1–3 meetings: weekly,
//!   fortnightly (`every: 2 weeks` with a `starts:` on the meeting's weekday) or
//!   monthly (`every: month` with `week:`), in person, online or hybrid, some in
//!   another time zone;
//! - about 14% as directory entries (`directory/org-NNNNN.yaml`), 1% (at least 3, at
//!   most 12: an organisation has a handful) as values statements
//!   (`values/value-NNN.md`), and one venue for every four groups in `venues.yaml`.
//!
//! With `--hugo DIR` it also writes a Hugo site whose pages have the same Markdown
//! bodies: content pages at the same paths (`index.md` becomes `_index.md`), and the
//! groups, values statements and directory entries as pages of the sections `groups/`,
//! `values/` and `directory/`, so both tools render about N comparable pages. Its
//! templates are minimal (a title, a nav, the content, and a list of child pages on
//! list pages). The links between pages are made to point where this layout has the
//! pages.
//!
//! With `--same-pages DIR` it also writes those pages as a PeerPress site of content
//! pages alone: the Hugo site's files, front matter and Markdown, with `index.md` for
//! `_index.md`, and no groups, meetings, venues or directory entries. PeerPress then
//! renders just the pages Hugo renders, with its own theme, and the benchmark can set
//! the two side by side on the same work as well as on the whole PeerPress site.
//!
//! The second form appends one sentence to `groups/group-00001.md` (and to the Hugo
//! copy of that page with `--hugo`), so the benchmark can time a rebuild after a
//! one-file edit. Each call appends a different sentence.
//!
//! The third form writes an intergroup's site of about MEETINGS meetings (see
//! `intergroup.rs`), for the benchmark and the scale checks of the meetings pages.
//!
//! The program uses only the standard library, so this file compiles on its own with
//! `rustc --edition 2021 -O tests/bench/gen_site.rs` as well as with
//! `cargo build --release --example gen-site`. Its tests (`cargo test --example
//! gen-site`, part of `cargo test`) build the sites it writes with PeerPress.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "intergroup.rs"]
mod intergroup;

// ---------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------

const USAGE: &str = "usage: gen-site --pages N [--seed S] --out DIR [--hugo DIR] [--same-pages DIR]
       gen-site --edit-group --out DIR [--hugo DIR]
       gen-site --intergroup MEETINGS [--seed S] --out DIR

Writes a synthetic PeerPress site of about N pages into DIR (new or empty), with
--hugo the same Markdown pages as a Hugo site into another folder, and with
--same-pages those pages alone as a PeerPress site of content pages. --edit-group
appends a sentence to groups/group-00001.md of an existing generated site (and to
its Hugo copy), to time a rebuild after editing one group. --intergroup writes an
intergroup's site of about MEETINGS meetings (many small groups, hundreds of venues).";

struct Args {
    pages: usize,
    seed: u64,
    out: PathBuf,
    hugo: Option<PathBuf>,
    same_pages: Option<PathBuf>,
    edit_group: bool,
    /// `--intergroup MEETINGS`.
    intergroup: Option<usize>,
}

fn parse_args() -> Result<Args, String> {
    let mut pages = None;
    let mut seed = 1;
    let mut out = None;
    let mut hugo = None;
    let mut same_pages = None;
    let mut edit_group = false;
    let mut intergroup = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--pages" => {
                pages = Some(
                    value("--pages")?
                        .parse::<usize>()
                        .map_err(|e| format!("--pages: {e}"))?,
                )
            }
            "--seed" => {
                seed = value("--seed")?
                    .parse::<u64>()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--hugo" => hugo = Some(PathBuf::from(value("--hugo")?)),
            "--same-pages" => same_pages = Some(PathBuf::from(value("--same-pages")?)),
            "--edit-group" => edit_group = true,
            "--intergroup" => {
                intergroup = Some(
                    value("--intergroup")?
                        .parse::<usize>()
                        .map_err(|e| format!("--intergroup: {e}"))?,
                )
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    if let Some(meetings) = intergroup {
        if meetings == 0 || pages.is_some() || edit_group || hugo.is_some() || same_pages.is_some()
        {
            return Err(
                "--intergroup takes a number of meetings (at least 1), --seed and --out alone"
                    .into(),
            );
        }
    }
    let pages = match (pages, edit_group || intergroup.is_some()) {
        (Some(n), false) if n >= 10 => n,
        (Some(_), false) => return Err("--pages must be at least 10".into()),
        (None, false) => return Err("--pages N is required".into()),
        (_, true) if same_pages.is_some() => {
            return Err("--same-pages is for writing a new site, not with --edit-group".into())
        }
        (_, true) => 0,
    };
    Ok(Args {
        pages,
        seed,
        out,
        hugo,
        same_pages,
        edit_group,
        intergroup,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let result = if let Some(meetings) = args.intergroup {
        intergroup::generate(&args.out, meetings, args.seed)
    } else if args.edit_group {
        edit_group(&args)
    } else {
        generate(&args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------
// Random numbers: splitmix64, seeded per file so each file depends only on the seed
// and its own index.
// ---------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    /// A generator for one item (`kind` tells groups from pages…) of the site.
    fn for_item(seed: u64, kind: u64, index: usize) -> Rng {
        let mut r = Rng(seed
            ^ kind.wrapping_mul(0xA076_1D64_78BD_642F)
            ^ (index as u64).wrapping_mul(0xE703_7ED1_A0B4_28DB));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &'a [&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

// What a generator is for, so that no two items share a stream of numbers.
const KIND_PAGE_TITLE: u64 = 1;
const KIND_PAGE_BODY: u64 = 2;
const KIND_GROUP_NAME: u64 = 3;
const KIND_GROUP: u64 = 4;
const KIND_ORG_NAME: u64 = 5;
const KIND_ORG: u64 = 6;
const KIND_VALUE: u64 = 7;
const KIND_VENUE: u64 = 8;

// ---------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------

const SUBJECTS: &[&str] = &[
    "Our volunteers",
    "Many members",
    "The facilitators",
    "People who come along",
    "Newcomers",
    "People in the group",
    "Carers and family members",
    "Some of us",
    "Peer supporters",
    "Our trustees",
    "Young people",
    "Parents",
    "Friends and neighbours",
    "The coordinators",
    "Members of the online group",
    "Volunteers on the phone line",
    "Regular members",
    "People who are new to the area",
    "Those who have been coming for years",
    "Local partners",
];
const VERBS: &[&str] = &[
    "often talk about",
    "share their experience of",
    "find it helpful to discuss",
    "look forward to",
    "can ask for help with",
    "are learning more about",
    "have written about",
    "sometimes struggle with",
    "want to hear more about",
    "make time for",
    "take turns talking about",
    "are welcome to bring up",
    "listen to stories about",
    "have asked us for advice on",
    "keep coming back to",
    "swap tips on",
    "are still working out",
    "spent an evening on",
];
const OBJECTS: &[&str] = &[
    "coping with difficult days",
    "sleep and daily routines",
    "getting back to work",
    "the benefits system",
    "talking to a doctor",
    "managing panic attacks",
    "living with low mood",
    "caring for a parent",
    "loneliness in the winter months",
    "hearing voices",
    "staying well after a crisis",
    "money worries",
    "finding the right words",
    "moving to a new town",
    "grief and loss",
    "rebuilding confidence",
    "setting small goals",
    "the first weeks of recovery",
    "being a new parent",
    "family relationships",
    "getting out of the house",
    "eating well on a budget",
    "dealing with forms and letters",
    "what helps on a bad night",
    "looking after their own health",
];
const ENDINGS: &[&str] = &[
    "at their own pace",
    "without any pressure",
    "over a cup of tea",
    "in a safe and friendly space",
    "whenever they feel ready",
    "with people who understand",
    "in small groups",
    "on the first Monday of the month",
    "before the meeting starts",
    "after the main discussion",
    "online or in person",
    "in confidence",
    "with the help of a trained volunteer",
    "during the quieter part of the evening",
    "as often as they like",
];
const SHORT_SENTENCES: &[&str] = &[
    "Nobody has to speak.",
    "You are welcome to just listen.",
    "Tea and biscuits are free.",
    "There is no referral and no waiting list.",
    "You can bring a friend the first time.",
    "Everything we offer is free of charge.",
    "What is said in the group stays in the group.",
    "It is fine to leave early if you need to.",
    "We keep the groups small on purpose.",
    "Nobody will tell you what your experience means.",
    "You don't need a diagnosis to come.",
    "Most people find the first visit easier than they expected.",
];
const HEADINGS: &[&str] = &[
    "What to expect",
    "Getting there",
    "How to join",
    "Who can come",
    "Frequently asked questions",
    "Staying safe",
    "Ways to get involved",
    "What people say",
    "Before your first visit",
    "Practical details",
    "Useful contacts",
    "Accessibility",
    "Our approach",
    "Looking after yourself",
    "Next steps",
    "Why we started",
    "How the evening works",
    "If you can't make it",
];
const TOPICS: &[&str] = &[
    "anxiety",
    "depression",
    "bereavement",
    "carers",
    "hearing voices",
    "psychosis",
    "wellbeing",
    "recovery",
    "new parents",
    "young people",
    "LGBTQ+",
    "men's health",
    "loneliness",
    "eating problems",
    "bipolar",
    "trauma",
    "work and study",
    "older people",
    "neurodiversity",
    "self-care",
];
const TITLE_PREFIXES: &[&str] = &[
    "A guide to",
    "Understanding",
    "Talking about",
    "Living with",
    "Support for",
    "Questions about",
    "News about",
    "Stories of",
    "Help with",
    "Notes on",
    "Getting started with",
    "Ten ideas for",
];
const SECTION_WORDS: &[&str] = &[
    "news",
    "guides",
    "stories",
    "resources",
    "events",
    "training",
    "wellbeing",
    "advice",
    "community",
    "volunteering",
];
const TOWNS: &[&str] = &[
    "Riverside",
    "Northfield",
    "Eastbank",
    "Millbrook",
    "Ashford Vale",
    "Kingsbridge",
    "Harbour End",
    "Oakley",
    "Westmere",
    "Stonegate",
    "Fernhill",
    "Brookside",
    "Highcliffe",
    "Elmstead",
    "Marston",
];
const STREETS: &[&str] = &[
    "Church Lane",
    "Market Square",
    "Mill Street",
    "Station Road",
    "High Street",
    "Quayside Walk",
    "Hollow Road",
    "Ferry Street",
    "Park Avenue",
    "Wool Street",
    "Bridge Road",
    "Orchard Close",
];
const VENUE_KINDS: &[&str] = &[
    "Community Centre",
    "Library, Community Room",
    "Church Hall",
    "Wellbeing Centre",
    "Neighbourhood Hub",
    "Quaker Meeting House",
    "Youth Centre",
    "Arts Centre, Studio 2",
];
const GROUP_KINDS: &[&str] = &[
    "Group",
    "Circle",
    "Café",
    "Network",
    "Drop-in",
    "Peer Group",
    "Support Group",
];
const FIRST_NAMES: &[&str] = &[
    "Sam", "Alex", "Priya", "Jo", "Helen", "Tom", "Aisha", "Chris", "Maria", "Kwame", "Lee", "Ruth",
];
const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const WEEKS: &[&str] = &["first", "second", "third", "fourth", "last"];
const ZONES: &[&str] = &["Europe/London", "America/New_York", "Australia/Sydney"];
const MEETING_TYPES: &[&str] = &[
    "newcomers",
    "women",
    "men",
    "lgbtq",
    "young-people",
    "wheelchair",
    "hearing-loop",
    "bsl",
    "discussion",
    "speaker",
    "meditation",
    "quiet",
];
const CATEGORIES: &[&str] = &[
    "helpline",
    "peer support",
    "advocacy",
    "carers",
    "crisis",
    "housing",
    "bereavement",
    "self-help",
    "youth",
];
const VALUE_NAMES: &[&str] = &[
    "Equality",
    "Mutuality",
    "Hope",
    "Choice",
    "Confidentiality",
    "Recovery",
    "Respect",
    "Inclusion",
    "Kindness",
    "Honesty",
    "Trust",
    "Belonging",
    "Curiosity",
    "Openness",
    "Safety",
];
const ORG_WORDS: &[&str] = &[
    "Mental Health",
    "Carers",
    "Listening",
    "Recovery",
    "Advice",
    "Wellbeing",
    "Bereavement",
    "Advocacy",
];
const ORG_KINDS: &[&str] = &[
    "Trust",
    "Line",
    "Network",
    "Project",
    "Service",
    "Partnership",
    "Centre",
    "Alliance",
];

/// Text in double quotes, safe as a YAML scalar.
fn q(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lower-case words joined by hyphens, as in a file name.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// Dates (proleptic Gregorian, days since 1970-01-01)
// ---------------------------------------------------------------------------------

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn date_string(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
fn weekday(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

// ---------------------------------------------------------------------------------
// The plan: how many of each thing, and where each lives
// ---------------------------------------------------------------------------------

/// Content pages per section, the section's `index.md` included.
const SECTION_SIZE: usize = 100;

struct ContentPage {
    /// Path from the site folder: `content/guides-003/p-000042-living-with-anxiety.md`.
    path: String,
    title: String,
    /// Index of its section, or `None` for the home page.
    section: Option<usize>,
    /// Whether it is its section's `index.md`.
    is_index: bool,
}

struct Plan {
    seed: u64,
    pages: Vec<ContentPage>,
    sections: usize,
    groups: usize,
    group_names: Vec<String>,
    /// Each group's main topic (an index into `TOPICS`), which its name mentions.
    group_topics: Vec<usize>,
    values: usize,
    orgs: usize,
    org_names: Vec<String>,
    venues: usize,
}

impl Plan {
    fn new(total: usize, seed: u64) -> Plan {
        // An organisation states a handful of values, however big its site: each values
        // page lists them all.
        let values = (total / 100).clamp(3, 12);
        let groups = (total * 15 / 100).max(2);
        let orgs = (total * 14 / 100).max(2);
        let content = total.saturating_sub(values + groups + orgs).max(2);
        let venues = (groups / 4).max(3);

        // Home page, then sections of up to SECTION_SIZE pages (index.md first).
        let mut pages = vec![ContentPage {
            path: "content/index.md".into(),
            title: "Welcome".into(),
            section: None,
            is_index: true,
        }];
        let rest = content - 1;
        let sections = rest.div_ceil(SECTION_SIZE).max(1);
        let mut remaining = rest;
        for s in 0..sections {
            let in_section = remaining.div_ceil(sections - s);
            remaining -= in_section;
            let word = SECTION_WORDS[s % SECTION_WORDS.len()];
            let dir = format!("{word}-{:03}", s + 1);
            let title = format!("{} {}", capitalise(word), s + 1);
            pages.push(ContentPage {
                path: format!("content/{dir}/index.md"),
                title,
                section: Some(s),
                is_index: true,
            });
            for _ in 1..in_section {
                let i = pages.len();
                let mut rng = Rng::for_item(seed, KIND_PAGE_TITLE, i);
                let title = format!("{} {}", rng.pick(TITLE_PREFIXES), rng.pick(TOPICS));
                let path = format!("content/{dir}/p-{i:06}-{}.md", slug(&title));
                pages.push(ContentPage {
                    path,
                    title,
                    section: Some(s),
                    is_index: false,
                });
            }
        }

        let group_topics: Vec<usize> = (0..groups)
            .map(|i| Rng::for_item(seed, KIND_GROUP_NAME, i).below(TOPICS.len()))
            .collect();
        let group_names = (0..groups)
            .map(|i| {
                let mut rng = Rng::for_item(seed, KIND_GROUP_NAME, i);
                rng.next(); // the draw of its topic
                let topic = TOPICS[group_topics[i]]
                    .split(' ')
                    .map(capitalise)
                    .collect::<Vec<_>>()
                    .join(" ");
                format!("{} {topic} {}", rng.pick(TOWNS), rng.pick(GROUP_KINDS))
            })
            .collect();
        let org_names = (0..orgs)
            .map(|i| {
                let mut rng = Rng::for_item(seed, KIND_ORG_NAME, i);
                format!(
                    "{} {} {}",
                    rng.pick(TOWNS),
                    rng.pick(ORG_WORDS),
                    rng.pick(ORG_KINDS)
                )
            })
            .collect();
        Plan {
            seed,
            pages,
            sections,
            groups,
            group_names,
            group_topics,
            values,
            orgs,
            org_names,
            venues,
        }
    }

    /// The route of the first section, which both sites' menus link to (`news-001/`).
    fn first_section_route(&self) -> &str {
        self.pages
            .iter()
            .find(|p| p.section == Some(0) && p.is_index)
            .map_or("", |p| &p.path)
            .trim_start_matches("content/")
            .trim_end_matches("index.md")
    }

    fn group_path(i: usize) -> String {
        format!("groups/group-{:05}.md", i + 1)
    }
    fn value_path(i: usize) -> String {
        format!("values/value-{:03}.md", i + 1)
    }
    fn org_path(i: usize) -> String {
        format!("directory/org-{:05}.yaml", i + 1)
    }
    fn venue_key(i: usize) -> String {
        format!("venue-{:04}", i + 1)
    }
    fn value_title(i: usize) -> String {
        let name = VALUE_NAMES[i % VALUE_NAMES.len()];
        match i / VALUE_NAMES.len() {
            0 => name.to_string(),
            n => format!("{name} ({})", n + 1),
        }
    }

    /// A random page of the site to link to: its path from the site folder and title.
    fn link_target(&self, rng: &mut Rng) -> (String, String) {
        match rng.below(10) {
            0..=5 => {
                let p = &self.pages[rng.below(self.pages.len())];
                (p.path.clone(), p.title.clone())
            }
            6 | 7 => {
                let i = rng.below(self.groups);
                (Plan::group_path(i), self.group_names[i].clone())
            }
            8 => {
                let i = rng.below(self.values);
                (Plan::value_path(i), Plan::value_title(i))
            }
            _ => {
                let i = rng.below(self.orgs);
                (Plan::org_path(i), self.org_names[i].clone())
            }
        }
    }
}

/// The relative link from the file `from` to the file `to` (both from the site folder).
fn relative(from: &str, to: &str) -> String {
    let mut from_dir: Vec<&str> = from.split('/').collect();
    from_dir.pop(); // the file name
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut link = "../".repeat(from_dir.len() - common);
    link.push_str(&to_parts[common..].join("/"));
    link
}

// ---------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------

/// Writes Markdown for one file, counting words and placing links to other pages.
struct Writer<'a> {
    plan: &'a Plan,
    /// The file being written, from the site folder (for relative links).
    file: &'a str,
    rng: Rng,
    out: String,
    words: usize,
}

impl<'a> Writer<'a> {
    fn new(plan: &'a Plan, file: &'a str, rng: Rng) -> Writer<'a> {
        Writer {
            plan,
            file,
            rng,
            out: String::with_capacity(5000),
            words: 0,
        }
    }

    fn push(&mut self, text: &str) {
        self.words += text.split_whitespace().count();
        self.out.push_str(text);
    }

    fn link(&mut self) -> String {
        let (target, title) = self.plan.link_target(&mut self.rng);
        format!("[{title}]({})", relative(self.file, &target))
    }

    /// One sentence, sometimes with emphasis or a link.
    fn sentence(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(14) {
            0 | 1 => r.pick(SHORT_SENTENCES).to_string(),
            2 => {
                let link = self.link();
                match self.rng.below(3) {
                    0 => format!("You can read more in {link}."),
                    1 => format!("See {link} for the details."),
                    _ => format!("Our page {link} explains how this works."),
                }
            }
            _ => {
                let (subject, verb, object) = (r.pick(SUBJECTS), r.pick(VERBS), r.pick(OBJECTS));
                let object = match r.below(12) {
                    0 => format!("*{object}*"),
                    1 => format!("**{object}**"),
                    _ => object.to_string(),
                };
                if r.chance(60) {
                    format!("{subject} {verb} {object} {}.", r.pick(ENDINGS))
                } else {
                    format!("{subject} {verb} {object}.")
                }
            }
        }
    }

    fn paragraph(&mut self, sentences: usize) {
        let mut para = String::new();
        let mut line_len = 0;
        for i in 0..sentences {
            let s = self.sentence();
            // Wrap lines at about 80 columns, as people write Markdown.
            if i > 0 {
                if line_len + s.len() > 80 {
                    para.push('\n');
                    line_len = 0;
                } else {
                    para.push(' ');
                    line_len += 1;
                }
            }
            line_len += s.len();
            para.push_str(&s);
        }
        para.push_str("\n\n");
        self.push(&para);
    }

    fn heading(&mut self, level: usize) {
        let h = format!("{} {}\n\n", "#".repeat(level), self.rng.pick(HEADINGS));
        self.push(&h);
    }

    fn bullets(&mut self) {
        let mut list = String::new();
        for _ in 0..self.rng.range(3, 6) {
            let item = match self.rng.below(5) {
                0 => format!("{}.", self.link()),
                _ => format!(
                    "{} {}.",
                    capitalise(self.rng.pick(OBJECTS)),
                    self.rng.pick(ENDINGS)
                ),
            };
            let _ = writeln!(list, "- {item}");
        }
        list.push('\n');
        self.push(&list);
    }

    fn numbered(&mut self) {
        let mut list = String::new();
        for n in 1..=self.rng.range(3, 5) {
            let _ = writeln!(list, "{n}. {}", self.sentence());
        }
        list.push('\n');
        self.push(&list);
    }

    fn table(&mut self) {
        let mut t = String::from("| What | When | Cost |\n| --- | --- | --- |\n");
        for _ in 0..self.rng.range(3, 4) {
            let what = capitalise(self.rng.pick(OBJECTS));
            let when = format!(
                "{} {}",
                capitalise(DAYS[self.rng.below(7)]),
                ["mornings", "afternoons", "evenings"][self.rng.below(3)]
            );
            let cost = ["Free", "Free", "£2 towards tea", "Pay what you can"][self.rng.below(4)];
            let _ = writeln!(t, "| {what} | {when} | {cost} |");
        }
        t.push('\n');
        self.push(&t);
    }

    fn quote(&mut self) {
        let q = format!("> {}\n\n", self.sentence());
        self.push(&q);
    }

    /// A long page of about `target` words: an introduction, then sections with
    /// lists, a table and sub-headings until the length is reached.
    fn article(&mut self, target: usize) {
        let n = self.rng.range(2, 4);
        self.paragraph(n);
        let mut part = 0;
        let table_at = self.rng.range(0, 2);
        while self.words < target {
            self.heading(2);
            let n = self.rng.range(3, 6);
            self.paragraph(n);
            match part % 4 {
                0 => self.bullets(),
                1 => self.numbered(),
                2 => {
                    self.heading(3);
                    let n = self.rng.range(2, 4);
                    self.paragraph(n);
                }
                _ => self.quote(),
            }
            if part == table_at {
                self.table();
            }
            if self.words < target {
                let n = self.rng.range(2, 5);
                self.paragraph(n);
            }
            part += 1;
        }
    }

    /// A shorter body (group, value, directory entry): a few paragraphs and a list.
    fn short(&mut self, target: usize) {
        let n = self.rng.range(2, 4);
        self.paragraph(n);
        self.heading(2);
        self.bullets();
        while self.words < target {
            let n = self.rng.range(2, 4);
            self.paragraph(n);
        }
    }
}

// ---------------------------------------------------------------------------------
// Writing the sites
// ---------------------------------------------------------------------------------

/// The sites written beside the PeerPress site from the same pages: the Hugo site and
/// the same-pages site, each if asked for. Both keep every page in `content/`.
struct Copies {
    hugo: Option<PathBuf>,
    same_pages: Option<PathBuf>,
}

impl Copies {
    /// Writes the page the PeerPress site has at `site_path` to each copy, with `front`
    /// matter and the Markdown `body`, its links pointed where the copies have the pages.
    fn page(&self, site_path: &str, front: &str, body: &str) -> Result<(), String> {
        if self.hugo.is_none() && self.same_pages.is_none() {
            return Ok(());
        }
        let path = as_content(site_path);
        let text = format!("---\n{front}---\n{}", relinked(body, site_path));
        if let Some(root) = &self.same_pages {
            write(&root.join(&path), &text)?;
        }
        if let Some(root) = &self.hugo {
            // Hugo names a section's own page `_index.md`.
            let path = match path.strip_suffix("/index.md") {
                Some(dir) => format!("{dir}/_index.md"),
                None => path,
            };
            write(&root.join(path), &text)?;
        }
        Ok(())
    }
}

/// Where the copies have the file the PeerPress site has at `path`: in `content/`, as
/// Markdown (`directory/org-00001.yaml` → `content/directory/org-00001.md`).
fn as_content(path: &str) -> String {
    let path = match path.strip_suffix(".yaml") {
        Some(stem) => format!("{stem}.md"),
        None => path.to_string(),
    };
    if path.starts_with("content/") {
        path
    } else {
        format!("content/{path}")
    }
}

/// `body`, written for the file `from` of the PeerPress site, with each link
/// (`](target)`, relative, as [`relative`] makes them) pointing from and to where the
/// copies have the two files.
fn relinked(body: &str, from: &str) -> String {
    let mut out = String::with_capacity(body.len() + 256);
    let mut rest = body;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let end = after.find(')').unwrap_or(after.len());
        let target = resolve(from, &after[..end]);
        out.push_str(&relative(&as_content(from), &as_content(&target)));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The path from the site folder of the file the relative `link` in the file `from`
/// points at.
fn resolve(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the file name
    for part in link.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Refuses to write into a folder that has anything in it.
fn check_empty(dir: &Path) -> Result<(), String> {
    match fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(format!("{} is not empty; give a new folder", dir.display())),
        _ => Ok(()),
    }
}

fn generate(args: &Args) -> Result<(), String> {
    for dir in [
        Some(&args.out),
        args.hugo.as_ref(),
        args.same_pages.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        check_empty(dir)?;
    }
    let copies = Copies {
        hugo: args.hugo.clone(),
        same_pages: args.same_pages.clone(),
    };
    let plan = Plan::new(args.pages, args.seed);
    let out = &args.out;

    write(&out.join("site.yaml"), &site_yaml(&plan, true))?;
    write(&out.join("venues.yaml"), &venues_yaml(&plan))?;
    for i in 0..plan.pages.len() {
        let (front, body) = content_page(&plan, i);
        write(
            &out.join(&plan.pages[i].path),
            &format!("---\n{front}---\n{body}"),
        )?;
        copies.page(&plan.pages[i].path, &front, &body)?;
    }
    for i in 0..plan.groups {
        let (front, page_front, body) = group(&plan, i);
        write(
            &out.join(Plan::group_path(i)),
            &format!("---\n{front}---\n{body}"),
        )?;
        copies.page(&Plan::group_path(i), &page_front, &body)?;
    }
    for i in 0..plan.values {
        let (front, page_front, body) = value(&plan, i);
        write(
            &out.join(Plan::value_path(i)),
            &format!("---\n{front}---\n{body}"),
        )?;
        copies.page(&Plan::value_path(i), &page_front, &body)?;
    }
    for i in 0..plan.orgs {
        let (yaml, title, description) = organisation(&plan, i);
        write(&out.join(Plan::org_path(i)), &yaml)?;
        copies.page(
            &Plan::org_path(i),
            &format!("title: {}\n", q(&title)),
            &description,
        )?;
    }
    // The sections' own pages, which the PeerPress site makes itself.
    for (section, title) in [
        ("groups", "Groups"),
        ("values", "Our values"),
        ("directory", "Directory"),
    ] {
        copies.page(
            &format!("{section}/index.md"),
            &format!("title: {}\n", q(title)),
            "",
        )?;
    }
    if let Some(dir) = &args.hugo {
        hugo_scaffold(dir, &plan)?;
    }
    if let Some(dir) = &args.same_pages {
        write(&dir.join("site.yaml"), &site_yaml(&plan, false))?;
    }
    let meetings: usize = (0..plan.groups).map(|i| meeting_count(&plan, i)).sum();
    eprintln!(
        "gen-site: {} content pages in {} sections, {} groups ({meetings} meetings), {} venues, {} values, {} directory entries in {}",
        plan.pages.len(),
        plan.sections,
        plan.groups,
        plan.venues,
        plan.values,
        plan.orgs,
        out.display()
    );
    Ok(())
}

/// The site's `site.yaml`; its menu links to the meetings if the site has them.
fn site_yaml(plan: &Plan, meetings: bool) -> String {
    let section_route = plan.first_section_route();
    let meetings_item = if meetings {
        "\n  - { label: Meetings, url: /meetings/ }"
    } else {
        ""
    };
    format!(
        r#"name: "Benchmark Peer Support"
tagline: "Peer support groups run by people with lived experience"
description: "A synthetic site made for measuring build speed."
base_url: "https://bench-peer.example.org/"
language: en
timezone: Europe/London
contact:
  email: "hello@bench-peer.example.org"
  phone: "01632 960 100"
  address: "Community House, 4 Mill Street, Riverside RV1 3CD"
crisis:
  - name: "Emergency services"
    phone: "999"
    for: "If you or someone else is in immediate danger"
    hours: "24 hours a day"
  - name: "Samaritans"
    phone: "116 123"
    for: "Anyone who needs to talk"
    hours: "24 hours a day, every day"
    url: "https://www.samaritans.org/"
menu:
  - {{ label: Groups, url: /groups/ }}{meetings_item}
  - {{ label: Our values, url: /values/ }}
  - {{ label: Directory, url: /directory/ }}
  - {{ label: {}, url: /{section_route} }}
footer: |
  A synthetic site for benchmarks. Not a real organisation.
"#,
        q(&capitalise(SECTION_WORDS[0]))
    )
}

fn venues_yaml(plan: &Plan) -> String {
    let mut out = String::with_capacity(plan.venues * 400);
    for i in 0..plan.venues {
        let mut r = Rng::for_item(plan.seed, KIND_VENUE, i);
        let town = r.pick(TOWNS);
        let _ = write!(
            out,
            "{}:\n  name: {}\n  address: {{ street: {}, town: {}, postcode: {}, country: GB }}\n  area: {}\n  access: {}\n  latitude: {:.4}\n  longitude: {:.4}\n",
            Plan::venue_key(i),
            q(&format!("{town} {}", r.pick(VENUE_KINDS))),
            q(&format!("{} {}", r.range(1, 120), r.pick(STREETS))),
            q(town),
            q(&format!("RV{} {}{}{}", r.range(1, 9), r.range(1, 9), (b'A' + r.below(26) as u8) as char, (b'A' + r.below(26) as u8) as char)),
            q(if r.chance(50) { "Town centre" } else { town }),
            q(["Step-free entrance; accessible toilet; hearing loop.", "Ramp at the main entrance; accessible toilet.", "First floor, with a lift; no hearing loop at present."][r.below(3)]),
            50.0 + r.below(50_000) as f64 / 10_000.0,
            -3.0 + r.below(30_000) as f64 / 10_000.0,
        );
        if r.chance(50) {
            let _ = writeln!(
                out,
                "  notes: {}",
                q("Use the side door. We meet in the small room at the back.")
            );
        }
        out.push('\n');
    }
    out
}

fn content_page(plan: &Plan, i: usize) -> (String, String) {
    let page = &plan.pages[i];
    let mut w = Writer::new(
        plan,
        &page.path,
        Rng::for_item(plan.seed, KIND_PAGE_BODY, i),
    );
    let mut front = format!("title: {}\n", q(&page.title));
    if page.section.is_none() {
        // The home page: a short introduction with a link to every section.
        w.paragraph(4);
        let mut list = String::new();
        for p in plan
            .pages
            .iter()
            .filter(|p| p.is_index && p.section.is_some())
        {
            let _ = writeln!(list, "- [{}]({})", p.title, relative(&page.path, &p.path));
        }
        list.push('\n');
        w.push(&list);
        return (front, w.out);
    }
    let _ = writeln!(
        front,
        "description: {}",
        q(&format!(
            "{} {} {}.",
            w.rng.pick(SUBJECTS),
            w.rng.pick(VERBS),
            w.rng.pick(OBJECTS)
        ))
    );
    if !page.is_index && w.rng.chance(50) {
        // Half the pages are dated, like news posts, in 2024–2026.
        let day = days_from_civil(2024, 1, 1) + w.rng.below(1000) as i64;
        let _ = writeln!(front, "date: {}", date_string(day));
    }
    let target = if page.is_index {
        150
    } else {
        w.rng.range(510, 610)
    };
    w.article(target);
    (front, w.out)
}

fn meeting_count(plan: &Plan, i: usize) -> usize {
    Rng::for_item(plan.seed, KIND_GROUP, i).range(1, 3)
}

/// A group: its PeerPress front matter (with meetings), its front matter as a plain
/// page (for the Hugo and same-pages sites), and the Markdown body.
fn group(plan: &Plan, i: usize) -> (String, String, String) {
    let path = Plan::group_path(i);
    let mut r = Rng::for_item(plan.seed, KIND_GROUP, i);
    let meetings = r.range(1, 3); // the same draw as `meeting_count`
    let name = &plan.group_names[i];
    let topic = TOPICS[plan.group_topics[i]];
    let mut topics = vec![topic];
    if r.chance(50) {
        let other = r.pick(TOPICS);
        if other != topic {
            topics.push(other);
        }
    }
    let mut y = String::with_capacity(1500);
    let _ = writeln!(y, "name: {}", q(name));
    let _ = writeln!(
        y,
        "summary: {}",
        q(&format!(
            "A friendly space for {} to talk about {} {}.",
            r.pick(&["adults", "anyone", "young people", "parents", "carers"]),
            r.pick(OBJECTS),
            r.pick(ENDINGS)
        ))
    );
    let _ = writeln!(
        y,
        "topics: [{}]",
        topics.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(
        y,
        "audience: {}",
        q([
            "Adults 18+",
            "Anyone affected",
            "Young people aged 16-25",
            "Carers and family members"
        ][r.below(4)])
    );
    let _ = writeln!(
        y,
        "cost: {}",
        q(if r.chance(80) {
            "Free"
        } else {
            "£2 towards tea"
        })
    );
    let phone = if r.chance(30) {
        format!(", phone: \"07700 900{:03}\"", r.below(1000))
    } else {
        String::new()
    };
    let _ = writeln!(
        y,
        "contact: {{ name: {}, email: \"group-{:05}@bench-peer.example.org\"{phone} }}",
        q(r.pick(FIRST_NAMES)),
        i + 1
    );
    y.push_str("meetings:\n");
    for m in 0..meetings {
        meeting(&mut y, &mut r, plan, i, m);
    }
    let mut w = Writer::new(plan, &path, r);
    let words = w.rng.range(150, 250);
    w.short(words);
    let page_front = format!("title: {}\n", q(name));
    (y, page_front, w.out)
}

/// Appends one meeting of group `g` to its front matter.
fn meeting(y: &mut String, r: &mut Rng, plan: &Plan, g: usize, m: usize) {
    let day = r.below(7);
    let start = r.range(18, 40); // in half hours: 09:00 … 20:00
    let length = r.range(2, 4); // 1 h … 2 h
    let (sh, sm) = (start / 2, start % 2 * 30);
    let end = start + length;
    let (eh, em) = (end / 2, end % 2 * 30);
    let _ = writeln!(y, "  - id: \"{}-{}\"", DAYS[day], m + 1);
    let _ = writeln!(
        y,
        "    name: {}",
        q(&format!(
            "{} {}",
            capitalise(DAYS[day]),
            if sh < 12 {
                "morning"
            } else if sh < 17 {
                "afternoon"
            } else {
                "evening"
            }
        ))
    );
    let _ = writeln!(y, "    day: {}", DAYS[day]);
    let _ = writeln!(y, "    time: \"{sh:02}:{sm:02}-{eh:02}:{em:02}\"");
    let weekly = match r.below(3) {
        0 => true,
        1 => {
            // Fortnightly: `starts` is a date on the meeting's own weekday.
            let monday = days_from_civil(2026, 1, 5);
            let starts = monday + day as i64 + 7 * r.below(8) as i64;
            debug_assert_eq!(weekday(starts), day);
            let _ = writeln!(y, "    every: 2 weeks\n    starts: {}", date_string(starts));
            false
        }
        _ => {
            let _ = writeln!(y, "    every: month\n    week: {}", r.pick(WEEKS));
            false
        }
    };
    // In person, online or hybrid.
    let format = r.below(10);
    let in_person = format < 6 || format == 9;
    let online = format >= 6;
    if in_person {
        let _ = writeln!(y, "    venue: {}", Plan::venue_key(r.below(plan.venues)));
    }
    if online {
        let _ = writeln!(
            y,
            "    online: {{ url: \"https://meet.example.org/group-{:05}-{}\" }}",
            g + 1,
            m + 1
        );
    }
    if r.chance(15) {
        let _ = writeln!(y, "    timezone: {}", r.pick(ZONES));
    }
    let mut types = vec![if r.chance(85) { "open" } else { "closed" }];
    for _ in 0..r.below(3) {
        let t = r.pick(MEETING_TYPES);
        if !types.contains(&t) {
            types.push(t);
        }
    }
    let _ = writeln!(y, "    types: [{}]", types.join(", "));
    if weekly && r.chance(20) {
        // A cancelled date that is one of the meeting's days (a weekly meeting meets
        // on every such day).
        let first = days_from_civil(2026, 12, 21);
        let date = first + ((day + 7 - weekday(first)) % 7) as i64;
        let _ = writeln!(y, "    cancelled: [{}]", date_string(date));
    }
    if r.chance(30) {
        let _ = writeln!(y, "    notes: {}", q(r.pick(SHORT_SENTENCES)));
    }
}

/// A values statement: its PeerPress front matter, its front matter as a plain page,
/// and the Markdown body.
fn value(plan: &Plan, i: usize) -> (String, String, String) {
    let path = Plan::value_path(i);
    let mut r = Rng::for_item(plan.seed, KIND_VALUE, i);
    let summary = format!(
        "{} {} {}.",
        r.pick(SUBJECTS),
        r.pick(VERBS),
        r.pick(OBJECTS)
    );
    let front = format!(
        "title: {}\norder: {}\nsummary: {}\n",
        q(&Plan::value_title(i)),
        i + 1,
        q(&summary)
    );
    let page_front = format!(
        "title: {}\ndescription: {}\n",
        q(&Plan::value_title(i)),
        q(&summary)
    );
    let mut w = Writer::new(plan, &path, r);
    let words = w.rng.range(150, 250);
    w.short(words);
    (front, page_front, w.out)
}

/// A directory entry: the YAML file, its name, and its description (Markdown).
fn organisation(plan: &Plan, i: usize) -> (String, String, String) {
    let path = Plan::org_path(i);
    let mut r = Rng::for_item(plan.seed, KIND_ORG, i);
    let name = &plan.org_names[i];
    let mut y = String::with_capacity(1500);
    let _ = writeln!(y, "name: {}", q(name));
    let _ = writeln!(
        y,
        "summary: {}",
        q(&format!(
            "{} {} {}.",
            r.pick(SUBJECTS),
            r.pick(VERBS),
            r.pick(OBJECTS)
        ))
    );
    let _ = writeln!(y, "website: \"https://org-{:05}.example.org/\"", i + 1);
    y.push_str("phones:\n");
    for p in 0..r.range(1, 2) {
        let _ = writeln!(
            y,
            "  - {{ number: \"01632 960{:03}\", label: {}, hours: {} }}",
            r.below(1000),
            q(["Helpline", "Office", "Text and call back", "Appointments"][p * 2 + r.below(2)]),
            q([
                "Monday to Friday, 9:00-17:00",
                "24 hours a day",
                "Evenings, 18:00-22:00",
                "Weekends, 10:00-16:00"
            ][r.below(4)])
        );
    }
    if r.chance(60) {
        let _ = writeln!(y, "email: \"help@org-{:05}.example.org\"", i + 1);
    }
    let areas: Vec<String> = (0..r.range(1, 3)).map(|_| q(r.pick(TOWNS))).collect();
    let _ = writeln!(y, "areas: [{}]", areas.join(", "));
    let mut categories = vec![r.pick(CATEGORIES)];
    let other = r.pick(CATEGORIES);
    if other != categories[0] {
        categories.push(other);
    }
    let _ = writeln!(
        y,
        "categories: [{}]",
        categories
            .iter()
            .map(|c| q(c))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        y,
        "languages: [en{}]",
        if r.chance(20) { ", cy" } else { "" }
    );
    if r.chance(70) {
        let _ = writeln!(y, "cost: \"Free\"");
    }
    let mut w = Writer::new(plan, &path, r);
    let n = w.rng.range(3, 5);
    w.paragraph(n);
    let n = w.rng.range(2, 4);
    w.paragraph(n);
    let description = w.out;
    y.push_str("description: |\n");
    for line in description.trim_end().lines() {
        if line.is_empty() {
            y.push('\n');
        } else {
            let _ = writeln!(y, "  {line}");
        }
    }
    (y, name.clone(), description)
}

/// The Hugo site's configuration and templates.
fn hugo_scaffold(root: &Path, plan: &Plan) -> Result<(), String> {
    write(
        &root.join("hugo.toml"),
        "baseURL = \"https://bench-peer.example.org/\"\ntitle = \"Benchmark Peer Support\"\n\
         # Like the PeerPress site: no taxonomies and no RSS, a sitemap and robots.txt.\n\
         disableKinds = [\"taxonomy\", \"term\", \"RSS\"]\nenableRobotsTXT = true\n",
    )?;
    let section_route = plan.first_section_route();
    let nav = format!(
        "<nav aria-label=\"Menu\"><ul>\
         <li><a href=\"{{{{ \"groups/\" | relURL }}}}\">Groups</a></li>\
         <li><a href=\"{{{{ \"values/\" | relURL }}}}\">Our values</a></li>\
         <li><a href=\"{{{{ \"directory/\" | relURL }}}}\">Directory</a></li>\
         <li><a href=\"{{{{ \"{section_route}\" | relURL }}}}\">{}</a></li>\
         </ul></nav>",
        capitalise(SECTION_WORDS[0])
    );
    let page = |title: &str, main: &str| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n\
             {{{{ with .Description }}}}<meta name=\"description\" content=\"{{{{ . }}}}\">{{{{ end }}}}\n\
             <link rel=\"canonical\" href=\"{{{{ .Permalink }}}}\">\n</head>\n<body>\n\
             <header><a href=\"{{{{ \"\" | relURL }}}}\">{{{{ .Site.Title }}}}</a>\n{nav}\n</header>\n\
             <main>\n{main}\n</main>\n<footer><p>A synthetic site for benchmarks.</p></footer>\n</body>\n</html>\n"
        )
    };
    let article = "<article>\n<h1>{{ .Title }}</h1>\n\
                   {{ if not .Date.IsZero }}<p><time datetime=\"{{ .Date.Format \"2006-01-02\" }}\">{{ .Date.Format \"2 January 2006\" }}</time></p>{{ end }}\n\
                   {{ .Content }}\n</article>";
    let children = "{{ with .Pages }}<section>\n<h2>More pages</h2>\n<ul>\n\
                    {{ range . }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>\n{{ end }}\
                    </ul>\n</section>{{ end }}";
    write(
        &root.join("layouts/_default/single.html"),
        &page("{{ .Title }} – {{ .Site.Title }}", article),
    )?;
    write(
        &root.join("layouts/_default/list.html"),
        &page(
            "{{ .Title }} – {{ .Site.Title }}",
            &format!("{article}\n{children}"),
        ),
    )?;
    write(
        &root.join("layouts/index.html"),
        &page("{{ .Site.Title }}", &format!("{article}\n{children}")),
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// --edit-group
// ---------------------------------------------------------------------------------

/// Appends a sentence to the first group (and its Hugo copy): a one-file edit.
fn edit_group(args: &Args) -> Result<(), String> {
    let mut files = vec![args.out.join(Plan::group_path(0))];
    if let Some(h) = &args.hugo {
        files.push(h.join("content").join(Plan::group_path(0)));
    }
    for file in files {
        let mut text = fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let edits = text.matches("(edit ").count() + 1;
        let _ = write!(
            text,
            "\nThe group now also meets for a walk after some sessions (edit {edits}).\n"
        );
        fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_weekdays() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(date_string(days_from_civil(2026, 12, 22)), "2026-12-22");
        assert_eq!(weekday(days_from_civil(2026, 1, 5)), 0); // a Monday
        assert_eq!(weekday(days_from_civil(2026, 12, 22)), 1); // a Tuesday
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative("content/a/x.md", "content/a/y.md"), "y.md");
        assert_eq!(
            relative("content/a/x.md", "groups/g.md"),
            "../../groups/g.md"
        );
        assert_eq!(
            relative("content/index.md", "content/a/index.md"),
            "a/index.md"
        );
        assert_eq!(
            relative("directory/o.yaml", "content/index.md"),
            "../content/index.md"
        );
    }

    #[test]
    fn the_copies_links_point_where_the_copies_have_the_pages() {
        assert_eq!(
            relinked(
                "See [G](../../groups/group-00001.md) and [O](../../directory/org-00002.yaml).",
                "content/a/p.md"
            ),
            "See [G](../groups/group-00001.md) and [O](../directory/org-00002.md)."
        );
        assert_eq!(
            relinked("- [P](../content/x/index.md).\n", "groups/g.md"),
            "- [P](../x/index.md).\n"
        );
        assert_eq!(
            relinked("[Q](q.md) and [V](../values/v.md)", "groups/g.md"),
            "[Q](q.md) and [V](../values/v.md)"
        );
        assert_eq!(relinked("No links.", "content/index.md"), "No links.");
    }

    /// The files under `dir`, as paths from it with `/` separators.
    fn files(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut folders = vec![dir.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    let relative = path.strip_prefix(dir).unwrap().to_string_lossy();
                    found.push(relative.replace('\\', "/"));
                }
            }
        }
        found.sort();
        found
    }

    /// Builds the site in `dir` in memory, and returns its files' paths.
    fn build(dir: &Path) -> Vec<String> {
        let options = peerpress::model::Options {
            base_url: None,
            origin: None,
            drafts: false,
            now: jiff::Timestamp::from_second(1_795_435_200).unwrap(),
        };
        let (rendered, diagnostics) = peerpress::build::render_site(dir, &options);
        let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert!(shown.is_empty(), "{}:\n{}", dir.display(), shown.join("\n"));
        let (_, outputs) = rendered.expect("a built site");
        outputs.files.into_iter().map(|f| f.path).collect()
    }

    /// An intergroup site built in memory, with its files.
    fn build_intergroup(meetings: usize) -> Vec<(String, Vec<u8>)> {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("intergroup");
        intergroup::generate(&dir, meetings, 3).unwrap();
        let options = peerpress::model::Options {
            base_url: None,
            origin: None,
            drafts: false,
            now: jiff::Timestamp::from_second(1_795_435_200).unwrap(),
        };
        let (rendered, diagnostics) = peerpress::build::render_site(&dir, &options);
        let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert!(shown.is_empty(), "{}", shown.join("\n"));
        let (_, outputs) = rendered.expect("a built site");
        outputs
            .files
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect()
    }

    #[test]
    fn an_intergroup_site_has_its_schedule_by_day_its_groups_by_initial_and_every_meeting_in_the_finder(
    ) {
        let files = build_intergroup(600);
        let text = |path: &str| {
            let (_, bytes) = files
                .iter()
                .find(|(p, _)| p == path)
                .unwrap_or_else(|| panic!("{path} is missing"));
            String::from_utf8(bytes.clone()).unwrap()
        };
        let meeting_pages: Vec<&str> = files
            .iter()
            .map(|(p, _)| p.as_str())
            .filter(|p| p.starts_with("meetings/ig-") && p.ends_with("/index.html"))
            .collect();
        assert_eq!(meeting_pages.len(), 600);

        // Each day's page links to that day's meetings; together, to every meeting.
        let mut linked = Vec::new();
        for day in DAYS {
            let page = text(&format!("meetings/{day}/index.html"));
            linked.extend(
                page.match_indices("href=\"/meetings/ig-")
                    .map(|(at, _)| page[at + 6..].split('"').next().unwrap().to_string()),
            );
        }
        linked.sort();
        linked.dedup();
        assert_eq!(
            linked.len(),
            600,
            "the day pages do not link to every meeting"
        );
        let list = text("meetings/index.html");
        assert!(list.contains("href=\"/meetings/monday/\""));
        assert!(
            !list.contains("class=\"card meeting"),
            "the whole week is on /meetings/"
        );

        // The groups: /groups/ links to a page for each initial, which list them all.
        let groups = text("groups/index.html");
        let initials: Vec<&str> = groups
            .match_indices("href=\"/groups/a-z/")
            .map(|(at, _)| groups[at + 6..].split('"').next().unwrap())
            .collect();
        assert!(initials.len() > 3, "{initials:?}");
        let group_pages = files
            .iter()
            .filter(|(p, _)| p.starts_with("groups/ig-") && p.ends_with("/index.html"))
            .count();
        let listed: usize = initials
            .iter()
            .map(|href| {
                let page = text(&format!("{}index.html", href.trim_start_matches('/')));
                page.matches("class=\"card group\"").count()
            })
            .sum();
        assert_eq!(listed, group_pages);

        // The home page lists the next 12 meetings, not the week (although many start
        // at the same time as the twelfth).
        let home = text("index.html");
        let coming = home.matches("data-until=").count();
        assert_eq!(coming, 12, "meetings coming up");

        // The finder's data has every meeting, each with a page.
        let data = text("meetings/finder.json");
        let data: serde_json::Value = serde_json::from_str(&data).unwrap();
        let entries = data["meetings"].as_array().unwrap();
        assert_eq!(entries.len(), 600);
        for entry in entries {
            let slug = entry[0].as_str().unwrap();
            assert!(meeting_pages.contains(&format!("meetings/{slug}/index.html").as_str()));
        }
    }

    #[test]
    fn the_sites_build_and_the_same_pages_site_has_just_the_hugo_sites_pages() {
        let temp = tempfile::tempdir().unwrap();
        let dir = |name: &str| temp.path().join(name);
        generate(&Args {
            pages: 300,
            seed: 7,
            out: dir("site"),
            hugo: Some(dir("hugo")),
            same_pages: Some(dir("same")),
            edit_group: false,
            intergroup: None,
        })
        .unwrap();

        let site = build(&dir("site"));
        assert!(site
            .iter()
            .any(|p| p.starts_with("meetings/") && p.ends_with(".ics")));

        // The same pages' files are the Hugo site's, which names each section's own
        // page `_index.md`.
        let hugo_content = dir("hugo").join("content");
        let same_content = dir("same").join("content");
        let same_files = files(&same_content);
        let hugo_name = |file: &str| match file.strip_suffix("index.md") {
            Some(folder) if folder.is_empty() || folder.ends_with('/') => {
                format!("{folder}_index.md")
            }
            _ => file.to_string(),
        };
        let mut hugo_files: Vec<String> = same_files.iter().map(|f| hugo_name(f)).collect();
        hugo_files.sort();
        assert_eq!(files(&hugo_content), hugo_files);
        for same in &same_files {
            assert_eq!(
                fs::read_to_string(same_content.join(same)).unwrap(),
                fs::read_to_string(hugo_content.join(hugo_name(same))).unwrap(),
                "{same}"
            );
        }

        // PeerPress makes a page of each (and no link is broken: `build` asserts that
        // there is no problem), and its own: the 404 page, the safety page, the search page, and the
        // meeting and topic lists, which say there are none.
        let pages: Vec<String> = build(&dir("same"))
            .into_iter()
            .filter(|p| p.ends_with(".html"))
            .collect();
        let expected: Vec<String> = same_files
            .iter()
            .map(|f| match f.strip_suffix(".md") {
                Some(page) if f == "index.md" || f.ends_with("/index.md") => {
                    format!("{page}.html")
                }
                Some(page) => format!("{page}/index.html"),
                None => panic!("{f} is not Markdown"),
            })
            .collect();
        for page in &expected {
            assert!(pages.contains(page), "{page} is missing");
        }
        let own: Vec<&str> = pages
            .iter()
            .map(String::as_str)
            .filter(|p| !expected.iter().any(|e| e == p))
            .collect();
        assert_eq!(
            own,
            [
                "404.html",
                "browsing-safely/index.html",
                "meetings/index.html",
                "search/index.html",
                "topics/index.html"
            ]
        );
    }
}
