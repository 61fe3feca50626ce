//! Slugs: the URL-safe names of groups, meetings, topics and the rest, made in one place.

/// Turns a name or file stem into a slug: lower case, ASCII letters where a Latin letter
/// has an obvious base (`Grupo en español` → `grupo-en-espanol`), words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |c: char| {
        let piece = match fold(c) {
            Fold::Text(s) => s,
            Fold::Drop => return,
            Fold::Separator => {
                pending_dash = true;
                return;
            }
        };
        if pending_dash && !slug.is_empty() {
            slug.push('-');
        }
        pending_dash = false;
        match piece {
            "" => slug.push(c),
            s => slug.push_str(s),
        }
    };
    for c in text.chars() {
        // (Every heading's id is a slug: most text is ASCII, lowered without Unicode's tables.)
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    slug
}

enum Fold {
    /// Replace by this ASCII text (`""`: keep the character itself).
    Text(&'static str),
    /// Leave out without a break: `men's` → `mens`, `LGBTQ+` → `lgbtq`.
    Drop,
    /// A break between words.
    Separator,
}

fn fold(c: char) -> Fold {
    Fold::Text(match c {
        'a'..='z' | '0'..='9' => "",
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ŵ' | 'ẃ' | 'ẁ' | 'ẅ' => "w",
        'ß' => "ss",
        'ł' => "l",
        'ś' | 'š' => "s",
        'ź' | 'ż' | 'ž' => "z",
        'ř' => "r",
        'ď' => "d",
        'ť' => "t",
        '\'' | '’' | '+' => return Fold::Drop,
        c if c.is_alphanumeric() => "",
        _ => return Fold::Separator,
    })
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn examples() {
        assert_eq!(slugify("Hearing Voices Group"), "hearing-voices-group");
        assert_eq!(
            slugify("Grupo de apoyo en español"),
            "grupo-de-apoyo-en-espanol"
        );
        assert_eq!(slugify("LGBTQ+"), "lgbtq");
        assert_eq!(slugify("Men's group"), "mens-group");
        assert_eq!(slugify("  --Hello,  World!-- "), "hello-world");
        assert_eq!(slugify("Cymraeg: Grŵp"), "cymraeg-grwp");
        assert_eq!(slugify("日本語"), "日本語");
    }

    proptest::proptest! {
        #[test]
        fn slugs_are_url_safe(s in "\\PC{0,40}") {
            let slug = slugify(&s);
            proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
            proptest::prop_assert!(!slug.contains("--"));
            proptest::prop_assert!(slug.chars().all(|c| c == '-' || c.is_alphanumeric()));
            proptest::prop_assert_eq!(slugify(&slug), slug.clone());
        }
    }
}
