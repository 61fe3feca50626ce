//! The site as plain, checked data: typed groups, meetings, venues, values, directory
//! entries and pages, cross-referenced and validated.
//!
//! `build` turns the `Sources` read from disk into a `Site`: it reads the site's
//! settings and venues, then asks each content kind ([`crate::kinds::KINDS`]) to build
//! its part, collecting every problem as a diagnostic rather than stopping at the first.
//! It renders nothing, and reads no file but the content pages' (which their kind reads
//! one by one); Markdown bodies are kept as source for the renderer.

pub mod config;
pub mod contact;
pub mod feedback;
pub mod i18n;
pub mod languages;
pub mod meeting_guide_types;
pub mod meeting_type;
pub mod slug;
pub mod urls;
pub mod venue;
pub mod yaml;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::diagnostics::{display_path, Diagnostic, Diagnostics, Position};
pub use crate::kinds::directory::Organisation;
pub use crate::kinds::groups::file::{Format, Group, Meeting};
pub use crate::kinds::groups::Topic;
pub use crate::kinds::pages::sections::Section;
pub use crate::kinds::pages::{page_body, Page, Scheduled};
pub use crate::kinds::values::Value;
use crate::kinds::KINDS;
use crate::load::front_matter;
use crate::load::{SourceFile, Sources};
pub use config::SiteConfig;
use i18n::Translations;
use slug::slugify;
pub use venue::Venue;
use yaml::YamlDoc;

/// Markdown source kept for the renderer, with where it came from so problems in it
/// (a broken link) can be reported at the right line.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub source: String,
    pub file: PathBuf,
    pub first_line: usize,
}

/// Choices made on the command line that change the model.
#[derive(Debug, Clone)]
pub struct Options {
    /// Replaces `base_url` from site.yaml (`--base-url`).
    pub base_url: Option<String>,
    /// Keeps `base_url`'s path but serves from this origin (`http://127.0.0.1:1111`):
    /// how `serve` makes every link point at itself.
    pub origin: Option<String>,
    /// Include pages, groups and entries marked `draft: true`.
    pub drafts: bool,
    /// The moment "upcoming" is measured from (`SOURCE_DATE_EPOCH`, or now).
    pub now: Timestamp,
}

/// The whole site, checked and cross-referenced.
#[derive(Debug)]
pub struct Site {
    /// The site folder.
    pub root: PathBuf,
    pub config: SiteConfig,
    pub translations: Translations,
    pub pages: Vec<Page>,
    /// The content pages with pages below them, which list them and have feeds.
    pub sections: Vec<Section>,
    /// Content pages dated after the day of the build, soonest first: not published yet.
    pub scheduled: Vec<Scheduled>,
    pub groups: Vec<Group>,
    pub meetings: Vec<Meeting>,
    pub venues: BTreeMap<String, Venue>,
    pub values: Vec<Value>,
    pub organisations: Vec<Organisation>,
    pub topics: Vec<Topic>,
    pub data: serde_yaml::Mapping,
    /// (Shared with the site in its other languages, as the static files and pictures.)
    pub templates: Arc<BTreeMap<String, SourceFile>>,
    pub static_files: Arc<BTreeMap<String, Vec<u8>>>,
    /// The pictures among the static files, as their headers describe them.
    pub pictures: Arc<crate::images::Pictures>,
    /// Source file (`content/about.md`, `groups/voices.md`…) → route, so Markdown links to
    /// files can be rewritten to the pages they become.
    pub routes_by_source: HashMap<String, String>,
    pub now: Timestamp,
    /// The site in each of its other languages, in the order of `languages` (see
    /// [`languages`]); empty for the site in another language, and for a site in one.
    pub other_languages: Vec<Site>,
    /// Which of `config.languages` this site is in (0, the default, for most).
    pub language_index: usize,
    /// The files (as messages name them) whose pages are shown in the default language
    /// in this one, for want of a translation.
    pub untranslated: HashSet<String>,
}

impl Site {
    /// The site in each of its languages, the default first.
    pub fn in_every_language(&self) -> impl Iterator<Item = &Site> {
        std::iter::once(self).chain(&self.other_languages)
    }
}

