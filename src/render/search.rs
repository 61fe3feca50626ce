//! The search index in `pagefind/`: every page a visitor may look for, as each content
//! kind describes it (`Kind::search_records`: groups, meetings, directory entries, values
//! statements, content pages), a record of the `pagefind` crate's index, with the script that searches it in the visitor's browser. The search
//! page itself is a page of the theme (`search.html`, with `assets/search.js`), not
//! this module's.
//!
//! The records are made from the model, not from the rendered pages, so the index is
//! made alongside the pages, not after them; its files, named by hashes of their
//! contents, are a [`Folder`] of the output, which no other file may be written in. A record holds what a visitor would search a page for
//! (its title, summary, text, topics, a meeting's day, time and place), and the kind
//! of page and a meeting's day and time as Pagefind's `meta`, shown with each result.
//! Each language of the site has its own records, from its own pages (under its
//! prefix, with its translations), indexed in that language: Pagefind searches only the
//! index of the search page's own language, so `/es/search/` finds the Spanish pages,
//! and a Spanish group on an English site is found by its Spanish words, unstemmed.
//!
//! The index is the same, byte for byte, from the same records. A hash of what the
//! records are made from is noted with each of its files ([`MadeFrom`]): a build whose
//! records hash the same keeps the previous build's files without making the index.
//! `check` makes no index: its sink keeps no files.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use super::feeds::{Context, Feed, Folder};
use super::reuse::{self, MadeFrom, Uses};
use super::Sink;
use crate::diagnostics::Diagnostic;
use crate::kinds::pages::Page;
use crate::kinds::KINDS;
use crate::model::{urls, Markdown, Site};

/// The files of `pagefind/`.
pub struct SearchIndex;

impl Feed for SearchIndex {
    fn folder<'a>(&self, cx: &Context<'a>) -> Option<Folder<'a>> {
        let index = cx.search?;
        Some(Folder {
            path: urls::SEARCH_INDEX,
            always: ENTRY,
            made_from: index.made_from.clone(),
            make: Box::new(|| {
                make(&index.records)
                    .map(|files| files.into_iter().collect())
                    .map_err(Box::new)
            }),
        })
    }
}

/// The files Pagefind makes that the site does not use: its ready-made interfaces (the
/// search page has a small one of its own), its highlighting script, and its worker
/// (the page asks for none, and searches on its own thread).
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "pagefind-worker.js",
];

/// The index of a site with search on: its records, and a hash of what they are made
/// from, noted with every file for the next build to compare with.
pub struct Index<'a> {
    records: Vec<(&'a Site, Record<'a>)>,
    made_from: MadeFrom,
}

impl<'a> Index<'a> {
    /// The site's index, `None` if the site turns search off or `sink` keeps no files
    /// (`check`, whose index would be thrown away). Only its records are made here;
    /// the index itself is made as the pages are, and only if the previous build's
    /// cannot be kept.
    pub fn new(site: &'a Site, sink: &dyn Sink) -> Option<Index<'a>> {
        if !site.config.search || !sink.keeps_files() {
            return None;
        }
        let records = records(site);
        let inputs = reuse::hash_u64s(
            &[reuse::fingerprint(site)]
                .into_iter()
                .chain(
                    records
                        .par_iter()
                        .map(|(site, record)| {
                            let language = reuse::hash_parts([site.config.language.as_bytes()]);
                            reuse::hash_u64s(&[language, record.hash()])
                        })
                        .collect::<Vec<_>>(),
                )
                .collect::<Vec<_>>(),
        );
        let made_from = MadeFrom {
            inputs,
            uses: Uses::default(),
            links_to_check: false,
        };
        Some(Index { records, made_from })
    }
}

/// From this many records on, the fragments of [`FRAGMENTS_PER_FILE`] records share a
/// file of the index (a fragment is what a result shows: its title, kind, a meeting's
/// day and time, and the text its excerpt comes from), instead of a file each: a big
/// site's index then has a fifth of the files, each set up and gzipped on its own by
/// Pagefind, and fewer bytes, for a few KB more loaded with the 30 results a visitor
/// sees. A smaller site keeps a file for each record, the least a visitor loads.
const BUNDLED_FROM: usize = 2_000;

/// How many records' fragments share a file from [`BUNDLED_FROM`] records on.
const FRAGMENTS_PER_FILE: usize = 5;

/// Pagefind's search for a language it has no stemmer for.
const WASM_UNKNOWN: &str = "wasm.unknown.pagefind";

/// Pagefind's file naming the index of each language: always made.
const ENTRY: &str = "pagefind-entry.json";

/// One page as the index holds it, as its kind describes it.
pub(crate) struct Record<'a> {
    pub route: String,
    pub title: &'a str,
    /// The kind of page, as a word of the translation tables (`search_kind_group`).
    pub kind: &'static str,
    /// For a meeting, when it meets (`Every Tuesday, 19:00–20:30`), shown with the
    /// result.
    pub when: Option<String>,
    /// Short texts searched with the page: its summary, topics, a meeting's place.
    pub words: Vec<&'a str>,
    /// The page's Markdown, if it has any, read as plain text.
    pub text: Option<Text<'a>>,
}

