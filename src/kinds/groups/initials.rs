//! A big site's groups A–Z: past [`SMALL_GROUP_LIST`] groups, `/groups/` links a page
//! for each initial (`/groups/a-z/m/`), and an initial with more groups than one light
//! page holds is split further, into pages of names from … to …, each at its own
//! address (`/groups/a-z/s/2/`), the way a dictionary's pages carry guide words. Many
//! fellowships' group names share their first word ("St", "Hope", "New"), so one
//! letter can hold a third of a list.
//!
//! [`SMALL_GROUP_LIST`]: crate::render::views::SMALL_GROUP_LIST

use std::collections::BTreeMap;

use serde::Serialize;

use crate::kinds::groups::views::GroupView;
use crate::render::views::initial;

/// The most groups one page of an initial lists: about 130 KB of HTML, well within a
/// phone's page budget of 250 KB.
pub const GROUPS_PER_INITIAL_PAGE: usize = 150;

/// One page of groups by initial.
#[derive(Debug, Clone, Serialize)]
pub struct InitialPage {
    /// Its address below `/groups/a-z/`: `h`, or `h/2` for the letter's second page.
    pub id: String,
    /// The initial (`H`).
    pub name: String,
    /// The address of the initial's first page, which the list of initials links.
    pub letter: String,
    /// The groups on this page, by slug.
    pub entries: Vec<String>,
    /// How many groups start with the initial, on all its pages.
    pub total: usize,
    /// The initial's pages, when it has more than one.
    pub parts: Vec<InitialPart>,
    /// Where this page is among them, from 1.
    pub part: usize,
}

/// One of an initial's pages, named by the first and last names it lists, cut to the
/// words that tell it from its neighbours (`Harbour End Carers` – `Hythe`).
#[derive(Debug, Clone, Serialize)]
pub struct InitialPart {
    pub id: String,
    pub from: String,
    pub to: String,
}

/// The pages of `groups` (A–Z by name) by initial.
pub fn initial_pages(groups: &[GroupView]) -> Vec<InitialPage> {
    let mut letters: BTreeMap<String, (String, Vec<&GroupView>)> = BTreeMap::new();
    for g in groups {
        let name = initial(&g.name);
        let id = match crate::model::slug::slugify(&name) {
            _ if name == "#" => "0-9".to_string(),
            id if id.is_empty() => "other".to_string(),
            id => id,
        };
        letters
            .entry(id)
            .or_insert_with(|| (name, Vec::new()))
            .1
            .push(g);
    }
    letters
        .into_iter()
        .flat_map(|(letter, (name, groups))| split(letter, name, &groups))
        .collect()
}

/// An initial's groups as pages of at most [`GROUPS_PER_INITIAL_PAGE`], of even length.
fn split(letter: String, name: String, groups: &[&GroupView]) -> Vec<InitialPage> {
    let count = groups.len().div_ceil(GROUPS_PER_INITIAL_PAGE);
    let per_page = groups.len().div_ceil(count);
    let chunks: Vec<&[&GroupView]> = groups.chunks(per_page).collect();
    let id = |k: usize| match k {
        0 => letter.clone(),
        _ => format!("{letter}/{}", k + 1),
    };
    let parts: Vec<InitialPart> = if chunks.len() < 2 {
        Vec::new()
    } else {
        (0..chunks.len())
            .map(|k| {
                let first = &chunks[k][0].name;
                let last = &chunks[k][chunks[k].len() - 1].name;
                // The first page starts, and the last ends, where no page is beside
                // them: their names are told from the other end of their own page.
                let before = k
                    .checked_sub(1)
                    .map(|j| &chunks[j][chunks[j].len() - 1].name);
                let after = chunks.get(k + 1).map(|c| &c[0].name);
                InitialPart {
                    id: id(k),
                    from: distinguishing_words(first, before.unwrap_or(last)),
                    to: distinguishing_words(last, after.unwrap_or(first)),
                }
            })
            .collect()
    };
    chunks
        .iter()
        .enumerate()
        .map(|(k, chunk)| InitialPage {
            id: id(k),
            name: name.clone(),
            letter: letter.clone(),
            entries: chunk.iter().map(|g| g.slug.clone()).collect(),
            total: groups.len(),
            parts: parts.clone(),
            part: k + 1,
        })
        .collect()
}

/// The first words of `name`, up to the first that differs from `neighbour`'s word in
/// the same place (all of it if none does): enough to tell two pages apart.
fn distinguishing_words(name: &str, neighbour: &str) -> String {
    let theirs: Vec<&str> = neighbour.split_whitespace().collect();
    let mut words = Vec::new();
    for (i, word) in name.split_whitespace().enumerate() {
        words.push(word);
        if !theirs.get(i).is_some_and(|w| w.eq_ignore_ascii_case(word)) {
            break;
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_named_by_the_words_that_tell_it_from_its_neighbour() {
        assert_eq!(
            distinguishing_words("Harbour End Bereavement 12", "Harbour End Carers"),
            "Harbour End Bereavement"
        );
        assert_eq!(distinguishing_words("Hythe Group", "Harbour"), "Hythe");
        assert_eq!(
            distinguishing_words("Hope Group", "Hope Group"),
            "Hope Group"
        );
    }
}
