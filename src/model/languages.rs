//! A site in several languages: each language other than the default is a [`Site`] of
//! its own, built by the same kinds from the same files, with each file's translation
//! (`content/about.es.md` beside `content/about.md`) in its place.
//!
//! A translation is the whole file for content pages, values and directory entries,
//! so a translated page can be arranged as its language needs. A group's translation
//! (`groups/voices.es.md`) gives only its words (name, summary, audience, cost, what
//! to expect, and each meeting's name and notes): its meetings, their times and places
//! are the default file's, so a meeting exists once, whatever the language.
//!
//! A file without a translation is the default language's in every language, and its
//! pages say so ([`Site::untranslated`]). Every page therefore exists in every
//! language, at the same route under the language's prefix, which keeps the language
//! switcher, the `hreflang` alternates and the sitemap simple and never broken.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{display_path, Diagnostic};
use crate::kinds::{Files, KINDS};
use crate::load::SourceFile;
use crate::model::config::SiteConfig;
use crate::model::i18n::Translations;
use crate::model::{Building, Options, Site, SlugRegistry};

/// The translations found among the kinds' files, taken out of them, by language.
#[derive(Debug, Default)]
pub struct TranslationFiles {
    /// For each language after the default (by its index in `languages`), each
    /// folder's translations: the original's path and the translation.
    by_language: BTreeMap<usize, BTreeMap<&'static str, Vec<Translation>>>,
}

/// One file's translation.
#[derive(Debug, Clone)]
struct Translation {
    /// The file it translates (`content/about.md`).
    original: PathBuf,
    /// The translation: read, or only listed for a folder its kind reads.
    file: TranslationFile,
}

#[derive(Debug, Clone)]
enum TranslationFile {
    Read(SourceFile),
    Unread(PathBuf),
}

impl TranslationFile {
    fn path(&self) -> &Path {
        match self {
            TranslationFile::Read(file) => &file.path,
            TranslationFile::Unread(path) => path,
        }
    }
}

/// The language code a file's name ends with (`about.es.md` → `es`), among `codes`.
fn language_suffix<'c>(path: &Path, codes: &'c [(usize, String)]) -> Option<&'c (usize, String)> {
    let stem = path.file_stem()?.to_str()?;
    let (_, suffix) = stem.rsplit_once('.')?;
    codes
        .iter()
        .find(|(_, code)| code.eq_ignore_ascii_case(suffix))
}

/// `about.es.md` → `about`, with the extension of the translation.
pub fn without_suffix(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    stem.rsplit_once('.').map_or(stem, |(s, _)| s).to_string()
}

/// Takes the translations out of the kinds' files, so the default language's site is
/// built from its own files alone. A translation whose original is missing is an
/// error: it would be a page in one language only, which the switcher could not offer.
pub fn take(
    config: &SiteConfig,
    root: &Path,
    kinds: &mut BTreeMap<&'static str, Files>,
    problems: &mut Vec<Diagnostic>,
) -> TranslationFiles {
    let codes: Vec<(usize, String)> = config
        .languages
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, l)| (i, l.code.clone()))
        .collect();
    let mut found = TranslationFiles::default();
    if codes.is_empty() {
        return found;
    }
    for (folder, files) in kinds.iter_mut() {
        let read = std::mem::take(&mut files.read);
        let unread = std::mem::take(&mut files.unread);
        let mut translations: Vec<(usize, TranslationFile)> = Vec::new();
        for file in read {
            match language_suffix(&file.path, &codes) {
                Some((i, _)) => translations.push((*i, TranslationFile::Read(file))),
                None => files.read.push(file),
            }
        }
        for path in unread {
            match language_suffix(&path, &codes) {
                Some((i, _)) => translations.push((*i, TranslationFile::Unread(path))),
                None => files.unread.push(path),
            }
        }
        for (index, translation) in translations {
            let path = translation.path().to_path_buf();
            let stem = without_suffix(&path);
            let folder_of = |p: &Path| p.parent().map(Path::to_path_buf);
            let same_stem = |p: &Path| {
                folder_of(p) == folder_of(&path)
                    && p.file_stem().and_then(|s| s.to_str()) == Some(stem.as_str())
            };
            let original = files
                .read
                .iter()
                .map(|f| f.path.as_path())
                .chain(files.unread.iter().map(PathBuf::as_path))
                .find(|p| same_stem(p))
                .map(Path::to_path_buf);
            let Some(original) = original else {
                let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("md");
                let wanted = path.with_file_name(format!("{stem}.{extension}"));
                if root.join(&wanted).is_file() {
                    // The original is there but could not be read, which has been
                    // reported; its translation waits for it.
                    continue;
                }
                let language = &config.languages[index].code;
                problems.push(
                    Diagnostic::error(&path, format!("this is the `{language}` translation of `{}`, which does not exist", display_path(&wanted)))
                        .with_help(format!("add `{}` in the site's default language (`{}`) first, or rename this file if it is not a translation", display_path(&wanted), config.languages[0].code)),
                );
                continue;
            };
            found
                .by_language
                .entry(index)
                .or_default()
                .entry(*folder)
                .or_default()
                .push(Translation {
                    original,
                    file: translation,
                });
        }
    }
    found
}

