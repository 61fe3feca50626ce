//! `peerpress init [--host HOST] <folder>`.

use std::path::PathBuf;
use std::process::ExitCode;

use peerpress::starter::{self, publish, Host};

#[derive(clap::Args)]
pub struct Args {
    /// The folder to create; or a site folder (with its site.yaml) to add only the
    /// publishing files to.
    folder: PathBuf,
    /// Where the site will be published: writes the files that build it there every day
    /// and on every change (a GitHub Actions workflow, .gitlab-ci.yml or netlify.toml).
    /// `none` writes no publishing files. Files already there are never replaced.
    #[arg(long, value_enum, value_name = "HOST", default_value_t = HostArg::Github)]
    host: HostArg,
}

/// The names `--host` takes; the library's [`Host`] knows nothing of the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
enum HostArg {
    Github,
    Gitlab,
    Netlify,
    None,
}

impl HostArg {
    fn host(self) -> Host {
        match self {
            HostArg::Github => Host::GitHub,
            HostArg::Gitlab => Host::GitLab,
            HostArg::Netlify => Host::Netlify,
            HostArg::None => Host::None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            HostArg::Github => "github",
            HostArg::Gitlab => "gitlab",
            HostArg::Netlify => "netlify",
            HostArg::None => "none",
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    let host = args.host.host();
    let created = match starter::init(&args.folder, host) {
        Ok(created) => created,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let folder = args.folder.display();
    if created.starter_files > 0 {
        let count = created.starter_files + created.written.len();
        println!("Created a new site in `{folder}` ({count} files).");
        println!();
        println!("Next steps:");
        println!("  edit {folder}/site.yaml (your organisation's name, address and crisis lines),");
        println!(
            "  then run `peerpress build {folder}` to see it; the website will be in {folder}/public/."
        );
    } else if !created.written.is_empty() {
        println!(
            "Added to `{folder}`, to publish the site on {}:",
            host.title()
        );
        for path in &created.written {
            println!("  {path}");
        }
    }
    for path in &created.kept {
        println!(
            "Left as it was: `{folder}/{path}` already exists. To replace it with the one from \
             PeerPress {}, rename or delete it, then run `peerpress init --host {} {folder}` again.",
            publish::VERSION,
            args.host.name(),
        );
    }
    if !created.written.is_empty() {
        println!();
        println!("To publish: {}", how_to_publish(host));
        println!("More in {}", publish::publishing_docs());
    } else if host == Host::None {
        println!("  To publish it, upload the contents of {folder}/public/ to your web host.");
    }
    ExitCode::SUCCESS
}

/// The one step left to the volunteer on each host, in their words.
fn how_to_publish(host: Host) -> &'static str {
    match host {
        Host::GitHub => {
            "put the site folder in a GitHub repository and, in its Settings > Pages, set \
             \"Source\" to \"GitHub Actions\". The workflow then publishes the site after every \
             change and every day."
        }
        Host::GitLab => {
            "put the site folder in a GitLab project: the pipeline publishes the site after \
             every change. To rebuild it every day too, add a schedule in Build > Pipeline \
             schedules."
        }
        Host::Netlify => {
            "put the site folder in a Git repository and import it in Netlify, which then \
             publishes the site after every change. Netlify does not rebuild on a schedule by \
             itself: the guide below shows how to rebuild every day."
        }
        Host::None => "upload the contents of the public/ folder to your web host.",
    }
}
