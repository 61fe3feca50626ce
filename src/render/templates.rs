//! The template engine: the theme's templates with the site's overrides, compiled once
//! per build, and template errors reported at the template's own file and line.

// Errors here are diagnostics: made rarely, carried to the user, never on a hot path.
#![allow(clippy::result_large_err)]

use std::cell::RefCell;
use std::sync::{Arc, Mutex, PoisonError};

use minijinja::value::Kwargs;
use minijinja::{Environment, Error, ErrorKind, State, Value as JinjaValue};

use super::reuse::{self, Uses};
use crate::diagnostics::{Diagnostic, Position};
use crate::model::Site;

/// Compiles every template. A syntax error in any of them is reported with its line.
pub fn environment(site: &Site) -> Result<Environment<'static>, Vec<Diagnostic>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".svg") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.set_formatter(html_formatter);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // A page's address in the pages' language, a file's the site's (see `BaseUrl::href`).
    let base_url = site.config.base_url.clone();
    env.add_function("url", move |path: String| {
        base_url.href(path.trim_start_matches('/'))
    });
    env.add_filter("slug", |text: String| crate::model::slug::slugify(&text));
    env.add_function("cached_include", cached_include());
    env.add_function("picture", picture(site));
    let mut problems = Vec::new();
    for (name, file) in site.templates.iter() {
        if let Err(e) = env.add_template_owned(name.clone(), file.text.clone()) {
            problems.push(template_error(site, &e));
        }
    }
    if problems.is_empty() {
        Ok(env)
    } else {
        Err(problems)
    }
}

/// The `picture(path, alt=…, sizes=…, title=…)` function: the picture of `static/` at
/// `path` (`photos/tea.jpg`, or `/photos/tea.jpg`) shown as Markdown shows it, with its
/// size and the widths it comes in, so a theme's pictures are as light as a page's.
/// `alt` is required (`alt=""` for a picture that only decorates); `sizes` says how
/// wide it is shown, when not across the text column (`sizes="10rem"`).
fn picture(
    site: &Site,
) -> impl Fn(&str, Kwargs) -> Result<JinjaValue, Error> + Send + Sync + 'static {
    let pictures = Arc::clone(&site.pictures);
    let base_url = site.config.base_url.clone();
    move |path: &str, kwargs: Kwargs| {
        let alt: Option<String> = kwargs.get("alt")?;
        let sizes: Option<String> = kwargs.get("sizes")?;
        let title: Option<String> = kwargs.get("title")?;
        kwargs.assert_all_used()?;
        let path = path.trim().trim_start_matches('/');
        let Some(picture) = pictures.get(path) else {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "`picture(\"{path}\")`: there is no picture `static/{path}` (a JPEG, PNG, \
                     WebP or GIF); name it from the `static/` folder, like \
                     `picture(\"photos/garden.jpg\", alt=\"…\")`"
                ),
            ));
        };
        let Some(alt) = alt else {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "`picture(\"{path}\")` needs a description: add `alt=\"…\"` saying what \
                     it shows (or `alt=\"\"` if it only decorates the page)"
                ),
            ));
        };
        let href = |path: &str| base_url.file_href(path);
        let shown = crate::images::Shown {
            alt: &alt,
            title: title.as_deref(),
            href: &href,
            sizes: sizes.as_deref(),
        };
        Ok(JinjaValue::from_safe_string(
            pictures.markup(picture, &shown),
        ))
    }
}