/// Whether a translation is left out of a build without `--drafts`: marked `draft: true`,
/// or dated after `today`, as a content page is. It then leaves its page in the default
/// language's words, with the notice that it is not translated yet, as if it had no
/// translation: the page stays in every language, and every link to it (the switcher, the
/// language's menu) finds it. A file that cannot be read or parsed is not held back here:
/// its kind says what is wrong with it.
fn held_back(root: &Path, file: &TranslationFile, today: jiff::civil::Date) -> bool {
    #[derive(serde::Deserialize)]
    struct Marked {
        #[serde(default)]
        draft: bool,
        date: Option<crate::schedule::parse::DateValue>,
    }
    let unread;
    let text = match file {
        TranslationFile::Read(file) => file.text.as_str(),
        TranslationFile::Unread(path) => match std::fs::read_to_string(root.join(path)) {
            Ok(text) => {
                unread = text;
                unread.as_str()
            }
            Err(_) => return false,
        },
    };
    let path = file.path();
    let yaml = if path.extension().is_some_and(|e| e == "md") {
        match crate::load::front_matter::split(path, text) {
            Ok(split) => split.yaml,
            Err(_) => return false,
        }
    } else {
        text
    };
    serde_yaml::from_str::<Marked>(yaml)
        .is_ok_and(|marked| marked.draft || marked.date.is_some_and(|date| date.0 > today))
}

