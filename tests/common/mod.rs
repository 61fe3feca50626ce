//! A small fixture site written into a temporary folder, and helpers to run PeerPress
//! on it the way a volunteer would.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub mod versions;

/// Monday 23 November 2026, 12:00 UTC: builds are reproducible and "upcoming" is stable.
pub const NOW: &str = "1795435200";

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A minimal valid site: one venue, one group with a weekly in-person meeting and a
    /// monthly online one, a values statement, a directory entry and two pages.
    pub fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.write("site.yaml", SITE);
        f.write("venues.yaml", "hall:\n  name: Church Hall\n  address: { street: 1 Church Lane, town: Riverside, postcode: RV1 2AB }\n  area: Town centre\n  latitude: 51.5\n  longitude: -0.12\n");
        f.write("groups/voices.md", GROUP);
        f.write("values/hope.md", "---\ntitle: Hope\norder: 1\nsummary: Things can get better.\n---\nWe believe in hope.\n");
        f.write("directory/helpline.yaml", "name: Example Helpline\nsummary: A listening line.\nwebsite: https://helpline.example.org/\nphones:\n  - { number: \"01632 960 000\", label: Helpline, hours: Every day }\nareas: [Riverside]\ncategories: [helpline]\n");
        f.write(
            "content/index.md",
            "---\ntitle: Welcome\n---\nHello, read [about us](about.md#who).\n",
        );
        f.write(
            "content/about.md",
            "---\ntitle: About us\n---\n## Who\n\nWe are peers.\n",
        );
        f
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.dir.path().join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write fixture");
    }

    pub fn public(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// The text of an output file.
    pub fn page(&self, relative: &str) -> String {
        fs::read_to_string(self.public().join(relative))
            .unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    /// `peerpress build <site> <args>`.
    pub fn build(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        peerpress()
            .arg("build")
            .arg(self.path())
            .args(args)
            .assert()
    }
}

pub fn peerpress() -> Command {
    let mut cmd = Command::cargo_bin("peerpress").expect("binary");
    cmd.env("SOURCE_DATE_EPOCH", NOW).env_remove("NO_COLOR");
    cmd
}

pub fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

pub fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

pub const SITE: &str = "name: Riverside Peers
base_url: https://peers.example.org/
language: en
timezone: Europe/London
contact: { email: hello@peers.example.org }
crisis:
  - { name: Samaritans, phone: \"116 123\", hours: 24 hours }
";

pub const GROUP: &str = "---
name: Hearing Voices Group
summary: A friendly space.
topics: [hearing voices, psychosis]
contact: { name: Sam, email: voices@peers.example.org }
meetings:
  - id: tuesday
    day: tuesday
    time: \"19:00-20:30\"
    venue: hall
    types: [open, newcomers]
    cancelled: [2026-12-01]
  - id: online-monthly
    every: month
    week: last
    day: friday
    time: \"18:00-19:00\"
    online: { url: https://meet.example.org/voices, phone: \"01632 960 555\" }
---
## What to expect

A cup of tea and a chat.
";
