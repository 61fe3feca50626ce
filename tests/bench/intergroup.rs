//! `gen-site --intergroup MEETINGS`: the site of an intergroup, the shape of a big
//! fellowship's local listing rather than of a content-heavy site: many groups with
//! 1–4 meetings each, hundreds of venues in a few dozen areas, about one meeting in
//! five online and one in ten hybrid, some fortnightly or monthly, a few in other time
//! zones or another language, and the Christmas and New Year cancellations of the
//! meetings those days fall on; a home page and a few short pages around them. The
//! benchmark and the scale checks of the theme build it with 5,000 meetings.

use std::fmt::Write as _;
use std::path::Path;

use super::{
    capitalise, check_empty, date_string, days_from_civil, q, weekday, write, Rng, DAYS,
    FIRST_NAMES, GROUP_KINDS, MEETING_TYPES, OBJECTS, STREETS, TOPICS, TOWNS, VENUE_KINDS, WEEKS,
};

const KIND_IG_GROUP: u64 = 101;
const KIND_IG_VENUE: u64 = 102;

/// Neighbourhoods, combined with the towns into a few dozen areas.
const QUARTERS: &[&str] = &["North", "South", "Old Town", "Harbourside"];
/// Zones other than the site's, for the few meetings held elsewhere.
const OTHER_ZONES: &[&str] = &["America/New_York", "Europe/Madrid", "Australia/Sydney"];
/// Languages other than the site's, and their share in percent.
const LANGUAGES: &[(&str, usize)] = &[("es", 4), ("pl", 2), ("cy", 1)];