/// Where a record's Markdown is.
pub(crate) enum Text<'a> {
    Site(&'a Markdown),
    /// A content page's, which may have to be read again from its file.
    Page(&'a Page),
}

impl Record<'_> {
    /// A hash of everything the record is made from (a content page's text by its
    /// file's hash, so that its file is read only when the index is made).
    fn hash(&self) -> u64 {
        let text_hash = match &self.text {
            None => 0,
            Some(Text::Site(markdown)) => reuse::hash_parts([markdown.source.as_bytes()]),
            Some(Text::Page(page)) => {
                let at = &page.body_in_file;
                reuse::hash_parts([
                    page.body.file.as_os_str().as_encoded_bytes(),
                    &[at.hash, at.offset as u64].map(u64::to_le_bytes).concat(),
                ])
            }
        };
        let when = self.when.as_deref().unwrap_or("\u{0}");
        let fixed = [
            self.route.as_bytes(),
            self.title.as_bytes(),
            self.kind.as_bytes(),
            when.as_bytes(),
        ];
        let words = self.words.iter().map(|w| w.as_bytes());
        let parts: Vec<&[u8]> = fixed.into_iter().chain(words).collect();
        reuse::hash_u64s(&[reuse::hash_parts(parts), text_hash])
    }

    /// The text searched: the title, the short texts, then the page's own.
    fn content(&self, site: &Site) -> String {
        let mut content = String::from(self.title);
        for word in &self.words {
            end_sentence(&mut content);
            content.push_str(word);
        }
        let markdown = match &self.text {
            None => None,
            Some(Text::Site(markdown)) => Some(std::borrow::Cow::Borrowed(*markdown)),
            // A file that cannot be read again is reported by the page's rendering.
            Some(Text::Page(page)) => crate::model::page_body(&site.root, page).ok(),
        };
        if let Some(markdown) = markdown {
            end_sentence(&mut content);
            push_plain_text(&mut content, &markdown.source);
        }
        content.truncate(content.trim_end().len());
        content
    }
}

/// Ends the text so far with a stop, unless it has one, and a space: each part of a
/// page's text is read as a sentence of its own, in the excerpts shown with results.
fn end_sentence(text: &mut String) {
    if !text.ends_with(['.', '!', '?', ':']) {
        text.push('.');
    }
    text.push(' ');
}

/// Every page a visitor may search for, in each of the site's languages, in the order
/// of the site's kinds: each kind says which of its pages are searched, and for what
/// ([`Kind::search_records`]). Each with the site in its language.
fn records(site: &Site) -> Vec<(&Site, Record<'_>)> {
    site.in_every_language()
        .flat_map(|language| {
            KINDS
                .iter()
                .flat_map(move |kind| kind.search_records(language))
                .map(move |record| (language, record))
        })
        .collect()
}

/// Appends the words of `markdown`, without its marks: the text of its paragraphs,
/// headings, list items, links and code, each block ended by a stop so that words of
/// two blocks are not read as one sentence. Raw HTML is left out.
fn push_plain_text(out: &mut String, markdown: &str) {
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(Tag::Item) => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => end_sentence(out),
            _ => {}
        }
    }
}

/// Makes the index of `records`: each file's path in `pagefind/`, and its bytes.
#[allow(clippy::result_large_err)]
fn make(records: &[(&Site, Record)]) -> Result<BTreeMap<String, Vec<u8>>, Diagnostic> {
    // The text of every record, on every core; Pagefind then takes them one by one.
    let prepared: Vec<Prepared> = records
        .par_iter()
        .map(|(site, record)| Prepared {
            // Relative: the script adds the site's address, found from its own; a
            // language's pages are under its prefix.
            url: format!("{}{}", site.config.base_url.language, record.route),
            language: site.config.language.clone(),
            content: record.content(site),
            meta: BTreeMap::from_iter(
                [
                    ("title", Some(record.title.to_string())),
                    ("kind", Some(site.translations.get(record.kind))),
                    ("when", record.when.clone()),
                ]
                .into_iter()
                .filter_map(|(key, value)| Some((key.to_string(), value?))),
            ),
            kind: record.kind.trim_start_matches("search_kind_").to_string(),
        })
        .collect();
    let per_file = if prepared.len() >= BUNDLED_FROM {
        FRAGMENTS_PER_FILE
    } else {
        1
    };
    // Pagefind's interface is asynchronous; it runs here on a runtime of its own, on a
    // thread of its own should this one be a runtime's already (where another cannot
    // be started).
    let run = move || pagefind_files(prepared, per_file);
    let files = if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|scope| scope.spawn(run).join())
            .unwrap_or_else(|_| Err("it stopped unexpectedly".to_string()))
    } else {
        run()
    };
    files.map_err(|e| {
        Diagnostic::error(
            "the search index",
            format!("PeerPress could not make the search index: {e}"),
        )
        .with_help(
            "build again; to build the site without search, write `search: false` in `site.yaml`",
        )
    })
}

