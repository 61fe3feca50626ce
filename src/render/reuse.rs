//! Skipping pages that would come out the same: a rebuild leaves a page's file as it is,
//! without rendering it, when everything the page was made from is as it was.
//!
//! What a page is made from: the templates and the code that runs them (the
//! [`fingerprint`]), the page's own values (its title, its group or meeting, its
//! Markdown), and those of the templates' globals (`site`, `meeting_list`, …) that its
//! templates looked at. Which globals those are is not guessed from the templates'
//! text: each global is wrapped in a [`Tracked`] value that notes, while a page
//! renders, that it was used. The output folder's manifest keeps, for each page, a hash
//! of all this ([`MadeFrom`]); the next build computes the same hash from its own
//! values and, if it matches and the file is untouched, keeps the file.
//!
//! A map from slugs to items (`groups`, `meetings`, `directory`) is noted key by key
//! when a page looks up items one at a time (a meeting's page, its group), so that
//! editing one group makes again only the pages that show it.
//!
//! Time is no exception: what depends on the moment of the build (a meeting's next
//! dates, "today") is part of the values hashed, so a page whose next meeting has
//! passed is rendered again.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hasher as _;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, ValueKind};
use minijinja::Value as JinjaValue;
use xxhash_rust::xxh3::Xxh3;

use super::digest;
use crate::model::Site;

/// What one page was made from, as the manifest remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeFrom {
    /// A hash of the fingerprint, the page's own values and the globals it used.
    pub inputs: u64,
    /// What it used of the globals.
    pub uses: Uses,
    /// Whether its links are to be read again when it is kept: it has links to other
    /// pages' anchors, or links to report.
    pub links_to_check: bool,
}

/// What a page used of the globals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uses {
    /// Bit `i` for the whole of the `i`th global.
    pub whole: u32,
    /// The items of keyed globals it looked up one by one: (the global's bit, key),
    /// sorted.
    pub keys: Vec<(u8, String)>,
}

/// More items than this looked up in one global, and the page counts as using it whole
/// (the manifest stays small, and a page listing many items is made again anyway).
const MOST_KEYS: usize = 16;

/// Appends `n` in lower-case hexadecimal, at least `width` digits (as `{:0width$x}`).
pub fn push_hex(out: &mut String, n: u64, width: usize) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digits = (16 - n.leading_zeros() as usize / 4).max(width).min(16);
    for i in (0..digits).rev() {
        out.push(char::from(DIGITS[((n >> (i * 4)) & 0xf) as usize]));
    }
}

impl MadeFrom {
    /// Appends it as the manifest writes it: `inputs.whole`, then `.bit:key` for each
    /// key, in hexadecimal (keys hold only letters, digits, `-` and `_`, see
    /// [`key_fits`]), then `.l` if its links are to be checked.
    pub fn write_field(&self, out: &mut String) {
        push_hex(out, self.inputs, 16);
        out.push('.');
        push_hex(out, self.uses.whole.into(), 1);
        for (bit, key) in &self.uses.keys {
            out.push('.');
            push_hex(out, (*bit).into(), 1);
            out.push(':');
            out.push_str(key);
        }
        if self.links_to_check {
            out.push_str(".l");
        }
    }