/// Builds the model. Returns `None` when an error makes a site impossible (no usable
/// site.yaml); other errors are in `diagnostics` and the caller must not publish.
pub fn build(
    mut sources: Sources,
    options: &Options,
    diagnostics: &mut Diagnostics,
) -> Option<Site> {
    let mut problems = Vec::new();
    let config_file = sources.site_config.as_ref()?;
    let config_doc = YamlDoc::whole(&config_file.path, &config_file.text);
    let config = match config::parse(
        &config_doc,
        options.base_url.as_deref(),
        options.origin.as_deref(),
    ) {
        // The default language's own settings, and its prefix if it has one.
        Ok(c) => c.in_language(0),
        Err(p) => {
            diagnostics.extend(p);
            return None;
        }
    };
    diagnostics.extend(config::check_social_image_file(
        &config_doc,
        &config,
        &sources.static_files,
    ));
    let unknown: Vec<Diagnostic> = config
        .languages
        .iter()
        .filter(|l| !sources.translations.contains_key(&l.code))
        .map(|l| {
            let (message, help) = i18n::unknown_language(&l.code, &sources.translations);
            let help = if l.key == "language" {
                help
            } else {
                help.replace("`language: ", "`")
            };
            config_doc.error_at(&l.key, message).with_help(help)
        })
        .collect();
    if !unknown.is_empty() {
        diagnostics.extend(unknown);
        return None;
    }
    let translations =
        match Translations::load(&config.language, &sources.translations, config.clock) {
            Ok(t) => t,
            Err(d) if d.position.is_none() && d.file == config_file.path => {
                // A language with no translation: point at `language:` in site.yaml.
                let mut pointed = config_doc.error_at("language", d.message);
                pointed.help = d.help;
                diagnostics.push(pointed);
                return None;
            }
            Err(d) => {
                diagnostics.push(d);
                return None;
            }
        };
    // `None`: venues.yaml is unreadable, and has been reported; meetings' venues are then
    // not checked against it, to avoid one message per meeting for the same mistake.
    let venues = match &sources.venues {
        Some(file) => venue::parse(&YamlDoc::whole(&file.path, &file.text), &mut problems),
        None => Some(BTreeMap::new()),
    };
    let venues_readable = venues.is_some();
    let venues = venues.unwrap_or_default();
    // A site in several languages: the translations are set apart, and the default
    // language's files kept to build the other languages from.
    let translation_files =
        languages::take(&config, &sources.root, &mut sources.kinds, &mut problems);
    let originals = (config.languages.len() > 1).then(|| {
        sources
            .kinds
            .iter()
            .map(|(name, files)| (*name, files.clone()))
            .collect::<BTreeMap<_, _>>()
    });

    // The lists and maps below are made their full size at once: grown step by step,
    // a big site's would be copied a dozen times over, on one core.
    let files = sources
        .kinds
        .values()
        .map(|f| f.read.len() + f.unread.len())
        .sum();
    let (pictures, picture_problems) =
        crate::images::Pictures::plan(&sources.root, &sources.static_files);
    problems.extend(picture_problems);
    let mut building = Building {
        site: Site {
            root: sources.root.clone(),
            config,
            translations,
            pages: Vec::new(),
            sections: Vec::new(),
            scheduled: Vec::new(),
            groups: Vec::new(),
            meetings: Vec::new(),
            venues,
            values: Vec::new(),
            organisations: Vec::new(),
            topics: Vec::new(),
            data: serde_yaml::Mapping::new(),
            templates: Arc::new(std::mem::take(&mut sources.templates)),
            static_files: Arc::new(std::mem::take(&mut sources.static_files)),
            pictures: Arc::new(pictures),
            routes_by_source: HashMap::with_capacity(files),
            now: options.now,
            other_languages: Vec::new(),
            language_index: 0,
            untranslated: HashSet::new(),
        },
        options,
        venues_readable,
        problems,
        taken: SlugRegistry::with_capacity(files),
        translating: None,
    };
    for kind in KINDS {
        let files = sources.kinds.remove(kind.folder().name).unwrap_or_default();
        kind.build(files, &mut building);
    }
    let Building {
        mut site,
        mut problems,
        taken,
        ..
    } = building;
    site.data = collect_data(&sources.data, &mut problems);
    if let Some(originals) = originals {
        site.other_languages = languages::build(
            &site,
            &originals,
            &translation_files,
            &sources.translations,
            options,
            venues_readable,
            &mut problems,
        );
    }
    diagnostics.extend(problems);
    // A big site's claims are a hundred thousand small strings.
    crate::drop_in_background(taken);
    Some(site)
}