/// The `cached_include(name, …)` function: the template `name` rendered once per build,
/// with the globals alone (no `page`), and that HTML on every page that asks for it.
/// It is for the parts of the frame that are the same on every page: the crisis box,
/// the footer, the header, each of which costs a page about as much to render as its
/// own content does. Keyword arguments (`current=page.menu_route`) are variables of the
/// template, and it is made once for each different set of them.
///
/// Each page notes what the template used of the globals as if it had rendered it, so
/// a page is made again when, say, a crisis line changes.
fn cached_include(
) -> impl Fn(&State, &str, Kwargs) -> Result<JinjaValue, Error> + Send + Sync + 'static {
    /// A template made with one set of variables, and what it used of the globals.
    struct Variant {
        name: String,
        variables: Vec<(String, JinjaValue)>,
        made: Arc<(JinjaValue, Uses)>,
    }
    // By a hash of the name and variables: every page asks, and a key of owned strings
    // would be made for each asking.
    let made: Mutex<foldhash::HashMap<u64, Vec<Variant>>> = Mutex::default();
    thread_local! {
        /// The cached includes being rendered on this thread, outermost first.
        static MAKING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }
    move |state: &State, name: &str, kwargs: Kwargs| {
        let mut variables: Vec<(&str, JinjaValue)> = Vec::new();
        for key in kwargs.args() {
            variables.push((key, kwargs.get::<JinjaValue>(key)?));
        }
        variables.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let key = {
            use std::hash::BuildHasher as _;
            foldhash::fast::FixedState::default().hash_one((name, &variables))
        };
        let is_this = |v: &Variant| {
            v.name == name
                && v.variables.len() == variables.len()
                && v.variables
                    .iter()
                    .zip(&variables)
                    .all(|((k, x), (l, y))| k == l && x == y)
        };
        let find = |made: &foldhash::HashMap<u64, Vec<Variant>>| {
            made.get(&key)
                .and_then(|list| list.iter().find(|v| is_this(v)))
                .map(|v| v.made.clone())
        };
        let found = find(&made.lock().unwrap_or_else(PoisonError::into_inner));
        let done = match found {
            Some(done) => done,
            None => {
                if MAKING.with_borrow(|making| making.iter().any(|n| n == name)) {
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        format!("`{name}` includes itself through `cached_include`"),
                    ));
                }
                let template = state.env().get_template(name)?;
                let given = |key: &str| variables.iter().any(|(k, _)| *k == key);
                if template.undeclared_variables(false).contains("page") && !given("page") {
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        format!(
                            "`{name}` uses `page`, but `cached_include` makes it once for \
                             the whole site, without a page; include it with \
                             `{{% include \"{name}\" %}}` instead, or give it by name the \
                             little it needs of the page, as `base.html` gives the header \
                             `current=page.menu_route`"
                        ),
                    ));
                }
                let context = JinjaValue::from_iter(variables.iter().cloned());
                MAKING.with_borrow_mut(|making| making.push(name.to_string()));
                let (html, uses) = reuse::uses_apart(|| template.render(context));
                MAKING.with_borrow_mut(Vec::pop);
                let done = Arc::new((JinjaValue::from_safe_string(html?), uses));
                let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
                // Made meanwhile by another thread: theirs is kept, so every page
                // has the same.
                match find(&made) {
                    Some(theirs) => theirs,
                    None => {
                        made.entry(key).or_default().push(Variant {
                            name: name.to_string(),
                            variables: variables
                                .into_iter()
                                .map(|(k, v)| (k.to_string(), v))
                                .collect(),
                            made: done.clone(),
                        });
                        done
                    }
                }
            }
        };
        reuse::note_uses(&done.1);
        Ok(done.0.clone())
    }
}

/// Escapes text for HTML like minijinja's default, except that `/` is left alone: it
/// needs no escaping in text or quoted attributes, and `&#x2f;` in every link bloats
/// pages and confuses people reading the source.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &JinjaValue,
) -> Result<(), minijinja::Error> {
    if state.auto_escape() == minijinja::AutoEscape::None
        || value.is_safe()
        || value.is_none()
        || value.is_undefined()
    {
        return minijinja::escape_formatter(out, state, value);
    }
    let owned;
    let text = match value.as_str() {
        Some(s) => s,
        None => {
            owned = value.to_string();
            &owned
        }
    };
    write_escaped(out, text, "&#39;").map_err(|_| {
        minijinja::Error::new(
            minijinja::ErrorKind::WriteFailure,
            "could not write the page",
        )
    })
}

/// Writes `text` to `out` with `& < > " '` as entities, `'` as `apostrophe` (`&#39;` in
/// pages, `&apos;` in the sitemap), and the runs between them as they are.
pub(super) fn write_escaped<W: std::fmt::Write + ?Sized>(
    out: &mut W,
    text: &str,
    apostrophe: &str,
) -> std::fmt::Result {
    let bytes = text.as_bytes();
    let mut last = 0;
    while let Some(at) = next_special(bytes, last) {
        let entity = match bytes[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => apostrophe,
        };
        out.write_str(&text[last..at])?;
        out.write_str(entity)?;
        last = at + 1;
    }
    out.write_str(&text[last..])
}

