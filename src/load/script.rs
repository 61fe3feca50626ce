//! The default theme's scripts as they are published: without their comments and
//! indentation, which are for the people who read the theme and are a quarter of its
//! weight, so that every page stays within its JavaScript budget (15 KB) while the source
//! keeps its explanations. Only the embedded theme's own scripts are compacted; they are
//! written for it: each comment starts a line and nothing follows its end, and no string
//! spans lines. A site's scripts, and another theme's, are published exactly as written.

/// `script` without its comment lines, blank lines and the spaces that start a line.
pub fn compact(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let mut in_comment = false;
    for line in script.lines() {
        let code = line.trim_start();
        if in_comment || code.starts_with("/*") {
            in_comment = !code.contains("*/");
            continue;
        }
        if !code.is_empty() {
            out.push_str(code);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blank_lines_and_indentation_go_and_code_stays() {
        let script = "/* One\n   two. */\n(function () {\n\n  var a = \"/* not a comment */\"; /* kept */\n  /* gone */\n  return a;\n}());\n";
        assert_eq!(
            compact(script),
            "(function () {\nvar a = \"/* not a comment */\"; /* kept */\nreturn a;\n}());\n"
        );
    }

    /// What `compact` relies on holds for every script of the default theme: nothing
    /// follows the end of a comment that starts a line, and no string spans lines.
    #[test]
    fn the_default_themes_scripts_are_written_as_compact_expects() {
        for file in crate::load::embedded_files(&crate::load::DEFAULT_THEME) {
            if file.path().extension().is_none_or(|e| e != "js") {
                continue;
            }
            let text = std::str::from_utf8(file.contents()).unwrap();
            let mut in_comment = false;
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                let before_comment = code.split("/*").next().unwrap_or_default();
                assert!(
                    in_comment || code.starts_with("/*") || !before_comment.contains('`'),
                    "{:?} line {}: a template string, which may span lines",
                    file.path(),
                    n + 1
                );
                if in_comment || code.starts_with("/*") {
                    if let Some(end) = code.find("*/") {
                        assert!(
                            code[end + 2..].trim().is_empty(),
                            "{:?} line {}: code after a comment that starts the line",
                            file.path(),
                            n + 1
                        );
                    }
                    in_comment = !code.contains("*/");
                }
                assert!(
                    !line.trim_end().ends_with('\\'),
                    "{:?} line {}: a string that spans lines",
                    file.path(),
                    n + 1
                );
            }
            let compacted = compact(text);
            assert!(compacted.len() * 10 < text.len() * 9, "{:?}", file.path());
        }
    }
}
