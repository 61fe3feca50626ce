//! The publishing files `peerpress init --host` writes: a recipe for each host that
//! downloads this very version of PeerPress, checks it, builds the site and publishes it.
//!
//! The recipes are files in `src/starter/hosts/<host>/`, embedded in the binary, with
//! `@VERSION@` and `@REPOSITORY@` filled in from `Cargo.toml`, so the address of the
//! releases is written in one place. This module writes nothing; `starter` does.

use include_dir::{include_dir, Dir};

static GITHUB: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/starter/hosts/github");
static GITLAB: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/starter/hosts/gitlab");
static NETLIFY: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/starter/hosts/netlify");

/// Where a site is published, and so which publishing files `init` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// GitHub Pages, built by a GitHub Actions workflow.
    GitHub,
    /// GitLab Pages, built by a GitLab CI/CD pipeline.
    GitLab,
    /// Netlify, which runs the build command in `netlify.toml`.
    Netlify,
    /// Somewhere else: the volunteer builds and uploads `public/` themselves.
    None,
}

/// One publishing file: where it goes in the site folder, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishingFile {
    /// The path inside the site folder, with `/` between folders.
    pub path: String,
    pub text: String,
}

impl Host {
    /// The host's name as volunteers know it.
    pub fn title(self) -> &'static str {
        match self {
            Host::GitHub => "GitHub Pages",
            Host::GitLab => "GitLab Pages",
            Host::Netlify => "Netlify",
            Host::None => "your own host",
        }
    }

    /// The files this host needs, for this version of PeerPress.
    pub fn files(self) -> Vec<PublishingFile> {
        let dir = match self {
            Host::GitHub => &GITHUB,
            Host::GitLab => &GITLAB,
            Host::Netlify => &NETLIFY,
            Host::None => return Vec::new(),
        };
        crate::load::embedded_files(dir)
            .into_iter()
            .map(|file| PublishingFile {
                path: file.path().to_string_lossy().replace('\\', "/"),
                text: fill_in(&String::from_utf8_lossy(file.contents())),
            })
            .collect()
    }
}

/// The address of PeerPress's home, from `repository` in `Cargo.toml`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The version of PeerPress that is running, which the recipes download.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The page of the documentation that explains publishing, for this version.
pub fn publishing_docs() -> String {
    format!("{REPOSITORY}/blob/v{VERSION}/docs/publishing.md")
}

fn fill_in(template: &str) -> String {
    template
        .replace("@VERSION@", VERSION)
        .replace("@REPOSITORY@", REPOSITORY)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTS: [Host; 4] = [Host::GitHub, Host::GitLab, Host::Netlify, Host::None];

    #[test]
    fn every_placeholder_is_filled_in() {
        for host in HOSTS {
            for file in host.files() {
                assert!(!file.text.contains("@VERSION@"), "{}", file.path);
                assert!(!file.text.contains("@REPOSITORY@"), "{}", file.path);
                assert!(
                    file.text.contains(VERSION),
                    "{} names the version",
                    file.path
                );
            }
        }
    }

    #[test]
    fn each_host_has_its_own_files() {
        let paths =
            |host: Host| -> Vec<String> { host.files().into_iter().map(|f| f.path).collect() };
        assert_eq!(paths(Host::GitHub), [".github/workflows/publish.yml"]);
        assert_eq!(paths(Host::GitLab), [".gitlab-ci.yml"]);
        assert_eq!(paths(Host::Netlify), ["netlify.toml"]);
        assert!(paths(Host::None).is_empty());
    }

    #[test]
    fn the_recipes_download_from_the_repository_in_cargo_toml() {
        assert!(REPOSITORY.starts_with("https://"));
        for host in [Host::GitHub, Host::GitLab, Host::Netlify] {
            let text: String = host.files().into_iter().map(|f| f.text).collect();
            assert!(
                text.contains(&format!("{REPOSITORY}/releases/download")),
                "{host:?}"
            );
            assert!(
                text.contains("peerpress-x86_64-unknown-linux-musl.tar.gz"),
                "{host:?}"
            );
            assert!(text.contains("sha256sum"), "{host:?} checks the download");
        }
    }
}
