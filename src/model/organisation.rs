//! `directory/*`: other organisations a visitor might turn to.

use serde::{Deserialize, Serialize};

use crate::model::contact::{Address, AddressFile, Email, Phone, WebUrl};
use crate::model::yaml::Text;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationFile {
    pub name: Text,
    pub summary: Option<Text>,
    pub website: Option<WebUrl>,
    #[serde(default)]
    pub phones: Vec<PhoneLine>,
    pub email: Option<Email>,
    pub address: Option<AddressFile>,
    #[serde(default)]
    pub areas: Vec<Text>,
    #[serde(default)]
    pub categories: Vec<Text>,
    #[serde(default)]
    pub languages: Vec<Text>,
    pub access: Option<Text>,
    pub cost: Option<Text>,
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
}

/// A phone number of an organisation, with what it is for and when it is answered.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneLine {
    pub number: Phone,
    pub label: Option<Text>,
    pub hours: Option<Text>,
}

/// A directory entry.
#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
    pub summary: Option<String>,
    pub website: Option<WebUrl>,
    pub phones: Vec<PhoneLine>,
    pub email: Option<Email>,
    pub address: Option<Address>,
    pub areas: Vec<String>,
    pub categories: Vec<String>,
    pub languages: Vec<String>,
    pub access: Option<String>,
    pub cost: Option<String>,
    /// Rendered with the entry's own page, not shown elsewhere.
    #[serde(skip)]
    pub description: super::Markdown,
}