/// Where the next of `&<>"'` is in `bytes`, from `from` on. Every value a page shows
/// passes here, nearly all with none of them: eight bytes are looked at a time.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    let repeat = |b: u8| u64::from_ne_bytes([b; 8]);
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let v = u64::from_ne_bytes(chunk.try_into().unwrap_or_default());
        // `&` 0x26 and `'` 0x27 differ in one bit, as do `<` 0x3c and `>` 0x3e.
        let special = has_zero_byte((v & repeat(0xfe)) ^ repeat(b'&'))
            || has_zero_byte((v & repeat(0xfd)) ^ repeat(b'<'))
            || has_zero_byte(v ^ repeat(b'"'));
        if special {
            break;
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
        .map(|at| i + at)
}

/// Renders one template with `ctx`.
pub fn render(
    env: &Environment<'static>,
    site: &Site,
    name: &str,
    ctx: JinjaValue,
) -> Result<String, Diagnostic> {
    let template = env.get_template(name).map_err(|e| {
        Diagnostic::error(format!("templates/{name}"), format!("there is no template `{name}`"))
            .with_help(if e.kind() == minijinja::ErrorKind::TemplateNotFound {
                "check the `template:` of the page, or add the template to the site's `templates/` folder".to_string()
            } else {
                e.to_string()
            })
    })?;
    template.render(ctx).map_err(|e| template_error(site, &e))
}

