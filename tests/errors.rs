//! Mistakes in the content stop the build with a message naming the file, the line and
//! what to fix, exit code 1, and nothing written.

mod common;

use common::{stderr, Fixture};

/// Builds the fixture with `file` replaced by `text`, expecting failure; returns stderr.
fn fails_with(file: &str, text: &str) -> String {
    let site = Fixture::new();
    site.write(file, text);
    let out = site.build(&[]).code(1);
    assert!(!site.public().exists(), "a failed build writes nothing");
    stderr(&out)
}

fn group_with(meeting_line: &str, replacement: &str) -> String {
    common::GROUP.replace(meeting_line, replacement)
}

#[test]
fn impossible_time() {
    let e = fails_with(
        "groups/voices.md",
        &group_with("\"19:00-20:30\"", "\"25:00-26:00\""),
    );
    assert!(e.contains("error: `25:00` is not a time of day"), "{e}");
    assert!(e.contains("--> groups/voices.md:9:11"), "{e}");
    assert!(
        e.contains("help: write the start and end in 24-hour time"),
        "{e}"
    );
}

#[test]
fn misspelled_day_gets_a_suggestion() {
    let e = fails_with(
        "groups/voices.md",
        &group_with("day: tuesday", "day: tuseday"),
    );
    assert!(e.contains("`tuseday` is not a day of the week"), "{e}");
    assert!(e.contains("groups/voices.md:8:10"), "{e}");
    assert!(e.contains("did you mean `tuesday`?"), "{e}");
}

#[test]
fn unknown_venue_lists_the_closest() {
    let e = fails_with("groups/voices.md", &group_with("venue: hall", "venue: hal"));
    assert!(
        e.contains("there is no venue `hal` in `venues.yaml`"),
        "{e}"
    );
    assert!(e.contains("groups/voices.md:10:12"), "{e}");
    assert!(e.contains("did you mean `hall`?"), "{e}");
}

#[test]
fn missing_required_field() {
    let e = fails_with(
        "groups/voices.md",
        &common::GROUP.replace("name: Hearing Voices Group\n", ""),
    );
    assert!(e.contains("`name` is missing"), "{e}");
    assert!(e.contains("groups/voices.md:"), "{e}");
}

#[test]
fn unknown_key_with_did_you_mean() {
    let e = fails_with(
        "groups/voices.md",
        &group_with("    venue: hall", "    venue: hall\n    tme: \"19:00\""),
    );
    assert!(e.contains("unknown key `tme` in `meetings[0]`"), "{e}");
    assert!(e.contains("groups/voices.md:11:5"), "{e}");
    assert!(e.contains("did you mean `time`?"), "{e}");
}

#[test]
fn yaml_syntax_errors_count_lines_from_the_top_of_the_markdown_file() {
    let e = fails_with(
        "groups/voices.md",
        &group_with("summary: A friendly space.", "summary: \"A friendly space."),
    );
    assert!(e.contains("groups/voices.md:"), "{e}");
    let broken = group_with("    venue: hall", "   venue: hall");
    let e = fails_with("groups/voices.md", &broken);
    let line: usize = e
        .split("groups/voices.md:")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.parse().ok())
        .expect("a line number");
    assert!((9..=11).contains(&line), "line {line} in {e}");
}

#[test]
fn tabs_for_indentation() {
    let e = fails_with("venues.yaml", "hall:\n\tname: Church Hall\n");
    assert!(e.contains("a tab is used for indentation"), "{e}");
    assert!(e.contains("venues.yaml:2:"), "{e}");
}

#[test]
fn unclosed_front_matter() {
    let e = fails_with(
        "content/about.md",
        "---\ntitle: About\n\nNo closing line.\n",
    );
    assert!(e.contains("the front matter is not closed"), "{e}");
    assert!(e.contains("content/about.md:1:1"), "{e}");
}

#[test]
fn fortnightly_needs_a_start_and_week_needs_monthly() {
    let e = fails_with(
        "groups/voices.md",
        &group_with("    venue: hall", "    venue: hall\n    every: 2 weeks"),
    );
    assert!(e.contains("a fortnightly meeting needs `starts:`"), "{e}");
    let e = fails_with(
        "groups/voices.md",
        &group_with("    venue: hall", "    venue: hall\n    week: first"),
    );
    assert!(e.contains("`week:` is only for monthly meetings"), "{e}");
}

#[test]
fn cancelled_dates_must_be_meeting_days() {
    let e = fails_with(
        "groups/voices.md",
        &common::GROUP.replace("[2026-12-01]", "[2026-12-02]"),
    );
    assert!(
        e.contains("`2026-12-02` is not a day this meeting meets (it is a wednesday)"),
        "{e}"
    );
}

#[test]
fn unknown_time_zone_is_suggested() {
    let e = fails_with(
        "site.yaml",
        &common::SITE.replace("Europe/London", "Europe/Londn"),
    );
    assert!(e.contains("`Europe/Londn` is not a time zone"), "{e}");
    assert!(e.contains("did you mean `Europe/London`?"), "{e}");
    assert!(e.contains("site.yaml:4:11"), "{e}");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let site = Fixture::new();
    site.write(
        "groups/voices.md",
        &group_with("venue: hall", "venue: nowhere"),
    );
    site.write("values/hope.md", "---\ntitel: Hope\n---\n");
    site.write(
        "directory/helpline.yaml",
        "name: X\nwebsite: javascript:alert(1)\n",
    );
    let out = site.build(&[]).code(1);
    let e = stderr(&out);
    assert!(e.contains("groups/voices.md:10"), "{e}");
    assert!(e.contains("values/hope.md:2"), "{e}");
    assert!(e.contains("directory/helpline.yaml:2"), "{e}");
    assert!(e.contains("the site was not built: 3 errors"), "{e}");
}

#[test]
fn the_whole_message_reads_like_rustc() {
    let e = fails_with(
        "groups/voices.md",
        &group_with("day: tuesday", "day: tuseday"),
    );
    insta::assert_snapshot!(e);
}

#[test]
fn a_change_after_the_meeting_ends_is_refused() {
    let e = fails_with(
        "groups/voices.md",
        &group_with(
            "venue: hall",
            "venue: hall\n    ends: 2027-01-05\n    changes:\n      - { date: 2027-01-12, time: \"18:00-19:00\" }",
        ),
    );
    assert!(
        e.contains("`2027-01-12` is after the meeting ends (`ends: 2027-01-05`), so there is no meeting to change"),
        "{e}"
    );
    assert!(
        e.contains("help: check the date, or `starts` and `ends`"),
        "{e}"
    );
}
