//! The edits the fuzzer makes to a copy of the example site: the slips a volunteer's
//! editor or hands can make (a byte changed, a line lost or doubled, a value put under
//! the wrong key, a file renamed), and the hostile or absurd (values of megabytes,
//! nesting thousands deep, YAML aliases that multiply, odd Unicode, odd file names).
//!
//! Every choice comes from [`Rng`], so a case is the same wherever and whenever it is
//! made again from its seed.

use std::fs;
use std::path::{Path, PathBuf};

/// A small, fast, seedable generator (SplitMix64): the fuzzer needs the same stream of
/// numbers for a seed on every machine, not cryptographic quality.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// A number in `low..=high`, more often small than large (a log scale), so that
    /// both "a few" and "a huge number" come up.
    pub fn size(&mut self, low: usize, high: usize) -> usize {
        let bits = usize::BITS - high.max(1).leading_zeros();
        let top = 1usize << self.below(bits as usize + 1);
        (low + self.below(top)).min(high)
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Characters that mean something to YAML, Markdown or templates.
const SIGNIFICANT: &[u8] = b":-[]{}#&*!|>'\"%@`,?\n\t <>/\\_=()0123456789";

/// Text that is unusual but valid UTF-8, and bytes that are not UTF-8 at all.
const ODD_TEXT: &[&str] = &[
    "\u{202e}", // right-to-left override
    "\u{200d}", // zero-width joiner
    "\u{feff}", // byte-order mark, mid-file
    "\u{2028}", // line separator
    "\u{0}",
    "\r",
    "\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}", // stacked accents
    "👩🏽‍🤝‍👩🏻",
    "\u{ffff}",
    "ＭＯＮＤＡＹ：",
    "ǅ",
    "İ",
    "ß",
    "\u{1d400}",
    "ا",
    "\t",
    "\u{a0}",
    "\u{85}",
];

/// The site's text files, the ones mutations edit (the theme's templates are added as
/// overrides by [`Mutation::TemplateOverride`]).
pub fn text_files(site: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.file_name().is_some_and(|n| n == "public") && dir == site {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["yaml", "yml", "md", "markdown", "json", "html"]
                    .contains(&e.to_ascii_lowercase().as_str())
            }) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// One kind of edit; each is applied to a file (or files) chosen when it runs.
#[derive(Debug, Clone, Copy)]
pub enum Mutation {
    FlipByte,
    InsertBytes,
    DeleteLines,
    DuplicateLines,
    MoveValue,
    HugeValue,
    DeepNesting,
    Aliases,
    OddUnicode,
    OddFileName,
    TruncateFile,
    RemoveFile,
    CopyIntoOtherFolder,
    LineEndings,
    YamlOddities,
    MarkdownStorm,
    TemplateOverride,
    Splice,
}

const ALL: &[Mutation] = &[
    Mutation::FlipByte,
    Mutation::InsertBytes,
    Mutation::DeleteLines,
    Mutation::DuplicateLines,
    Mutation::MoveValue,
    Mutation::HugeValue,
    Mutation::DeepNesting,
    Mutation::Aliases,
    Mutation::OddUnicode,
    Mutation::OddFileName,
    Mutation::TruncateFile,
    Mutation::RemoveFile,
    Mutation::CopyIntoOtherFolder,
    Mutation::LineEndings,
    Mutation::YamlOddities,
    Mutation::MarkdownStorm,
    Mutation::TemplateOverride,
    Mutation::Splice,
];

/// Applies 1–4 random mutations to the site at `site`; what was done, one line each.
pub fn mutate(site: &Path, theme: &Path, rng: &mut Rng) -> Vec<String> {
    let count = 1 + rng.below(4);
    let mut done = Vec::new();
    for _ in 0..count {
        let mutation = *rng.pick(ALL);
        let files = text_files(site);
        if files.is_empty() {
            break;
        }
        let file = rng.pick(&files).clone();
        let name = file
            .strip_prefix(site)
            .unwrap_or(&file)
            .display()
            .to_string();
        let what = apply(mutation, site, theme, &file, &files, rng);
        done.push(format!("{mutation:?} on {name}: {what}"));
    }
    done
}

fn read(file: &Path) -> Vec<u8> {
    fs::read(file).unwrap_or_default()
}

fn write(file: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(parent) = file.parent() {
        let _ = fs::create_dir_all(parent);
    }
    let _ = fs::write(file, bytes);
}

/// The byte offsets where the lines of `text` start.
fn line_starts(text: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i < text.len())
        .collect()
}

fn line_end(text: &[u8], start: usize) -> usize {
    text[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| start + i + 1)
}