/// The site as the kinds build it ([`crate::kinds::Kind::build`]): the site so far, in
/// which each kind fills its own lists, with what the kinds need to read and check their
/// files.
pub struct Building<'a> {
    /// The site so far: its settings and venues, and what the kinds before built.
    pub site: Site,
    pub options: &'a Options,
    /// Whether venues.yaml could be read: if not, meetings' venues are not checked.
    pub venues_readable: bool,
    /// Every problem found so far.
    pub problems: Vec<Diagnostic>,
    taken: SlugRegistry,
    /// The language whose translations are being built (see [`languages`]), whose
    /// code their file names end with (`about.es.md`).
    translating: Option<String>,
}

impl Building<'_> {
    /// Claims the page `slug` among `kind`'s pages for `file`: `false` (and an error
    /// naming both files) if another file has it.
    pub fn claim(&mut self, kind: &'static str, slug: &str, file: &Path) -> bool {
        self.taken.claim(kind, slug, file, &mut self.problems)
    }

    /// Claims the page `slug` for `file`, as [`Building::claim`], and notes that links
    /// to the file go to `route`.
    pub fn claim_file(
        &mut self,
        kind: &'static str,
        slug: &str,
        file: &Path,
        route: String,
    ) -> bool {
        self.claim_named(kind, slug, file, display_path(file), route)
    }

    /// [`Building::claim_file`] for a file whose name, as links and messages write it,
    /// is already known (`source`).
    pub fn claim_named(
        &mut self,
        kind: &'static str,
        slug: &str,
        file: &Path,
        source: String,
        route: String,
    ) -> bool {
        let claimed = self.claim(kind, slug, file);
        if claimed {
            self.site.routes_by_source.insert(source, route);
        }
        claimed
    }

    /// The slug of an item's file (`values/hope.md` → `hope`), the same for its
    /// translation (`values/hope.es.md`).
    pub fn file_slug(&self, path: &Path) -> String {
        match &self.translating {
            Some(_) => file_slug(Path::new(&languages::without_suffix(path))),
            None => file_slug(path),
        }
    }

    /// The route of a content page, the same for its translation: `about.es.md` is at
    /// `about/` (under the language's prefix).
    pub fn page_route(&self, route: String, path_in_content: &str) -> String {
        match &self.translating {
            Some(code) => {
                let suffix = format!(".{code}.");
                let lower = path_in_content.to_lowercase();
                match lower.rfind(&suffix) {
                    Some(at) => urls::page(&format!(
                        "{}.{}",
                        &path_in_content[..at],
                        &path_in_content[at + suffix.len()..]
                    )),
                    None => route,
                }
            }
            None => route,
        }
    }

    /// Makes room for `more` claims at once (a big site has tens of thousands).
    pub fn reserve_claims(&mut self, more: usize) {
        self.taken.reserve(more);
    }
}

/// Parses every file with `parse`, in parallel, keeping the files' order and collecting
/// each file's problems into `problems`.
pub(crate) fn parse_all<'f, T: Send>(
    files: &'f [SourceFile],
    problems: &mut Vec<Diagnostic>,
    parse: impl Fn(&'f SourceFile, &mut Vec<Diagnostic>) -> Option<T> + Sync,
) -> Vec<(&'f SourceFile, T)> {
    in_parallel(files, problems, |file, found| {
        parse(file, found).map(|value| (file, value))
    })
}

/// A name used once that is one slip away from a name used elsewhere (`anxeity` and
/// `anxiety`) is probably a typo: free-form lists would otherwise silently grow a
/// second topic.
pub(crate) fn warn_near_duplicates<'a>(
    kind: &str,
    names: impl Iterator<Item = (&'a str, usize, &'a Path)>,
    files: &[SourceFile],
    problems: &mut Vec<Diagnostic>,
) {
    let names: Vec<(&str, usize, &Path)> = names.collect();
    for (name, uses, file) in &names {
        if *uses != 1 {
            continue;
        }
        let others = names
            .iter()
            .filter(|(n, _, _)| n != name)
            .map(|(n, _, _)| *n);
        if let Some(similar) = crate::diagnostics::closest(name, others) {
            let mut d = Diagnostic::warning(
                *file,
                format!("the {kind} `{name}` is used only here, and looks like `{similar}`"),
            )
            .with_help(format!(
                "did you mean `{similar}`? (if not, ignore this warning)"
            ));
            let text = files
                .iter()
                .find(|f| f.path == *file)
                .map(|f| f.text.as_str());
            if let Some((text, offset)) = text.and_then(|t| t.find(*name).map(|o| (t, o))) {
                let len = name.chars().count();
                d = d.at(text, Position::at_offset(text, offset, 1, len));
            }
            problems.push(d);
        }
    }
}