/// A record's values as Pagefind takes them.
struct Prepared {
    url: String,
    language: String,
    content: String,
    meta: BTreeMap<String, String>,
    kind: String,
}

/// Indexes `records` with Pagefind and returns the files the site uses, the fragments
/// of `per_file` records in each fragment file.
fn pagefind_files(
    records: Vec<Prepared>,
    per_file: usize,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let options = if per_file > 1 {
            let files = u32::try_from(records.len().div_ceil(per_file)).unwrap_or(u32::MAX);
            PagefindServiceConfig::builder()
                .max_fragments(files)
                .build()
        } else {
            PagefindServiceConfig::builder().build()
        };
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        for record in records {
            let filters = BTreeMap::from([("kind".to_string(), vec![record.kind])]);
            index
                .add_custom_record(
                    record.url,
                    record.content,
                    record.language,
                    Some(record.meta),
                    Some(filters),
                    None,
                )
                .await
                .map_err(|e| e.to_string())?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        let mut files: BTreeMap<String, Vec<u8>> = files
            .into_iter()
            .filter_map(|file| {
                let path = file.filename.to_str()?.replace('\\', "/");
                (!UNUSED.contains(&path.as_str())).then_some((path, file.contents))
            })
            .collect();
        // The search without stemming is for languages Pagefind has no stemmer for.
        if files
            .keys()
            .any(|p| p.starts_with("wasm.") && p != WASM_UNKNOWN)
        {
            files.remove(WASM_UNKNOWN);
        }
        Ok(files)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::Read;

    use super::{pagefind_files, push_plain_text, Prepared};

    /// A record of a page at `url` whose text is `content`.
    fn prepared(url: &str, content: &str) -> Prepared {
        Prepared {
            url: url.to_string(),
            language: "en".to_string(),
            content: content.to_string(),
            meta: BTreeMap::from([("title".to_string(), content.to_string())]),
            kind: "page".to_string(),
        }
    }

    /// The fragment files of an index, each as the JSON it holds.
    fn fragment_files(files: &BTreeMap<String, Vec<u8>>) -> Vec<serde_json::Value> {
        files
            .iter()
            .filter(|(path, _)| path.starts_with("fragment/"))
            .map(|(path, bytes)| {
                let mut text = String::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_string(&mut text)
                    .unwrap_or_else(|e| panic!("{path} is not gzipped text: {e}"));
                let json = text.strip_prefix("pagefind_dcd").unwrap_or(&text);
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{path}: {e}"))
            })
            .collect()
    }

    #[test]
    fn fragments_share_files_when_asked_and_have_one_each_otherwise() {
        let records = || {
            ["tea", "cake", "walks", "chess", "choir"]
                .iter()
                .map(|word| prepared(&format!("/{word}/"), &format!("We meet for {word}.")))
                .collect::<Vec<_>>()
        };
        let one_each = pagefind_files(records(), 1).unwrap();
        let singles = fragment_files(&one_each);
        assert_eq!(singles.len(), 5);
        assert!(singles.iter().all(|fragment| fragment["url"].is_string()));

        let shared = pagefind_files(records(), 2).unwrap();
        let groups = fragment_files(&shared);
        // Five records, two to a file: three files, holding every record by its hash.
        assert_eq!(groups.len(), 3);
        let mut urls: Vec<&str> = groups
            .iter()
            .flat_map(|group| group.as_object().unwrap().values())
            .map(|fragment| fragment["url"].as_str().unwrap())
            .collect();
        urls.sort_unstable();
        assert_eq!(urls, ["/cake/", "/chess/", "/choir/", "/tea/", "/walks/"]);
    }

    #[test]
    fn markdown_is_read_as_its_words() {
        let mut text = String::new();
        push_plain_text(
            &mut text,
            "## What to expect\n\nA *cup* of [tea](https://example.org) and `chat`\n\n- one\n- two\n\n<div>hidden</div>\n",
        );
        assert_eq!(text, "What to expect. A cup of tea and chat.  one.  two. ");
    }
}
