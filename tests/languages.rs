//! A site in two languages: each page at its address under the language's prefix, in
//! its language, linked to its translations (the switcher and `hreflang`), the default
//! language's text with a notice where a page has no translation yet, a group's words
//! translated while its meetings stay one, the sitemap's alternates read back with an
//! XML parser, and an Atom feed per section and language.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{stderr, Fixture};

const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// The common fixture in English and Spanish: the home page, `about` and the group
/// translated, the value `hope` not; a news section in both, with one post translated.
fn two_languages() -> Fixture {
    let site = Fixture::new();
    site.write(
        "site.yaml",
        &common::SITE.replace(
            "language: en\n",
            "languages:\n  - en\n  - code: es\n    menu:\n      - { label: Grupos, url: /groups/ }\n      - { label: Quiénes somos, url: /about/ }\n    crisis:\n      - { name: Samaritans, phone: \"116 123\", hours: Las 24 horas }\n",
        ),
    );
    site.write(
        "content/index.es.md",
        "---\ntitle: Bienvenida\n---\nHola, lee [quiénes somos](about.md#who).\n",
    );
    site.write(
        "content/about.es.md",
        "---\ntitle: Quiénes somos\n---\n## Who\n\nSomos iguales.\n",
    );
    site.write(
        "groups/voices.es.md",
        "---\nname: Grupo de escuchadores de voces\nsummary: Un espacio amable.\nmeetings:\n  tuesday: { notes: Entrada por la puerta lateral. }\n---\n## Qué esperar\n\nUn té y una charla.\n",
    );
    site.write(
        "content/news/index.md",
        "---\ntitle: News\n---\nOur news.\n",
    );
    site.write(
        "content/news/index.es.md",
        "---\ntitle: Noticias\n---\nNuestras noticias.\n",
    );
    site.write(
        "content/news/picnic.md",
        "---\ntitle: Summer picnic\ndate: 2026-07-01\n---\nCome along.\n",
    );
    site.write(
        "content/news/picnic.es.md",
        "---\ntitle: Pícnic de verano\ndate: 2026-07-01\n---\nVen con nosotros.\n",
    );
    site.write(
        "content/news/training.md",
        "---\ntitle: Volunteer training\ndate: 2026-09-01\n---\nLearn to facilitate.\n",
    );
    site
}

/// The `href` of every `<link rel="alternate" hreflang="…">` of a page, by language.
fn hreflang(html: &str) -> BTreeMap<String, String> {
    html.lines()
        .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
        .map(|l| {
            let value = |name: &str| {
                let at = l.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
                l[at..at + l[at..].find('"').expect("closing quote")].to_string()
            };
            (value("hreflang"), value("href"))
        })
        .collect()
}

