//! `peerpress init <folder>`.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The folder to create.
    folder: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    match peerpress::starter::init(&args.folder) {
        Ok(count) => {
            let folder = args.folder.display();
            println!("Created a new site in `{folder}` ({count} files).");
            println!();
            println!("Next steps:");
            println!(
                "  edit {folder}/site.yaml (your organisation's name, address and crisis lines),"
            );
            println!(
                "  then run `peerpress build {folder}`; the website will be in {folder}/public/."
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
