//! The template engine: the theme's templates with the site's overrides, compiled once
//! per build, and template errors reported at the template's own file and line.

// Errors here are diagnostics: made rarely, carried to the user, never on a hot path.
#![allow(clippy::result_large_err)]

use minijinja::{Environment, Value as JinjaValue};

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
    let base_path = site.config.base_url.path.clone();
    env.add_function("url", move |path: String| {
        format!("{base_path}{}", path.trim_start_matches('/'))
    });
    env.add_filter("slug", |text: String| crate::model::slug::slugify(&text));
    let mut problems = Vec::new();
    for (name, file) in &site.templates {
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
    let fail = |_| {
        minijinja::Error::new(
            minijinja::ErrorKind::WriteFailure,
            "could not write the page",
        )
    };
    // Write the runs between special characters as they are.
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[last..i]).map_err(fail)?;
        out.write_str(entity).map_err(fail)?;
        last = i + 1;
    }
    out.write_str(&text[last..]).map_err(fail)
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
}