#[test]
fn each_language_has_its_pages_under_its_prefix_in_its_language() {
    let site = two_languages();
    site.build(&[]).success();
    let about = site.page("about/index.html");
    assert!(about.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(about.contains("We are peers."));
    let sobre = site.page("es/about/index.html");
    assert!(sobre.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
    assert!(sobre.contains("<title>Quiénes somos – Riverside Peers</title>"));
    assert!(sobre.contains("Somos iguales."));
    // Its own menu and crisis lines, and the theme's words in Spanish.
    assert!(sobre.contains("<a href=\"/es/about/\" aria-current=\"page\">Quiénes somos</a>"));
    assert!(sobre.contains("Las 24 horas"));
    assert!(!sobre.contains("24 hours"));
    // A link from a translation to another page goes to that page in its language.
    let inicio = site.page("es/index.html");
    assert!(inicio.contains("href=\"/es/about/#who\""), "{inicio}");
    // The lists and item pages exist in Spanish too, with their words.
    let grupos = site.page("es/groups/index.html");
    assert!(grupos.contains("<html lang=\"es\">"));
    assert!(grupos.contains("Grupo de escuchadores de voces"));
    // Files are the site's, one for every language.
    assert!(sobre.contains("href=\"/assets/style.css\""));
    assert!(sobre.contains("href=\"/meetings.json\""));
    assert!(!site.public().join("es/meetings.json").exists());
    assert!(!site.public().join("es/calendar.ics").exists());
    assert!(!site.public().join("es/404.html").exists());
    assert!(!site.public().join("es/assets").exists());
}

#[test]
fn every_page_links_its_translations_with_hreflang_and_a_switcher() {
    let site = two_languages();
    site.build(&[]).success();
    let expected = BTreeMap::from([
        (
            "en".to_string(),
            "https://peers.example.org/about/".to_string(),
        ),
        (
            "es".to_string(),
            "https://peers.example.org/es/about/".to_string(),
        ),
        (
            "x-default".to_string(),
            "https://peers.example.org/about/".to_string(),
        ),
    ]);
    assert_eq!(hreflang(&site.page("about/index.html")), expected);
    let sobre = site.page("es/about/index.html");
    assert_eq!(hreflang(&sobre), expected);
    assert!(sobre.contains("<nav class=\"languages wrap\" aria-label=\"Idiomas\">"));
    assert!(sobre.contains("<a href=\"/about/\" lang=\"en\" hreflang=\"en\">English</a>"));
    assert!(sobre.contains(
        "<a href=\"/es/about/\" lang=\"es\" hreflang=\"es\" aria-current=\"page\">Español</a>"
    ));
    // Every page has them, the generated ones and items' too.
    let meeting = site.page("es/meetings/voices-tuesday/index.html");
    assert_eq!(
        hreflang(&meeting).get("en").map(String::as_str),
        Some("https://peers.example.org/meetings/voices-tuesday/")
    );
}

#[test]
fn a_page_without_a_translation_is_shown_in_the_default_language_and_says_so() {
    let site = two_languages();
    site.build(&[]).success();
    let hope = site.page("es/values/hope/index.html");
    assert!(hope.contains("<html lang=\"es\">"));
    assert!(hope.contains(
        "<p class=\"notice translation-missing\">Esta página aún no está disponible en español, por eso se muestra en inglés.</p>"
    ));
    // Its text is marked as English; the theme's words around it are Spanish, and are
    // not (a screen reader reads each in its own language).
    let (_, english) = hope
        .split_once("<article class=\"prose\" lang=\"en\">")
        .expect("the value's text is marked as English");
    let (english, after) = english.split_once("</article>").expect("the article ends");
    assert!(english.contains("We believe in hope."));
    assert!(after.contains("Nuestros valores"), "{after}");
    assert!(!hope.contains("<div lang=\"en\">"));
    // It is still a page in Spanish, linked to its original.
    assert_eq!(hreflang(&hope).len(), 3);
    // A translated page, and the default language's pages, have no notice.
    for page in [
        "es/about/index.html",
        "values/hope/index.html",
        "es/groups/voices/index.html",
    ] {
        assert!(!site.page(page).contains("translation-missing"), "{page}");
    }
}

/// The two languages, with `about`'s Spanish translation marked by `mark` (a line of
/// its front matter).
fn about_translation_marked(mark: &str) -> Fixture {
    let site = two_languages();
    site.write(
        "content/about.es.md",
        &format!("---\ntitle: Quiénes somos\n{mark}\n---\n## Who\n\nSomos iguales.\n"),
    );
    site
}

/// Whether `/es/about/` shows its translation; if not, it must show the English page
/// with the notice that it is not translated yet.
fn about_in_spanish(site: &Fixture) -> bool {
    let about = site.page("es/about/index.html");
    let spanish = about.contains("Somos iguales.");
    assert_eq!(spanish, !about.contains("translation-missing"), "{about}");
    spanish
}

#[test]
fn a_draft_translation_leaves_its_page_in_the_default_language_until_it_is_ready() {
    let site = about_translation_marked("draft: true");
    // The Spanish menu links to `/about/`: the page is there, in English, with the notice.
    site.build(&[]).success();
    assert!(!about_in_spanish(&site));
    site.build(&["--drafts"]).success();
    assert!(about_in_spanish(&site));
}

#[test]
fn a_translation_dated_later_leaves_its_page_in_the_default_language_until_its_day() {
    let site = about_translation_marked("date: 2027-06-01");
    site.build(&[]).success();
    assert!(!about_in_spanish(&site));
    // On its day, it is published.
    common::peerpress()
        .env("SOURCE_DATE_EPOCH", "1812240000") // 2027-06-05
        .arg("build")
        .arg(site.path())
        .assert()
        .success();
    assert!(about_in_spanish(&site));
}

#[test]
fn a_groups_translation_gives_its_words_and_keeps_its_meetings() {
    let site = two_languages();
    site.build(&[]).success();
    let grupo = site.page("es/groups/voices/index.html");
    assert!(grupo.contains("Grupo de escuchadores de voces"));
    assert!(grupo.contains("Un té y una charla."));
    assert!(!grupo.contains("A cup of tea"));
    let group = site.page("groups/voices/index.html");
    // The same meetings, at the same times, in each language.
    for html in [&grupo, &group] {
        assert!(html.contains("19:00"), "{html}");
        assert!(html.contains("/meetings/voices-tuesday/"));
    }
    let reunion = site.page("es/meetings/voices-tuesday/index.html");
    assert!(reunion.contains("Entrada por la puerta lateral."));
    assert!(!site
        .page("meetings/voices-tuesday/index.html")
        .contains("puerta lateral"));
    // One feed of meetings for the site, in its default language.
    let feed = site.page("meetings.json");
    assert!(feed.contains("Hearing Voices Group") && !feed.contains("escuchadores"));
}

#[test]
fn each_languages_group_list_is_in_the_order_of_its_own_names() {
    let site = two_languages();
    let art = common::GROUP
        .replace("Hearing Voices Group", "Art Group")
        .replace("[hearing voices, psychosis]", "[hearing voices, art]")
        .replace("voices@", "art@")
        .replace(
            "  - id: tuesday\n    day: tuesday",
            "  - id: monday\n    day: monday",
        )
        .replace("    cancelled: [2026-12-01]\n", "")
        .replace("/voices", "/art");
    site.write("groups/art.md", &art);
    site.write(
        "groups/art.es.md",
        "---\nname: Taller de arte\nsummary: Pintamos juntos.\n---\n",
    );
    site.build(&[]).success();
    // English: Art Group, then Hearing Voices Group; Spanish: Grupo de escuchadores de
    // voces, then Taller de arte.
    let order = |html: &str, first: &str, second: &str| {
        let (a, b) = (html.find(first), html.find(second));
        assert!(
            a.is_some() && b.is_some() && a < b,
            "{first} before {second}:\n{html}"
        );
    };
    order(
        &site.page("groups/index.html"),
        "Art Group",
        "Hearing Voices Group",
    );
    let grupos = site.page("es/groups/index.html");
    order(&grupos, "Grupo de escuchadores de voces", "Taller de arte");
    // A topic both groups have lists them in the same order, and each meeting is still
    // its own group's.
    order(
        &site.page("es/topics/hearing-voices/index.html"),
        "Grupo de escuchadores de voces",
        "Taller de arte",
    );
    assert!(site
        .page("es/meetings/art-monday/index.html")
        .contains("Taller de arte"));
    assert!(site
        .page("es/meetings/voices-tuesday/index.html")
        .contains("Grupo de escuchadores de voces"));
}

#[test]
fn the_sitemap_lists_every_page_in_each_language_with_its_alternates() {
    let site = two_languages();
    site.build(&[]).success();
    let xml = site.page("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let mut locs = BTreeSet::new();
    for url in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
    {
        let loc = url
            .children()
            .find(|n| n.has_tag_name((SITEMAP, "loc")))
            .and_then(|n| n.text())
            .expect("<loc>");
        let alternates: BTreeMap<&str, &str> = url
            .children()
            .filter(|n| n.has_tag_name((XHTML, "link")))
            .map(|n| {
                assert_eq!(n.attribute("rel"), Some("alternate"));
                (
                    n.attribute("hreflang").expect("hreflang"),
                    n.attribute("href").expect("href"),
                )
            })
            .collect();
        // Each page lists itself among its alternates, and the default as x-default.
        let path = loc
            .strip_prefix("https://peers.example.org/")
            .expect("the site's address");
        let route = path.strip_prefix("es/").unwrap_or(path);
        let english = format!("https://peers.example.org/{route}");
        let spanish = format!("https://peers.example.org/es/{route}");
        assert_eq!(
            alternates,
            BTreeMap::from([
                ("en", english.as_str()),
                ("es", spanish.as_str()),
                ("x-default", english.as_str()),
            ]),
            "{loc}"
        );
        locs.insert(loc.to_string());
    }
    for page in [
        "",
        "about/",
        "values/hope/",
        "groups/voices/",
        "news/picnic/",
    ] {
        assert!(
            locs.contains(&format!("https://peers.example.org/{page}")),
            "{page}"
        );
        assert!(
            locs.contains(&format!("https://peers.example.org/es/{page}")),
            "es/{page}"
        );
    }
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
}

#[test]
fn each_section_has_an_atom_feed_in_each_language() {
    let site = two_languages();
    site.build(&[]).success();
    let english = site.page("news/atom.xml");
    let spanish = site.page("es/news/atom.xml");
    let doc = roxmltree::Document::parse(&spanish).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(
        feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("es")
    );
    assert!(spanish.contains("<title>Noticias – Riverside Peers</title>"));
    assert!(spanish.contains("href=\"https://peers.example.org/es/news/atom.xml\""));
    assert!(spanish.contains("Pícnic de verano"));
    // An untranslated post is in the Spanish feed too, in English.
    assert!(spanish.contains("Volunteer training"));
    assert!(english.contains("Summer picnic") && !english.contains("Pícnic"));
    // Each language's pages advertise their own feed.
    assert!(site
        .page("es/news/index.html")
        .contains("href=\"/es/news/atom.xml\""));
}

#[test]
fn a_site_in_one_language_has_no_switcher_and_no_alternates() {
    let site = Fixture::new();
    site.build(&[]).success();
    let about = site.page("about/index.html");
    assert!(!about.contains("hreflang"));
    assert!(!about.contains("class=\"languages"));
    assert!(!site.page("sitemap.xml").contains("xhtml"));
    assert!(!site.public().join("es").exists());
}

#[test]
fn a_translation_of_a_page_that_does_not_exist_is_an_error() {
    let site = two_languages();
    site.write(
        "content/contact.es.md",
        "---\ntitle: Contacto\n---\nEscríbenos.\n",
    );
    let out = site.build(&[]).failure();
    let err = stderr(&out);
    assert!(
        err.contains("content/contact.es.md")
            && err.contains(
                "this is the `es` translation of `content/contact.md`, which does not exist"
            ),
        "{err}"
    );
    assert!(err.contains("add `content/contact.md`"), "{err}");
}

#[test]
fn a_translation_of_a_page_that_cannot_be_read_waits_for_it_without_a_second_error() {
    let site = two_languages();
    std::fs::write(
        site.path().join("content/about.md"),
        b"---\ntitle: About\n---\nWe are peers \xff.\n",
    )
    .unwrap();
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("content/about.md:4:") && err.contains("this file is not UTF-8 text"),
        "{err}"
    );
    assert!(!err.contains("which does not exist"), "{err}");
    assert!(err.contains("the site was not built: 1 error;"), "{err}");
}

#[test]
fn a_language_without_a_translation_table_is_an_error_with_a_suggestion() {
    let site = Fixture::new();
    site.write(
        "site.yaml",
        &common::SITE.replace("language: en\n", "languages: [en, spanish]\n"),
    );
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("there is no translation for the language `spanish`"),
        "{err}"
    );
    assert!(err.contains("`es`"), "{err}");
}

#[test]
fn the_default_language_may_have_a_prefix_too() {
    let site = two_languages();
    site.write(
        "site.yaml",
        &common::SITE.replace(
            "language: en\n",
            "languages:\n  - { code: en, prefix: en }\n  - es\n",
        ),
    );
    site.build(&[]).success();
    assert!(site.page("en/about/index.html").contains("We are peers."));
    assert!(site.page("es/about/index.html").contains("Somos iguales."));
    assert!(site.page("en/index.html").contains("href=\"/en/groups/\""));
    // The site's address sends visitors to the default language, and links to each.
    let root = site.page("index.html");
    assert!(root.contains("<meta http-equiv=\"refresh\" content=\"0; url=/en/\">"));
    assert!(root.contains("<a href=\"/es/\" lang=\"es\" hreflang=\"es\">Español</a>"));
    // The 404 page is at the root, where hosts look for it.
    assert!(site.public().join("404.html").exists());
    assert!(!site.public().join("en/404.html").exists());
}