fn template_error(site: &Site, error: &minijinja::Error) -> Diagnostic {
    let name = error.name().unwrap_or("?");
    let (path, text) = match site.templates.get(name) {
        Some(file) => (file.path.clone(), Some(file.text.as_str())),
        None => (format!("templates/{name}").into(), None),
    };
    let message = error.detail().map_or_else(
        || error.kind().to_string(),
        |d| format!("{}: {d}", error.kind()),
    );
    let mut d = Diagnostic::error(path, format!("template error: {message}"))
        .with_help("if you changed this template, compare it with the theme's original; the theme's templates are in `themes/default/templates/`");
    if let (Some(line), Some(text)) = (error.line(), text) {
        d = d.at(
            text,
            Position {
                line,
                column: 1,
                len: 1,
            },
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut env = Environment::new();
        env.set_formatter(html_formatter);
        env.add_template("t.html", "{{ v }}").unwrap();
        let template = env.get_template("t.html").unwrap();
        template.render(minijinja::context! { v => text }).unwrap()
    }

    #[test]
    fn escapes_what_html_needs_and_leaves_the_rest() {
        assert_eq!(escaped(""), "");
        assert_eq!(escaped("Peer support / café"), "Peer support / café");
        assert_eq!(
            escaped(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        // At either end, side by side, and after a long plain run.
        assert_eq!(escaped("&&"), "&amp;&amp;");
        assert_eq!(escaped("'\"<>"), "&#39;&quot;&lt;&gt;");
        let long = "a".repeat(100);
        assert_eq!(escaped(&format!("{long}>é<")), format!("{long}&gt;é&lt;"));
        // A quote after markup, and markup after a quote.
        assert_eq!(escaped("x<y\"z"), "x&lt;y&quot;z");
        assert_eq!(escaped("x\"y<z"), "x&quot;y&lt;z");
    }

    #[test]
    fn every_special_character_is_found_wherever_it_is() {
        let naive = |text: &str| {
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c => out.push(c),
                }
            }
            out
        };
        // Each special character, and each of its neighbours in ASCII and beyond, at
        // every place in and across the eight-byte steps.
        for c in [
            '&', '\'', '<', '>', '"', '%', '(', ';', '=', '?', '!', '#', 'é', '\u{7f}',
        ] {
            for at in 0..20 {
                let text = format!("{}{c}{}", "a".repeat(at), "b".repeat(19 - at));
                assert_eq!(escaped(&text), naive(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn safe_values_and_numbers_are_written_as_they_are() {
        let mut env = Environment::new();
        env.set_formatter(html_formatter);
        env.add_template("t.html", "{{ v | safe }} {{ n }}")
            .unwrap();
        let template = env.get_template("t.html").unwrap();
        let out = template
            .render(minijinja::context! { v => "<b>&</b>", n => 3 })
            .unwrap();
        assert_eq!(out, "<b>&</b> 3");
    }

    /// An environment with `cached_include`, the global `site` (noted as bit 1 when
    /// used), and `made()`, which counts how often a template calls it.
    fn with_cached_include(
        templates: &[(&'static str, &'static str)],
    ) -> (Environment<'static>, Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_formatter(html_formatter);
        env.add_function("cached_include", cached_include());
        let count = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&count);
        env.add_function("made", move || {
            counter.fetch_add(1, Ordering::Relaxed);
            String::new()
        });
        let globals = reuse::Globals::new(
            vec![(
                "site",
                minijinja::context! { name => "Peers & Friends" },
                Some(1),
            )],
            Vec::new(),
            Vec::new(),
        );
        for (name, value) in &globals.values {
            env.add_global(*name, value.clone());
        }
        for (name, source) in templates {
            env.add_template(name, source).unwrap();
        }
        (env, count)
    }

    #[test]
    fn a_cached_include_is_made_once_and_noted_by_every_page() {
        let (env, made) = with_cached_include(&[
            ("footer.html", "{{ made() }}<p>{{ site.name }}</p>"),
            (
                "page.html",
                "<h1>{{ page }}</h1>{{ cached_include('footer.html') }}",
            ),
            ("plain.html", "<h1>{{ page }}</h1>"),
        ]);
        for page in ["One", "Two", "Three"] {
            let (html, uses) = reuse::noting_uses(|| {
                env.get_template("page.html")
                    .unwrap()
                    .render(minijinja::context! { page })
                    .unwrap()
            });
            // The same text as the template itself makes, not escaped a second time.
            assert_eq!(html, format!("<h1>{page}</h1><p>Peers &amp; Friends</p>"));
            assert_eq!(uses.whole, 1, "page {page} used `site` through the footer");
        }
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
        // A page that does not include it notes nothing.
        let (_, uses) = reuse::noting_uses(|| {
            env.get_template("plain.html")
                .unwrap()
                .render(minijinja::context! { page => "Four" })
                .unwrap()
        });
        assert_eq!(uses.whole, 0);
    }

    #[test]
    fn a_cached_include_is_made_once_for_each_set_of_variables() {
        let (env, made) = with_cached_include(&[
            (
                "menu.html",
                "{{ made() }}<a{% if current == 'a' %} aria-current=page{% endif %}>{{ site.name }}</a>",
            ),
            ("page.html", "{{ cached_include('menu.html', current=route) }}"),
        ]);
        let render = |route: Option<&str>| {
            env.get_template("page.html")
                .unwrap()
                .render(minijinja::context! { route })
                .unwrap()
        };
        for _ in 0..3 {
            assert_eq!(
                render(Some("a")),
                "<a aria-current=page>Peers &amp; Friends</a>"
            );
            assert_eq!(render(Some("b")), "<a>Peers &amp; Friends</a>");
            assert_eq!(render(None), "<a>Peers &amp; Friends</a>");
        }
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 3);
    }

    #[test]
    fn a_cached_include_that_needs_the_page_is_refused_with_the_fix() {
        let (env, _) = with_cached_include(&[
            ("title.html", "<p>{{ page.title }}</p>"),
            ("self.html", "<p>{{ cached_include('self.html') }}</p>"),
            ("page.html", "{{ cached_include(name) }}"),
        ]);
        let render = |name: &str| {
            env.get_template("page.html")
                .unwrap()
                .render(minijinja::context! { name, page => minijinja::context! { title => "A" } })
                .unwrap_err()
                .to_string()
        };
        let error = render("title.html");
        assert!(
            error.contains("`title.html` uses `page`")
                && error.contains(r#"{% include "title.html" %}"#),
            "{error}"
        );
        let error = render("self.html");
        assert!(error.contains("`self.html` includes itself"), "{error}");
        let error = render("missing.html");
        assert!(error.contains("missing.html"), "{error}");
    }
}