/// Builds the site in each language after the default: the kinds build it from the
/// default language's files (`originals`), each replaced by its translation if it has
/// one, with the language's settings and words. Problems of the files every language
/// shares were reported by the default language's build; only the translations' are
/// reported here.
pub fn build(
    default: &Site,
    originals: &BTreeMap<&'static str, Files>,
    translations: &TranslationFiles,
    tables: &BTreeMap<String, Vec<SourceFile>>,
    options: &Options,
    venues_readable: bool,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Site> {
    let empty = BTreeMap::new();
    (1..default.config.languages.len())
        .filter_map(|index| {
            let own = translations.by_language.get(&index).unwrap_or(&empty);
            build_one(
                default,
                index,
                originals,
                own,
                tables,
                options,
                venues_readable,
                problems,
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn build_one(
    default: &Site,
    index: usize,
    originals: &BTreeMap<&'static str, Files>,
    own: &BTreeMap<&'static str, Vec<Translation>>,
    tables: &BTreeMap<String, Vec<SourceFile>>,
    options: &Options,
    venues_readable: bool,
    problems: &mut Vec<Diagnostic>,
) -> Option<Site> {
    let config = default.config.in_language(index);
    let translations = match Translations::load(&config.language, tables, config.clock) {
        Ok(t) => t,
        Err(d) => {
            problems.push(d);
            return None;
        }
    };
    let files_count = originals
        .values()
        .map(|f| f.read.len() + f.unread.len())
        .sum();
    let mut building = Building {
        site: Site {
            root: default.root.clone(),
            config,
            translations,
            pages: Vec::new(),
            sections: Vec::new(),
            scheduled: Vec::new(),
            groups: Vec::new(),
            meetings: Vec::new(),
            venues: default.venues.clone(),
            values: Vec::new(),
            organisations: Vec::new(),
            topics: Vec::new(),
            data: default.data.clone(),
            templates: Arc::clone(&default.templates),
            static_files: Arc::clone(&default.static_files),
            pictures: Arc::clone(&default.pictures),
            routes_by_source: std::collections::HashMap::with_capacity(files_count),
            now: default.now,
            other_languages: Vec::new(),
            language_index: index,
            untranslated: HashSet::new(),
        },
        options,
        venues_readable,
        problems: Vec::new(),
        taken: SlugRegistry::with_capacity(files_count),
        translating: Some(default.config.languages[index].code.clone()),
    };
    let mut translated: HashSet<PathBuf> = HashSet::new();
    let mut group_translations = Vec::new();
    // The day of the build where the site is: a translation dated later waits for it.
    let today = options
        .now
        .to_zoned(default.config.timezone.zone.clone())
        .date();
    for kind in KINDS {
        let folder = kind.folder().name;
        let mut files = originals.get(folder).cloned().unwrap_or_default();
        let theirs = own.get(folder).map(Vec::as_slice).unwrap_or_default();
        if folder == crate::kinds::groups::FOLDER {
            // A group's translation gives words only: the group is built from its file.
            group_translations.extend(theirs.iter().cloned());
        } else {
            for translation in theirs {
                if !options.drafts && held_back(&default.root, &translation.file, today) {
                    continue;
                }
                translated.insert(translation.file.path().to_path_buf());
                match &translation.file {
                    TranslationFile::Read(file) => {
                        if let Some(slot) = files
                            .read
                            .iter_mut()
                            .find(|f| f.path == translation.original)
                        {
                            *slot = file.clone();
                        }
                    }
                    TranslationFile::Unread(path) => {
                        if let Some(slot) = files
                            .unread
                            .iter_mut()
                            .find(|p| **p == translation.original)
                        {
                            *slot = path.clone();
                        }
                    }
                }
            }
        }
        kind.build(files, &mut building);
    }
    let mut site = building.site;
    for translation in &group_translations {
        let TranslationFile::Read(file) = &translation.file else {
            continue;
        };
        translated.insert(file.path.clone());
        crate::kinds::groups::translation::apply(
            &mut site,
            &translation.original,
            file,
            &mut building.problems,
        );
    }
    if !group_translations.is_empty() {
        crate::kinds::groups::translation::sort_by_name(&mut site);
    }
    // Problems of the files all languages share were reported once, by the default
    // language's build.
    problems.extend(
        building
            .problems
            .into_iter()
            .filter(|d| translated.contains(&d.file)),
    );
    let with_translation: HashSet<&Path> = own
        .values()
        .flatten()
        .filter(|t| translated.contains(t.file.path()))
        .map(|t| t.original.as_path())
        .collect();
    site.untranslated = originals
        .values()
        .flat_map(|f| {
            f.read
                .iter()
                .map(|s| s.path.as_path())
                .chain(f.unread.iter().map(PathBuf::as_path))
        })
        .filter(|p| !with_translation.contains(p))
        .map(display_path)
        .collect();
    // A link to `about.md` from a translation leads to the page in the same language.
    for (source, route) in &default.routes_by_source {
        site.routes_by_source
            .entry(source.clone())
            .or_insert_with(|| route.clone());
    }
    Some(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_is_named_by_its_language_before_the_extension() {
        let codes = vec![(1, "es".to_string()), (2, "cy".to_string())];
        let suffix = |p: &str| language_suffix(Path::new(p), &codes).map(|(i, _)| *i);
        assert_eq!(suffix("content/about.es.md"), Some(1));
        assert_eq!(suffix("directory/mind.cy.yaml"), Some(2));
        assert_eq!(suffix("content/about.md"), None);
        assert_eq!(suffix("content/v1.2.md"), None);
        assert_eq!(suffix("content/about.fr.md"), None);
        assert_eq!(
            without_suffix(Path::new("content/news/update.es.md")),
            "update"
        );
    }
}