/// Runs `parse` on every item in parallel, keeping the items' order and adding each
/// item's problems to `problems`, in that order.
pub(crate) fn in_parallel<I, T>(
    items: I,
    problems: &mut Vec<Diagnostic>,
    parse: impl Fn(I::Item, &mut Vec<Diagnostic>) -> Option<T> + Sync + Send,
) -> Vec<T>
where
    I: rayon::iter::IntoParallelIterator,
    I::Iter: rayon::iter::IndexedParallelIterator,
    T: Send,
{
    use rayon::prelude::*;
    let results: Vec<(Option<T>, Vec<Diagnostic>)> = items
        .into_par_iter()
        .map(|item| {
            let mut found = Vec::new();
            let parsed = parse(item, &mut found);
            (parsed, found)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (result, found) in results {
        problems.extend(found);
        parsed.extend(result);
    }
    parsed
}

/// Whether the file has nothing in it, which is an error.
pub(crate) fn is_empty(file: &SourceFile, problems: &mut Vec<Diagnostic>) -> bool {
    let empty = file.text.trim().is_empty();
    if empty {
        problems.push(
            Diagnostic::error(&file.path, "this file is empty")
                .with_help("add its content (see the README for an example), or delete the file"),
        );
    }
    empty
}

/// Splits a Markdown file into its front matter document and its body.
pub(crate) fn split<'a>(
    file: &'a SourceFile,
    problems: &mut Vec<Diagnostic>,
) -> Option<(YamlDoc<'a>, Markdown)> {
    if is_empty(file, problems) {
        return None;
    }
    match front_matter::split(&file.path, &file.text) {
        Ok(s) => Some((
            YamlDoc::new(&file.path, &file.text, s.yaml, s.yaml_first_line),
            Markdown {
                source: s.body.to_string(),
                file: file.path.clone(),
                first_line: s.body_first_line,
            },
        )),
        Err(d) => {
            problems.push(d);
            None
        }
    }
}

pub(crate) fn file_slug(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let slug = slugify(&stem);
    if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug
    }
}

/// Remembers which file claimed each slug, so two files that would become the same page
/// are reported instead of one silently replacing the other.
pub(crate) struct SlugRegistry {
    claimed: foldhash::HashMap<(&'static str, String), PathBuf>,
}

impl SlugRegistry {
    fn with_capacity(capacity: usize) -> Self {
        SlugRegistry {
            claimed: foldhash::HashMap::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    /// Makes room for `more` claims than those made so far, at once.
    fn reserve(&mut self, more: usize) {
        self.claimed.reserve(more);
    }

    fn claim(
        &mut self,
        kind: &'static str,
        slug: &str,
        file: &Path,
        problems: &mut Vec<Diagnostic>,
    ) -> bool {
        match self.claimed.entry((kind, slug.to_string())) {
            std::collections::hash_map::Entry::Occupied(other) => {
                problems.push(
                    Diagnostic::error(file, format!("this would make the same page as `{}` ({kind}/{slug})", display_path(other.get())))
                        .with_help("rename one of the two files (or change a meeting `id`) so each has its own address"),
                );
                false
            }
            std::collections::hash_map::Entry::Vacant(place) => {
                place.insert(file.to_path_buf());
                true
            }
        }
    }
}

/// `data/` files as one mapping: `data/partners.yaml` is `data.partners`, and
/// `data/a/b.yaml` is `data.a.b`.
fn collect_data(files: &[SourceFile], problems: &mut Vec<Diagnostic>) -> serde_yaml::Mapping {
    let mut root = serde_yaml::Mapping::new();
    for file in files {
        let doc = YamlDoc::whole(&file.path, &file.text);
        let value: serde_yaml::Value = match doc.parse() {
            Ok(v) => v,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let relative = file
            .path
            .strip_prefix("data")
            .unwrap_or(&file.path)
            .with_extension("");
        let keys: Vec<String> = relative
            .iter()
            .map(|k| k.to_string_lossy().replace(['-', ' '], "_"))
            .collect();
        let mut map = &mut root;
        for key in &keys[..keys.len().saturating_sub(1)] {
            let entry = map
                .entry(serde_yaml::Value::String(key.clone()))
                .or_insert_with(|| serde_yaml::Value::Mapping(Default::default()));
            if !entry.is_mapping() {
                *entry = serde_yaml::Value::Mapping(Default::default());
            }
            let serde_yaml::Value::Mapping(inner) = entry else {
                unreachable!("just made a mapping")
            };
            map = inner;
        }
        if let Some(last) = keys.last() {
            map.insert(serde_yaml::Value::String(last.clone()), value);
        }
    }
    root
}
