//! A Meeting Guide spreadsheet (the Google Sheet template of code4recovery/spec) saved
//! as CSV: columns named after the feed's fields in plain words, `ID` for the slug,
//! regions separated by `>`. A sheet feeds a public listing, so its contacts are public.

use super::csv_table::Dialect;

/// A sheet's `ID` column is the meeting's slug.
pub const DIALECT: Dialect = Dialect { id_is_slug: true };

/// A sheet is published as a public feed, contacts included.
pub const CONTACTS_PUBLIC: bool = true;
