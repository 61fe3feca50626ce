//! What links a page to itself in the site's other languages: the language switcher's
//! and `hreflang` links, and the notice on a page shown in the default language for
//! want of a translation. A site in one language has none of them, so its pages are
//! as they were.

use std::collections::HashSet;

use serde::Serialize;

use super::Job;
use crate::model::Site;

/// A page in one of the site's languages, for the language switcher and the
/// `hreflang` links.
#[derive(Serialize)]
pub(super) struct TranslationLink {
    /// The language's code, for `lang` and `hreflang`.
    code: String,
    /// The language's name in itself (`Español`).
    name: String,
    href: String,
    url: String,
    /// Whether this is the page being shown.
    current: bool,
    /// Whether this is the site's default language, for `hreflang="x-default"`.
    default: bool,
}

/// A page shown in the default language for want of a translation.
#[derive(Serialize)]
pub(super) struct Fallback {
    /// The language its text is in.
    lang: String,
    /// What it tells the visitor, in their language.
    notice: String,
}

/// The page of `job`, in the site's language `language`, in each language it is in,
/// on a site in several; and whether its text is the default language's, untranslated.
pub(super) fn translations(
    languages: &[&Site],
    language: usize,
    routes_in: &[HashSet<String>],
    job: &Job,
) -> (Vec<TranslationLink>, Option<Fallback>) {
    if languages.len() < 2 {
        return (Vec::new(), None);
    }
    let site = languages[language];
    let links = if job.in_sitemap {
        languages
            .iter()
            .enumerate()
            .filter(|(j, _)| routes_in[*j].contains(job.route.as_str()))
            .map(|(j, other)| TranslationLink {
                code: other.config.language.clone(),
                name: language_name(other),
                href: other.config.base_url.href(&job.route),
                url: other.config.base_url.absolute(&job.route),
                current: j == language,
                default: j == 0,
            })
            .collect()
    } else {
        Vec::new()
    };
    let fallback = site.untranslated.contains(&job.source).then(|| {
        let default = &languages[0].config.language;
        let t = &site.translations;
        let name = |code: &str| t.get(&format!("language_{code}"));
        Fallback {
            lang: default.clone(),
            notice: t
                .get("translation_missing")
                .replace("{language}", &name(&site.config.language))
                .replace("{original}", &name(default)),
        }
    });
    (links, fallback)
}

/// A language's name as its switcher link shows it: `site.yaml`'s `name:`, or its own
/// table's word for it, capitalised (`Español`).
pub(super) fn language_name(site: &Site) -> String {
    let code = &site.config.language;
    let own = site
        .config
        .languages
        .iter()
        .find(|l| &l.code == code)
        .and_then(|l| l.name.clone());
    own.unwrap_or_else(|| {
        let word = site.translations.get(&format!("language_{code}"));
        let mut chars = word.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    })
}