/// Replaces the value of a random `key: value` line with `value` (or appends a line).
fn set_some_value(text: &[u8], value: &str, rng: &mut Rng) -> Vec<u8> {
    let starts = line_starts(text);
    let candidates: Vec<(usize, usize)> = starts
        .iter()
        .filter_map(|&s| {
            let end = line_end(text, s);
            let line = &text[s..end];
            let colon = line.windows(2).position(|w| w == b": ")?;
            Some((s + colon + 2, end))
        })
        .collect();
    let mut out = text.to_vec();
    if candidates.is_empty() {
        out.extend_from_slice(format!("\nkey: {value}\n").as_bytes());
        return out;
    }
    let (from, to) = *rng.pick(&candidates);
    let to = if to > from && text[to - 1] == b'\n' {
        to - 1
    } else {
        to
    };
    out.splice(from..to, value.bytes());
    out
}

fn insert_at_random_line(text: &[u8], insert: &str, rng: &mut Rng) -> Vec<u8> {
    let starts = line_starts(text);
    let at = if starts.is_empty() {
        0
    } else {
        *rng.pick(&starts)
    };
    let mut out = text.to_vec();
    out.splice(at..at, insert.bytes());
    out
}

fn apply(
    mutation: Mutation,
    site: &Path,
    theme: &Path,
    file: &Path,
    files: &[PathBuf],
    rng: &mut Rng,
) -> String {
    let mut text = read(file);
    match mutation {
        Mutation::FlipByte => {
            let flips = rng.size(1, 16);
            for _ in 0..flips {
                if text.is_empty() {
                    break;
                }
                let at = rng.below(text.len());
                text[at] = if rng.chance(2) {
                    *rng.pick(SIGNIFICANT)
                } else {
                    rng.next() as u8
                };
            }
            write(file, &text);
            format!("{flips} bytes changed")
        }
        Mutation::InsertBytes => {
            let at = rng.below(text.len() + 1);
            let n = rng.size(1, 64);
            let bytes: Vec<u8> = (0..n).map(|_| *rng.pick(SIGNIFICANT)).collect();
            text.splice(at..at, bytes);
            write(file, &text);
            format!("{n} bytes inserted at {at}")
        }
        Mutation::DeleteLines => {
            let starts = line_starts(&text);
            if starts.is_empty() {
                return "empty file".into();
            }
            let first = rng.below(starts.len());
            let n = rng.size(1, 8).min(starts.len() - first);
            let from = starts[first];
            let to = starts.get(first + n).copied().unwrap_or(text.len());
            text.drain(from..to);
            write(file, &text);
            format!("{n} lines from line {} deleted", first + 1)
        }
        Mutation::DuplicateLines => {
            let starts = line_starts(&text);
            if starts.is_empty() {
                return "empty file".into();
            }
            let line = rng.below(starts.len());
            let from = starts[line];
            let to = line_end(&text, from);
            let copies = rng.size(1, 10_000);
            let mut copy = text[from..to].to_vec();
            if copy.last() != Some(&b'\n') {
                copy.push(b'\n');
            }
            let repeated = copy.repeat(copies);
            text.splice(to..to, repeated);
            write(file, &text);
            format!("line {} repeated {copies} times", line + 1)
        }
        Mutation::MoveValue => {
            // A value taken from one `key: value` line (of any file) and put in another.
            let source = rng.pick(files).clone();
            let source_text = read(&source);
            let values: Vec<Vec<u8>> = line_starts(&source_text)
                .into_iter()
                .filter_map(|s| {
                    let line = &source_text[s..line_end(&source_text, s)];
                    let colon = line.windows(2).position(|w| w == b": ")?;
                    Some(line[colon + 2..].to_vec())
                })
                .collect();
            if values.is_empty() {
                return "no value to move".into();
            }
            let value = String::from_utf8_lossy(rng.pick::<Vec<u8>>(&values))
                .trim_end()
                .to_string();
            let text = set_some_value(&text, &value, rng);
            write(file, text);
            format!(
                "value `{}` moved here",
                value.chars().take(60).collect::<String>()
            )
        }
        Mutation::HugeValue => {
            let unit = *rng.pick(&[
                "word ", "x", "[", "{", "*", "_", "`", "<div>", "> ", "- ", "&", "|", "\\", "#",
                "é", "\u{202e}", "a]", "](", "<!--", "'", "\"", ":", "%",
            ]);
            let bytes = rng.size(1_000, 8_000_000);
            let value = unit.repeat(bytes / unit.len());
            let text = if rng.chance(2) {
                set_some_value(&text, &value, rng)
            } else {
                let mut t = text.clone();
                t.extend_from_slice(b"\n");
                t.extend_from_slice(value.as_bytes());
                t.extend_from_slice(b"\n");
                t
            };
            write(file, text);
            format!("{bytes} bytes of `{unit}`")
        }
        Mutation::DeepNesting => {
            let depth = rng.size(10, 100_000);
            let (form, block) = match rng.below(9) {
                0 => {
                    // An indented mapping: its size grows with the square of its depth.
                    let depth = depth.min(3_000);
                    let mut b = String::from("deep:\n");
                    for d in 1..depth {
                        b.push_str(&format!("{}k{d}:\n", "  ".repeat(d)));
                    }
                    ("indented mapping", b)
                }
                1 => ("block lists", format!("deep:\n  {}x\n", "- ".repeat(depth))),
                2 => ("flow lists", format!("deep: {}\n", "[".repeat(depth))),
                3 => (
                    "closed flow lists",
                    format!("deep: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
                ),
                4 => ("flow mappings", format!("deep: {}\n", "{a: ".repeat(depth))),
                5 => ("block quotes", format!("\n{}x\n", "> ".repeat(depth))),
                6 => {
                    let depth = depth.min(3_000);
                    let mut b = String::from("\n");
                    for d in 0..depth {
                        b.push_str(&format!("{}- x\n", "  ".repeat(d)));
                    }
                    ("indented Markdown lists", b)
                }
                7 => ("HTML elements", format!("\n{}\n", "<div>".repeat(depth))),
                _ => ("link brackets", format!("\n{}x\n", "[".repeat(depth))),
            };
            let text = insert_at_random_line(&text, &block, rng);
            write(file, text);
            format!("{form} {depth} deep")
        }
        Mutation::Aliases => {
            let block = match rng.below(4) {
                0 => {
                    // A "billion laughs": each level lists the one before ten times.
                    let levels = rng.size(2, 12);
                    let mut b = String::from("lol0: &l0 [lol, lol, lol, lol, lol]\n");
                    for l in 1..levels {
                        let refs = vec![format!("*l{}", l - 1); 10].join(", ");
                        b.push_str(&format!("lol{l}: &l{l} [{refs}]\n"));
                    }
                    b
                }
                1 => "a: &a { name: x }\nb: *a\n<<: *a\n".to_string(),
                2 => "a: *nowhere\n".to_string(),
                _ => "a: &a\n  - &b [*b]\n".to_string(),
            };
            let text = insert_at_random_line(&text, &block, rng);
            write(file, text);
            "anchors and aliases".into()
        }
        Mutation::OddUnicode => {
            let n = rng.size(1, 8);
            for _ in 0..n {
                let at = rng.below(text.len() + 1);
                let insert: Vec<u8> = if rng.chance(4) {
                    rng.pick(&[&[0xffu8][..], &[0xc3], &[0xe2, 0x82], &[0xed, 0xa0, 0x80]])
                        .to_vec()
                } else {
                    rng.pick(ODD_TEXT).as_bytes().to_vec()
                };
                text.splice(at..at, insert);
            }
            write(file, &text);
            format!("{n} odd characters")
        }
        Mutation::OddFileName => {
            let dir = file.parent().unwrap_or(site);
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("md");
            let stem = match rng.below(12) {
                0 => "with space".to_string(),
                1 => "Café-ÉTÉ".to_string(),
                2 => "cafe\u{301}".to_string(),
                3 => "x".repeat(rng.size(1, 240)),
                4 => "index".to_string(),
                5 => "%20#?&".to_string(),
                6 => "con".to_string(),
                7 => ".hidden".to_string(),
                8 => "UPPER".to_string(),
                9 => "-".to_string(),
                10 => "--".to_string(),
                _ => "ünïcödé".to_string(),
            };
            let ext = match rng.below(3) {
                0 => ext.to_ascii_uppercase(),
                1 => format!("{ext}.{ext}"),
                _ => ext.to_string(),
            };
            let target = if rng.chance(4) {
                let depth = rng.size(1, 40);
                (0..depth)
                    .fold(dir.to_path_buf(), |d, _| d.join("sub"))
                    .join(format!("{stem}.{ext}"))
            } else {
                dir.join(format!("{stem}.{ext}"))
            };
            if let Some(parent) = target.parent() {
                let _ = fs::create_dir_all(parent);
            }
            if rng.chance(2) {
                let _ = fs::rename(file, &target);
            } else {
                write(&target, &text);
            }
            format!(
                "now also or instead {}",
                target.strip_prefix(site).unwrap_or(&target).display()
            )
        }
        Mutation::TruncateFile => {
            let at = rng.below(text.len() + 1);
            text.truncate(at);
            write(file, &text);
            format!("cut at byte {at}")
        }
        Mutation::RemoveFile => {
            let _ = fs::remove_file(file);
            "removed".into()
        }
        Mutation::CopyIntoOtherFolder => {
            let folder = *rng.pick(&[
                "groups",
                "values",
                "directory",
                "content",
                "content/news",
                "data",
                "i18n",
                "templates",
                ".",
            ]);
            let name = file.file_name().unwrap_or_default();
            let target = site.join(folder).join(name);
            write(&target, &text);
            format!("copied into {folder}/")
        }
        Mutation::LineEndings => {
            let form = rng.below(3);
            let text: Vec<u8> = match form {
                0 => String::from_utf8_lossy(&text)
                    .replace('\n', "\r\n")
                    .into_bytes(),
                1 => String::from_utf8_lossy(&text)
                    .replace('\n', "\r")
                    .into_bytes(),
                _ => {
                    let mut t = text.clone();
                    while t.last() == Some(&b'\n') {
                        t.pop();
                    }
                    t
                }
            };
            write(file, text);
            ["CRLF", "CR only", "no final newline"][form].into()
        }
        Mutation::YamlOddities => {
            let block = *rng.pick(&[
                "\t- tab: indented\n",
                "name: one\nname: two\n",
                "? [complex, key]\n: value\n",
                "bin: !!binary aGVsbG8=\n",
                "float: !!float .nan\n",
                "---\nsecond: document\n",
                "%YAML 1.1\n",
                "tagged: !custom x\n",
                "meetings: 12\n",
                "day: [monday, tuesday]\n",
                "time: 99:99-00:00\n",
                "date: 2026-02-30\n",
                "...\n",
                "key: 'unclosed\n",
                "\"quoted\nkey\": x\n",
            ]);
            let text = insert_at_random_line(&text, block, rng);
            write(file, text);
            format!("inserted {block:?}")
        }
        Mutation::MarkdownStorm => {
            let unit = *rng.pick(&[
                "*a",
                "**",
                "_",
                "[x](",
                "[x]: y\n",
                "[^1]",
                "[^1]: n\n",
                "| a |",
                "\n|---|",
                "`",
                "~~~\n",
                "<",
                "&#",
                "![](",
                "\\",
                "<!--",
                "<script>",
                "]]",
                "<a href=",
                "#",
                "\n- ",
                "\n1. ",
                "\n> ",
                "$$",
                "{{",
                "{%",
            ]);
            let n = rng.size(1, 200_000);
            let text = insert_at_random_line(&text, &format!("{}\n", unit.repeat(n)), rng);
            write(file, text);
            format!("`{}` {n} times", unit.escape_debug())
        }
        Mutation::TemplateOverride => template_override(site, theme, rng),
        Mutation::Splice => {
            let other = read(rng.pick::<PathBuf>(files));
            let from = rng.below(other.len() + 1);
            let to = (from + rng.size(1, 4_000)).min(other.len());
            let at = rng.below(text.len() + 1);
            text.splice(at..at, other[from..to].iter().copied());
            write(file, &text);
            format!("{} bytes of another file spliced in", to - from)
        }
    }
}

/// Copies one of the theme's templates into the site's `templates/` and changes it.
fn template_override(site: &Path, theme: &Path, rng: &mut Rng) -> String {
    let templates = theme.join("templates");
    let mut all = Vec::new();
    let mut stack = vec![templates.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                all.push(path);
            }
        }
    }
    all.sort();
    if all.is_empty() {
        return "no theme templates".into();
    }
    let source = rng.pick(&all).clone();
    let relative = source
        .strip_prefix(&templates)
        .unwrap_or(&source)
        .to_path_buf();
    let name = relative.display().to_string().replace('\\', "/");
    let mut text = read(&source);
    let what = match rng.below(6) {
        0 => {
            let n = rng.size(1, 8);
            for _ in 0..n {
                if !text.is_empty() {
                    let at = rng.below(text.len());
                    text[at] = *rng.pick(SIGNIFICANT);
                }
            }
            format!("{n} bytes changed")
        }
        1 => {
            let depth = rng.size(10, 50_000);
            let block = "{% if true %}".repeat(depth) + &"{% endif %}".repeat(depth);
            text.extend_from_slice(block.as_bytes());
            format!("`if` blocks {depth} deep")
        }
        2 => {
            let depth = rng.size(10, 50_000);
            text.extend_from_slice(
                format!("{{{{ {}1{} }}}}", "(".repeat(depth), ")".repeat(depth)).as_bytes(),
            );
            format!("brackets {depth} deep")
        }
        3 => {
            text.extend_from_slice(format!("{{% include \"{name}\" %}}").as_bytes());
            "includes itself".into()
        }
        4 => {
            text.extend_from_slice(b"{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}");
            "a macro that calls itself".into()
        }
        _ => {
            let at = rng.below(text.len() + 1);
            text.truncate(at);
            format!("cut at byte {at}")
        }
    };
    write(&site.join("templates").join(&relative), &text);
    format!("templates/{name}: {what}")
}
