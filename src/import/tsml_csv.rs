//! The CSV that the 12 Step Meeting List plugin (TSML) for WordPress exports, which is
//! also its import template: day names (`Monday`), type names (`Open, Discussion`),
//! `Address` as one line, and the group's private contacts.

use super::csv_table::Dialect;

/// TSML's `ID` is a WordPress post number, meaningless outside that site.
pub const DIALECT: Dialect = Dialect { id_is_slug: false };

/// TSML exports contacts whether or not the site shows them (its "contact display"
/// setting is not in the file), so they are never taken from its CSV.
pub const CONTACTS_PUBLIC: bool = false;

/// Columns only TSML's export has: a table with one of them is TSML's.
const OWN_COLUMNS: &[&str] = &[
    "slug",
    "data_source",
    "data_source_name",
    "sub_district",
    "homegroup_online",
    "mailing_address",
    "author",
];

/// Why a table (by its normalised headers) is TSML's, if it is.
pub fn recognise(headers: &[String]) -> Option<String> {
    headers
        .iter()
        .find(|h| OWN_COLUMNS.contains(&h.as_str()))
        .map(|h| {
            format!(
                "it has TSML's `{}` column",
                super::csv_table::display_header(h)
            )
        })
}
