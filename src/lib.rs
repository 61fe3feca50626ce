//! PeerPress: a static-site generator for peer-support organisations.
//!
//! The pipeline is `load` (read the site folder) → `model` (typed, checked data) →
//! `render` (pages and feeds, in memory) → `write` (bring the output folder in line).
//! The library never prints or exits; the binary in `main.rs` and `cmd/` does.

pub mod build;
pub mod diagnostics;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod schedule;
pub mod serve;
pub mod starter;
pub mod write;
