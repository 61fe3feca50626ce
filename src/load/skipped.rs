//! Files in a content folder that look meant as content but are not read: a group saved
//! by Notepad as `x.md.txt`, a Word document, a Markdown ending PeerPress does not take.
//! Each gets a warning, so that `check` never says "no problems found" while a page the
//! editor wrote is silently missing. Other files (images beside pages, notes) are left
//! alone without a word.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// Endings of word-processor documents, which PeerPress cannot read.
const DOCUMENTS: &[&str] = &["docx", "doc", "odt", "rtf", "pages"];

/// Endings that mean Markdown, under other names.
const OTHER_MARKDOWN: &[&str] = &["markdown", "md", "mdown", "mkd", "mdx"];

/// The warning for `path` (relative to the site, in `folder`), which is not read because
/// its ending is not one of `extensions`; `None` if it does not look like content.
pub fn warning(path: &Path, folder: &str, extensions: &[&str]) -> Option<Diagnostic> {
    let name = path.file_name()?.to_string_lossy().to_string();
    let lower = name.to_lowercase();
    let (stem, ending) = lower.rsplit_once('.')?;
    let wanted = extensions.first()?;
    let takes = |e: &str| extensions.iter().any(|x| x.eq_ignore_ascii_case(e));
    let skipped = format!(
        "this file is skipped: PeerPress reads only {} files in `{folder}/`",
        extensions
            .iter()
            .map(|e| format!("`.{e}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    );
    if ending == "txt" {
        let (inner_stem, inner) = stem.rsplit_once('.')?;
        if !takes(inner) {
            return None;
        }
        let original = &name[..inner_stem.len() + 1 + inner.len()];
        return Some(Diagnostic::warning(path, skipped).with_help(format!(
            "its name ends in `.txt`, which some editors (such as Notepad) add: rename it to `{original}` (in Windows Explorer, turn on View › File name extensions to see the whole name)"
        )));
    }
    let base = &name[..stem.len()];
    if DOCUMENTS.contains(&ending) {
        return Some(Diagnostic::warning(path, skipped).with_help(format!(
            "it is a word-processor document: copy its text into a plain-text editor and save it as `{base}.{wanted}`"
        )));
    }
    if OTHER_MARKDOWN.contains(&ending) && !takes(ending) {
        return Some(
            Diagnostic::warning(path, skipped).with_help(format!("rename it to `{base}.{wanted}`")),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(name: &str, extensions: &[&str]) -> Option<String> {
        warning(&Path::new("groups").join(name), "groups", extensions).and_then(|d| d.help)
    }

    #[test]
    fn content_under_another_ending_is_named() {
        let md = &["md", "markdown"];
        assert!(help("Voices.md.txt", md)
            .unwrap()
            .contains("rename it to `Voices.md`"));
        assert!(help("voices.docx", md).unwrap().contains("`voices.md`"));
        assert_eq!(help("voices.yaml", md), None);
        assert!(help("voices.markdown", &["md"])
            .unwrap()
            .contains("`voices.md`"));
    }

    #[test]
    fn other_files_are_left_alone() {
        let md = &["md", "markdown"];
        assert_eq!(help("photo.jpg", md), None);
        assert_eq!(help("notes.txt", md), None);
        assert_eq!(help("README", md), None);
        assert_eq!(help("voices.md", md), None);
    }
}