    /// Reads what [`MadeFrom::write_field`] wrote.
    pub fn from_field(field: &str) -> Option<MadeFrom> {
        let (field, links_to_check) = match field.strip_suffix(".l") {
            Some(rest) => (rest, true),
            None => (field, false),
        };
        let mut parts = field.split('.');
        let inputs = u64::from_str_radix(parts.next()?, 16).ok()?;
        let whole = u32::from_str_radix(parts.next()?, 16).ok()?;
        let keys = parts
            .map(|part| {
                let (bit, key) = part.split_once(':')?;
                Some((u8::from_str_radix(bit, 16).ok()?, key.to_string()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(MadeFrom {
            inputs,
            uses: Uses { whole, keys },
            links_to_check,
        })
    }
}

/// Whether a key can be noted as it is (and written in the manifest).
fn key_fits(key: &str) -> bool {
    key.len() <= 200
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

thread_local! {
    /// What the page rendering on this thread used of the globals.
    static USED: RefCell<Uses> = const { RefCell::new(Uses { whole: 0, keys: Vec::new() }) };
}

/// Runs `render` and returns what it returned with what it used of the globals. A page
/// renders on one thread from start to finish, so a thread's note is the page's.
pub fn noting_uses<T>(render: impl FnOnce() -> T) -> (T, Uses) {
    USED.with_borrow_mut(|u| *u = Uses::default());
    let out = render();
    let mut uses = USED.with_borrow_mut(std::mem::take);
    uses.keys.sort_unstable();
    uses.keys.dedup();
    // A global used whole needs no keys; one with many keys counts as used whole.
    for bit in 0..32u8 {
        let count = uses.keys.iter().filter(|(b, _)| *b == bit).count();
        if count > MOST_KEYS {
            uses.whole |= 1 << bit;
        }
    }
    uses.keys.retain(|(bit, _)| uses.whole & (1 << bit) == 0);
    (out, uses)
}

/// Runs `render` apart from the page rendering on this thread: what it uses of the
/// globals is returned, not noted for the page. For a piece made once and shown on
/// many pages, whose uses each of those pages then notes with [`note_uses`].
pub fn uses_apart<T>(render: impl FnOnce() -> T) -> (T, Uses) {
    let page = USED.with_borrow_mut(std::mem::take);
    let out = render();
    let mut uses = USED.with_borrow_mut(|u| std::mem::replace(u, page));
    uses.keys.sort_unstable();
    uses.keys.dedup();
    (out, uses)
}

/// Notes `uses` for the page rendering on this thread, as if it had looked itself.
pub fn note_uses(uses: &Uses) {
    USED.with_borrow_mut(|u| {
        u.whole |= uses.whole;
        u.keys.extend(uses.keys.iter().cloned());
    });
}

/// A template global that notes each use. Every way a template can look into a value
/// (an attribute, an item, a loop, its length or truth, printing it) is one of these
/// methods, so a page that depended on the global cannot have missed the note.
#[derive(Debug)]
pub struct Tracked {
    bit: u32,
    /// Keys noted apart, each with a bit of its own (`site.built`, which changes daily
    /// but is on few pages).
    parts: Vec<(&'static str, u32)>,
    /// Whether a look-up of one item is noted by its key rather than as a use of the
    /// whole (a map from slugs to items).
    keyed: bool,
    inner: JinjaValue,
    /// A big map's items by key: pages look up translations and items by the
    /// thousand, and a search of the map itself compares many values.
    index: Option<foldhash::HashMap<String, JinjaValue>>,
}

/// Maps with more entries than this are indexed by key.
const INDEX_FROM: usize = 32;

impl Tracked {
    fn new(bit: u32, parts: Vec<(&'static str, u32)>, keyed: bool, inner: JinjaValue) -> Self {
        let index =
            (inner.kind() == ValueKind::Map && inner.len().unwrap_or(0) > INDEX_FROM).then(|| {
                let keys = inner.try_iter().into_iter().flatten();
                keys.filter_map(|key| {
                    let value = inner.get_item(&key).ok()?;
                    Some((key.as_str()?.to_string(), value))
                })
                .collect()
            });
        Tracked {
            bit,
            parts,
            keyed,
            inner,
            index,
        }
    }

    /// Notes a look at the whole value.
    fn used(&self) {
        let parts = self.parts.iter().fold(0, |mask, (_, bit)| mask | bit);
        note(self.bit | parts);
    }
}

fn note(bits: u32) {
    USED.with_borrow_mut(|u| u.whole |= bits);
}

impl Object for Tracked {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        match self.inner.kind() {
            ValueKind::Seq => ObjectRepr::Seq,
            _ => ObjectRepr::Map,
        }
    }

    fn get_value(self: &Arc<Self>, key: &JinjaValue) -> Option<JinjaValue> {
        let part = self
            .parts
            .iter()
            .find(|(name, _)| key.as_str() == Some(name));
        match (part, key.as_str()) {
            (Some((_, bit)), _) => note(*bit),
            (None, Some(k)) if self.keyed && key_fits(k) => USED.with_borrow_mut(|u| {
                // A page looking up every item (the meeting list) uses the whole.
                if u.whole & self.bit == 0 && u.keys.len() < 16 * MOST_KEYS {
                    let bit = self.bit.trailing_zeros() as u8;
                    u.keys.push((bit, k.to_string()));
                } else {
                    u.whole |= self.bit;
                }
            }),
            _ => note(self.bit),
        }
        let indexed = key.as_str().zip(self.index.as_ref());
        if let Some(found) = indexed.and_then(|(k, index)| index.get(k)) {
            return Some(found.clone());
        }
        self.inner.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.used();
        match self.inner.kind() {
            ValueKind::Seq => Enumerator::Seq(self.inner.len().unwrap_or(0)),
            _ => Enumerator::Values(
                self.inner
                    .try_iter()
                    .map(Iterator::collect)
                    .unwrap_or_default(),
            ),
        }
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        self.used();
        self.inner.len()
    }

    fn is_true(self: &Arc<Self>) -> bool {
        self.used();
        self.inner.is_true()
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.used();
        std::fmt::Display::fmt(&self.inner, f)
    }
}

/// A template global: its name, its value, and its hash if pages may be kept.
pub type Global = (&'static str, JinjaValue, Option<u64>);

/// A key of a global noted apart (see [`Tracked`]): the global, the key, and the
/// hash of the key's value, which the global's own hash then leaves out.
pub type Part = (&'static str, &'static str, Option<u64>);

/// A map from slugs to items noted key by key: the global, and each item's hash by key.
pub type Keyed = (&'static str, HashMap<String, u64>);

/// The templates' globals, each wrapped to note its use, with a hash of each.
pub struct Globals {
    pub values: Vec<(&'static str, JinjaValue)>,
    /// `None` if the globals were not hashed: then no page is kept.
    hashes: Vec<Option<u64>>,
    /// For a keyed global, by bit: each item's hash by key.
    keyed: Vec<Option<HashMap<String, u64>>>,
    /// The globals every page counts as using, whether it looked at them or not: those
    /// not wrapped.
    always: u32,
}

impl Globals {
    /// Wraps `globals`, with `parts` of them noted apart and `keyed` ones noted key by
    /// key. A global that is neither a map nor a list is not wrapped: every page counts
    /// as using it.
    pub fn new(globals: Vec<Global>, parts: Vec<Part>, mut keyed: Vec<Keyed>) -> Globals {
        assert!(globals.len() + parts.len() <= 32, "one bit each");
        let hashes = globals
            .iter()
            .map(|(_, _, hash)| *hash)
            .chain(parts.iter().map(|(_, _, hash)| *hash))
            .collect();
        let first_part = globals.len();
        let mut keyed_by_bit = Vec::new();
        let values: Vec<(&'static str, JinjaValue)> = globals
            .into_iter()
            .enumerate()
            .map(|(i, (name, inner, _))| {
                let item_hashes = keyed
                    .iter()
                    .position(|(global, _)| *global == name)
                    .map(|at| keyed.swap_remove(at).1);
                let is_keyed = item_hashes.is_some();
                keyed_by_bit.push(item_hashes);
                let parts = (first_part..)
                    .zip(&parts)
                    .filter(|(_, (global, _, _))| *global == name)
                    .map(|(bit, (_, key, _))| (*key, 1 << bit))
                    .collect();
                let value = match inner.kind() {
                    ValueKind::Map | ValueKind::Seq => {
                        JinjaValue::from_object(Tracked::new(1 << i, parts, is_keyed, inner))
                    }
                    _ => inner,
                };
                (name, value)
            })
            .collect();
        let always = values
            .iter()
            .enumerate()
            .filter(|(_, (_, v))| v.as_object().is_none())
            .fold(0, |mask, (i, _)| mask | 1 << i);
        Globals {
            values,
            hashes,
            keyed: keyed_by_bit,
            always,
        }
    }

    /// What a page was made from: `fingerprint`, its own values' hash `own`, and what
    /// it `uses` of the globals. A global that was not hashed counts as different every
    /// time.
    pub fn made_from(&self, fingerprint: u64, own: u64, mut uses: Uses) -> MadeFrom {
        uses.whole |= self.always;
        let mut hasher = Xxh3::new();
        hasher.write_u64(fingerprint);
        hasher.write_u64(own);
        for (i, hash) in self.hashes.iter().enumerate() {
            if uses.whole & (1 << i) != 0 {
                hasher.write_u64(hash.unwrap_or_else(unique));
            }
        }
        for (bit, key) in &uses.keys {
            hasher.write_u8(*bit);
            hasher.write_usize(key.len());
            hasher.update(key.as_bytes());
            // An item that is not there is a use too: its coming would change the page.
            let item = match self.keyed.get(usize::from(*bit)) {
                Some(Some(items)) => items.get(key).map_or(ABSENT, |h| h ^ PRESENT),
                _ => unique(),
            };
            hasher.write_u64(item);
        }
        MadeFrom {
            inputs: hasher.finish(),
            uses,
            links_to_check: true,
        }
    }
}

/// What a looked-up item that is not there hashes as, and what is mixed into the hash
/// of one that is, so the two cannot be taken for each other.
const ABSENT: u64 = 0x9e37_79b9_7f4a_7c15;
const PRESENT: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// A hash of what every page is made from: this program and the templates.
pub fn fingerprint(site: &Site) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    // The program itself: a new build of it may render differently.
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        hasher.write_u64(meta.len());
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        hasher.write_u128(modified.map_or(0, |d| d.as_nanos()));
    }
    // Templates that show pictures (`picture(…)`) change with the pictures' sizes.
    if site
        .templates
        .iter()
        .any(|(_, file)| file.text.contains("picture("))
    {
        hasher.write_u64(site.pictures.digest());
    }
    for (name, file) in site.templates.iter() {
        hasher.update(name.as_bytes());
        hasher.write_u8(0);
        hasher.update(file.text.as_bytes());
        hasher.write_u8(0);
    }
    hasher.update(site.config.base_url.path.as_bytes());
    hasher.update(site.config.base_url.language.as_bytes());
    hasher.finish()
}

/// A hash of a value, by its data written plainly ([`digest`]). A value that fails to
/// be written gets a hash of its own each time, so a page made from it is never kept.
pub fn hash_serialize<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        match digest::write(value, buffer) {
            Ok(()) => xxhash_rust::xxh3::xxh3_64(buffer),
            Err(_) => unique(),
        }
    })
}

/// A number no other hash of this build or another is equal to (but by chance).
fn unique() -> u64 {
    use std::hash::BuildHasher as _;
    std::collections::hash_map::RandomState::new().hash_one(std::time::Instant::now())
}

/// A hash of a list of hashes.
pub fn hash_u64s(hashes: &[u64]) -> u64 {
    let bytes: Vec<u8> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

/// Hashes `parts` in order, each ended so that `("ab", "c")` and `("a", "bc")` differ.
pub fn hash_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut hasher = Xxh3::new();
    for part in parts {
        hasher.write_usize(part.len());
        hasher.update(part);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_written_as_format_writes_it() {
        for n in [0, 1, 0xf, 0x10, 0xabc, 1 << 32, u64::MAX >> 4, u64::MAX] {
            for width in [1, 16] {
                let mut out = String::from("x");
                push_hex(&mut out, n, width);
                assert_eq!(out, format!("x{n:0width$x}"));
            }
        }
    }

    fn env_with(globals: &Globals) -> minijinja::Environment<'static> {
        let mut env = minijinja::Environment::new();
        for (name, value) in &globals.values {
            env.add_global(*name, value.clone());
        }
        env
    }

    /// `site` (with `built` apart), a list `groups`, a map `week`, and `by_slug`, a
    /// keyed map from slugs to items.
    fn globals_with(groups: Vec<&'static str>, items: &[(&str, u64)]) -> Globals {
        let groups_hash = hash_serialize(&groups);
        let by_slug: Vec<(String, u64)> = items.iter().map(|(k, h)| (k.to_string(), *h)).collect();
        let value = JinjaValue::from_iter(by_slug.iter().map(|(k, h)| (k.clone(), *h)));
        Globals::new(
            vec![
                (
                    "site",
                    minijinja::context! { name => "Peer Support", built => "today" },
                    Some(1),
                ),
                ("groups", JinjaValue::from(groups), Some(groups_hash)),
                (
                    "week",
                    minijinja::context! { monday => vec![1, 2] },
                    Some(3),
                ),
                ("by_slug", value, Some(hash_serialize(&by_slug))),
            ],
            vec![("site", "built", Some(4))],
            vec![("by_slug", by_slug.into_iter().collect())],
        )
    }

    fn globals() -> Globals {
        globals_with(vec!["a", "b"], &[("x", 1), ("y", 2)])
    }

    fn whole(bits: u32) -> Uses {
        Uses {
            whole: bits,
            keys: Vec::new(),
        }
    }

    fn keys(keys: &[&str]) -> Uses {
        Uses {
            whole: 0,
            keys: keys.iter().map(|k| (3, k.to_string())).collect(),
        }
    }

    #[test]
    fn a_big_map_is_looked_up_through_its_index_with_the_same_notes() {
        let items: Vec<(String, u64)> = (0..100).map(|i| (format!("k{i}"), i)).collect();
        let item_refs: Vec<(&str, u64)> = items.iter().map(|(k, h)| (k.as_str(), *h)).collect();
        let big = globals_with(vec!["a"], &item_refs);
        let by_slug = &big.values[3].1;
        let tracked = by_slug.downcast_object_ref::<Tracked>().unwrap();
        assert_eq!(tracked.index.as_ref().map(|i| i.len()), Some(100));
        let env = env_with(&big);
        let render =
            |source: &str| noting_uses(|| env.render_str(source, minijinja::context! {}).unwrap());
        assert_eq!(
            render("{{ by_slug['k7'] }} {{ by_slug.k99 }}"),
            ("7 99".into(), keys(&["k7", "k99"]))
        );
        assert_eq!(
            render("{{ by_slug['nope'] is undefined }}"),
            ("True".into(), keys(&["nope"]))
        );
        assert_eq!(render("{{ by_slug|length }}").0, "100");
        // The small maps of the other tests are not indexed.
        let small = globals();
        let site = small.values[0].1.downcast_object_ref::<Tracked>().unwrap();
        assert!(site.index.is_none());
    }

    #[test]
    fn notes_the_globals_a_page_looks_at_and_only_those() {
        let globals = globals();
        let env = env_with(&globals);
        let render =
            |source: &str| noting_uses(|| env.render_str(source, minijinja::context! {}).unwrap());
        assert_eq!(
            render("{{ site.name }}"),
            ("Peer Support".into(), whole(0b001))
        );
        assert_eq!(render("{{ site.built }}"), ("today".into(), whole(0b10000)));
        assert_eq!(render("{{ site|length }}").1, whole(0b10001));
        assert_eq!(
            render("{% for g in groups %}{{ g }}{% endfor %}"),
            ("ab".into(), whole(0b010))
        );
        assert_eq!(render("{{ groups|length }}"), ("2".into(), whole(0b010)));
        assert_eq!(
            render("{% if week %}w{% endif %}"),
            ("w".into(), whole(0b100))
        );
        assert_eq!(render("{{ week.monday[1] }}"), ("2".into(), whole(0b100)));
        assert_eq!(render("{{ 'b' in groups }}"), ("True".into(), whole(0b010)));
        assert_eq!(
            render("{{ groups }}"),
            (r#"["a", "b"]"#.into(), whole(0b010))
        );
        assert_eq!(
            render("{% set s = site %}{{ s.name|upper }}").1,
            whole(0b001)
        );
        assert_eq!(
            render("{{ site.name }} {{ groups|join(',') }}").1,
            whole(0b011)
        );
        assert_eq!(render("plain text").1, whole(0));
        assert_eq!(render("{{ groups|sort|first }}").0, "a");
        // A keyed map: one item at a time by its key, anything else as a whole.
        assert_eq!(
            render("{{ by_slug['y'] }}{{ by_slug.x }}"),
            ("21".into(), keys(&["x", "y"]))
        );
        assert_eq!(
            render("{{ by_slug['z'] }}").1,
            keys(&["z"]),
            "absent, noted too"
        );
        assert_eq!(render("{{ by_slug|length }}").1, whole(0b1000));
        assert_eq!(
            render("{% for k in by_slug %}{{ by_slug[k] }}{% endfor %}").1,
            whole(0b1000)
        );
        assert_eq!(render("{{ 'x' in by_slug }}").1, keys(&["x"]));
        assert_eq!(
            render("{{ by_slug['a b'] }}").1,
            whole(0b1000),
            "a key that does not fit"
        );
        let many: String = (0..=MOST_KEYS)
            .map(|i| format!("{{{{ by_slug['k{i}'] }}}}"))
            .collect();
        assert_eq!(
            render(&many).1,
            whole(0b1000),
            "many keys count as the whole"
        );
    }

    #[test]
    fn what_a_page_is_made_from_changes_with_what_it_used() {
        let before = globals();
        let changed = globals_with(vec!["a", "b", "c"], &[("x", 1), ("y", 5)]);
        let made = |g: &Globals, uses| g.made_from(7, 11, uses).inputs;
        assert_eq!(
            made(&before, whole(0b101)),
            made(&changed, whole(0b101)),
            "groups not used"
        );
        assert_ne!(
            made(&before, whole(0b011)),
            made(&changed, whole(0b011)),
            "groups used"
        );
        assert_ne!(made(&before, whole(1)), made(&changed, whole(0b11)));
        assert_eq!(
            made(&before, keys(&["x"])),
            made(&changed, keys(&["x"])),
            "x unchanged"
        );
        assert_ne!(
            made(&before, keys(&["y"])),
            made(&changed, keys(&["y"])),
            "y changed"
        );
        assert_ne!(made(&before, whole(0b1000)), made(&changed, whole(0b1000)));
        let added = globals_with(vec!["a", "b"], &[("x", 1), ("y", 2), ("z", 0)]);
        assert_ne!(
            made(&before, keys(&["z"])),
            made(&added, keys(&["z"])),
            "z came"
        );
        assert_ne!(
            before.made_from(7, 11, whole(1)),
            before.made_from(7, 12, whole(1)),
            "the page's own values"
        );
        assert_ne!(
            before.made_from(7, 11, whole(1)),
            before.made_from(8, 11, whole(1)),
            "the templates"
        );
        let unhashed = Globals::new(
            vec![("site", JinjaValue::from(vec![1]), None)],
            vec![],
            vec![],
        );
        assert_ne!(
            unhashed.made_from(7, 11, whole(1)),
            unhashed.made_from(7, 11, whole(1)),
            "a global not hashed is never the same"
        );
    }

    #[test]
    fn hashes_tell_values_apart() {
        let a = hash_serialize(&minijinja::context! { title => "A", n => 1 });
        let b = hash_serialize(&minijinja::context! { title => "A", n => 2 });
        assert_ne!(a, b);
        // A value that cannot be written is never the same as itself.
        struct Unwritable;
        impl serde::Serialize for Unwritable {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("cannot be written"))
            }
        }
        assert_ne!(hash_serialize(&Unwritable), hash_serialize(&Unwritable));
        assert_ne!(
            hash_parts([b"ab".as_slice(), b"c"]),
            hash_parts([b"a".as_slice(), b"bc"])
        );
    }
}
