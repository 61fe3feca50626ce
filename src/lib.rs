//! PeerPress: a static-site generator for peer-support organisations.
//!
//! The pipeline is `load` (read the site folder) → `model` (typed, checked data) →
//! `render` (pages and feeds, in memory) → `write` (bring the output folder in line).
//! The library never prints or exits; the binary in `main.rs` and `cmd/` does.

pub mod build;
pub mod diagnostics;
pub mod images;
pub mod import;
pub mod kinds;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod schedule;
pub mod serve;
pub mod starter;
pub mod write;

/// Frees `value` on a thread of its own. What a build leaves behind (the site, the
/// templates' values) is hundreds of thousands of small allocations at 10,000 pages,
/// and tens of milliseconds to free: the build can finish, and the program end, without
/// waiting for that. (A program that ends first leaves it to the system, which frees
/// it all at once.)
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
    // If the system refuses a thread, the value has been freed here instead.
    drop(spawned);
}