/// Writes the intergroup site of about `meetings` meetings into `out`.
pub fn generate(out: &Path, meetings: usize, seed: u64) -> Result<(), String> {
    check_empty(out)?;
    let venues = (meetings / 12).max(4);
    let areas = (TOWNS.len() * QUARTERS.len()).min((venues / 10).max(2));
    write(&out.join("site.yaml"), SITE_YAML)?;
    write(&out.join("venues.yaml"), &venues_yaml(venues, areas, seed))?;
    // (Without one, browsers ask for `/favicon.ico`, a "not found" in their console.)
    write(
        &out.join("static/favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><circle cx=\"8\" cy=\"8\" r=\"7\" fill=\"#2a6f97\"/></svg>\n",
    )?;
    write(
        &out.join("content/index.md"),
        "---\ntitle: \"Riverside Intergroup\"\n---\nEvery meeting in the area, in person, online and hybrid. Newcomers are always welcome.\n",
    )?;
    write(
        &out.join("content/about.md"),
        "---\ntitle: \"About the intergroup\"\ndescription: \"Who keeps this list.\"\n---\nThe intergroup is run by volunteers from its groups. Write to us to add or change a meeting.\n",
    )?;
    let (mut written, mut group) = (0, 0);
    while written < meetings {
        let mut r = Rng::for_item(seed, KIND_IG_GROUP, group);
        let count = r.range(1, 4).min(meetings - written);
        let text = group_file(&mut r, group, count, venues);
        write(&out.join(format!("groups/ig-{:05}.md", group + 1)), &text)?;
        written += count;
        group += 1;
    }
    eprintln!(
        "gen-site: intergroup of {written} meetings in {group} groups, {venues} venues in {areas} areas, in {}",
        out.display()
    );
    Ok(())
}

const SITE_YAML: &str = r#"name: "Riverside Intergroup"
tagline: "Every meeting in the area"
base_url: "https://intergroup.example.org/"
language: en
timezone: Europe/London
contact:
  email: "hello@intergroup.example.org"
online_location: { city: Riverside, country: GB }
feedback:
  email: "listings@intergroup.example.org"
crisis:
  - name: "Emergency services"
    phone: "999"
    for: "If you or someone else is in immediate danger"
    hours: "24 hours a day"
menu:
  - { label: Meetings, url: /meetings/ }
  - { label: Groups, url: /groups/ }
  - { label: About, url: /about/ }
"#;

fn area_name(i: usize) -> String {
    format!(
        "{} {}",
        TOWNS[i % TOWNS.len()],
        QUARTERS[i / TOWNS.len() % QUARTERS.len()]
    )
}

fn venues_yaml(venues: usize, areas: usize, seed: u64) -> String {
    let mut out = String::with_capacity(venues * 250);
    for i in 0..venues {
        let mut r = Rng::for_item(seed, KIND_IG_VENUE, i);
        let area = r.below(areas);
        let town = TOWNS[area % TOWNS.len()];
        let _ =
            writeln!(
            out,
            "v{:04}:\n  name: {}\n  address: {{ street: {}, town: {}, country: GB }}\n  area: {}\n",
            i + 1,
            q(&format!("{} {} {}", r.pick(STREETS), r.pick(VENUE_KINDS), i + 1)),
            q(&format!("{} {}", r.range(1, 200), r.pick(STREETS))),
            q(town),
            q(&area_name(area)),
        );
    }
    out
}

/// A group's file with `count` meetings.
fn group_file(r: &mut Rng, g: usize, count: usize, venues: usize) -> String {
    let topic = r.pick(TOPICS);
    let name = format!(
        "{} {} {}",
        r.pick(TOWNS),
        title_case(topic),
        r.pick(GROUP_KINDS)
    );
    let mut y = String::with_capacity(400 + count * 250);
    let _ = writeln!(y, "---\nname: {}", q(&format!("{name} {}", g + 1)));
    let _ = writeln!(
        y,
        "summary: {}",
        q(&format!(
            "Peer support about {} {}.",
            topic,
            r.pick(OBJECTS)
        ))
    );
    let _ = writeln!(y, "topics: [{}]", q(topic));
    let _ = writeln!(
        y,
        "contact: {{ name: {}, email: \"ig-{:05}@bench-peer.example.org\" }}",
        q(r.pick(FIRST_NAMES)),
        g + 1
    );
    // A group's meetings share its venue and language, as they mostly do.
    let venue = r.below(venues);
    let language = LANGUAGES
        .iter()
        .find(|(_, percent)| r.chance(*percent))
        .map(|(code, _)| *code);
    y.push_str("meetings:\n");
    for m in 0..count {
        meeting(&mut y, r, m, venue, language);
    }
    y.push_str("---\nCome as you are. You do not have to speak.\n");
    y
}

fn title_case(topic: &str) -> String {
    topic
        .split(' ')
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

fn meeting(y: &mut String, r: &mut Rng, m: usize, venue: usize, language: Option<&str>) {
    let day = r.below(7);
    let start = r.range(14, 42); // in half hours: 07:00 … 21:00
    let length = r.range(2, 3);
    let end = start + length;
    let _ = writeln!(y, "  - id: \"m{}\"", m + 1);
    let _ = writeln!(
        y,
        "    name: {}",
        q(&format!(
            "{} {}",
            capitalise(DAYS[day]),
            r.pick(&["meeting", "circle", "step group", "sharing"])
        ))
    );
    let _ = writeln!(y, "    day: {}", DAYS[day]);
    let _ = writeln!(
        y,
        "    time: \"{:02}:{:02}-{:02}:{:02}\"",
        start / 2,
        start % 2 * 30,
        end / 2,
        end % 2 * 30
    );
    let schedule = r.below(100);
    let weekly = schedule >= 15;
    if schedule < 8 {
        let monday = days_from_civil(2026, 1, 5);
        let starts = monday + day as i64 + 7 * r.below(2) as i64;
        debug_assert_eq!(weekday(starts), day);
        let _ = writeln!(y, "    every: 2 weeks\n    starts: {}", date_string(starts));
    } else if !weekly {
        let _ = writeln!(y, "    every: month\n    week: {}", r.pick(WEEKS));
    }
    // 70% in person, 20% online, 10% hybrid.
    let format = r.below(10);
    if format < 7 || format == 9 {
        let _ = writeln!(y, "    venue: v{:04}", venue + 1);
    }
    if format >= 7 {
        let _ = writeln!(
            y,
            "    online: {{ url: \"https://meet.example.org/ig-{}-{}\" }}",
            venue + 1,
            m + 1
        );
    }
    if r.chance(3) {
        let _ = writeln!(y, "    timezone: {}", r.pick(OTHER_ZONES));
    }
    if let Some(code) = language {
        let _ = writeln!(y, "    language: {code}");
    }
    let mut types = vec![if r.chance(80) { "open" } else { "closed" }];
    for _ in 0..r.below(3) {
        let t = r.pick(MEETING_TYPES);
        if !types.contains(&t) {
            types.push(t);
        }
    }
    let _ = writeln!(y, "    types: [{}]", types.join(", "));
    // Christmas Day and New Year's Day 2026–27 fall on Fridays: weekly meetings then
    // close for the holiday.
    if weekly && DAYS[day] == "friday" && r.chance(60) {
        let _ = writeln!(y, "    cancelled: [2026-12-25, 2027-01-01]");
    }
}
