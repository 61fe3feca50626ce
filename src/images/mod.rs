//! Pictures: every image in `static/` is published without its metadata (camera, GPS
//! position, dates, XMP, comments), and photos and drawings are also published at a few
//! smaller widths, so that a page can offer a phone the size it needs (`srcset`) and
//! say the picture's size up front (`width`/`height`: nothing moves as it arrives).
//!
//! The work is split in two. [`Pictures::plan`] reads only each picture's header: its
//! size, its orientation and whether its EXIF holds a GPS position, enough for Markdown
//! to write its `<picture>` and for `check` to report problems without encoding a thing.
//! [`Pictures::publish`] then makes the bytes of each file, from the cache
//! ([`cache`]) when an earlier build made the same file from the same picture.
//!
//! What each format gets (see `docs/images.md`): JPEG and PNG are decoded, turned
//! upright and encoded again at their own size and smaller widths (PNG also as lossless
//! WebP, which is smaller; `image`'s WebP encoder is lossless only, and a lossless WebP
//! of a photo is bigger than its JPEG, so photos stay JPEG). WebP and GIF keep their
//! pixels (and a GIF its animation) and lose their metadata chunks and comments. SVG
//! loses its `<metadata>` elements. Other files are copied as they are.

mod cache;
mod encode;
mod svg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

pub use cache::CACHE_FOLDER;

/// The widths (in pixels) pictures are offered at, besides their own when it is smaller
/// than the largest: a phone, a phone at twice the density, a tablet, and the page's
/// text column at twice the density.
pub const WIDTHS: &[u32] = &[480, 800, 1200, 1600];

/// The picture size above which `check` warns: a visitor on a phone pays for every byte.
pub const SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// The quality JPEGs are encoded at (of 100): no difference a visitor sees in a photo,
/// for a file a fraction of a camera's.
const JPEG_QUALITY: u8 = 80;

/// The formats pictures come in, as PeerPress treats them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl Format {
    fn of_path(path: &str) -> Option<Format> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            "gif" => Some(Format::Gif),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Gif => "gif",
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
        }
    }

    /// Whether PeerPress encodes this format again (and so can make it smaller); the
    /// others keep their pixels and lose only their metadata.
    fn is_encoded(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png)
    }
}

/// One file made from a picture: the picture itself (stripped), or a smaller copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Output path, like `photos/tea.480w.jpg`.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// A picture of the site, as its header describes it.
#[derive(Debug, Clone)]
pub struct Picture {
    /// Its output path (`photos/tea.jpg`), as in `static/`.
    pub path: String,
    pub format: Format,
    /// Its size upright (after its EXIF orientation is applied).
    pub width: u32,
    pub height: u32,
    /// The smaller copies, narrowest first, in its own format and, where that helps, as
    /// WebP; the picture itself is published at its own path besides.
    pub variants: Vec<Variant>,
}

impl Picture {
    /// The files of the picture's own format a browser may choose from, narrowest first:
    /// the smaller copies and, unless it is wider than the widest of them, the picture.
    fn fallback_set(&self) -> Vec<(String, u32)> {
        let mut set: Vec<(String, u32)> = self
            .variants
            .iter()
            .filter(|v| v.format == self.format)
            .map(|v| (v.path.clone(), v.width))
            .collect();
        if set.is_empty() || self.width <= WIDTHS[WIDTHS.len() - 1] {
            set.push((self.path.clone(), self.width));
        }
        set
    }

    /// The file an `<img>`'s `src` shows: the widest of [`Picture::fallback_set`], whose
    /// size its `width` and `height` give.
    pub fn largest(&self) -> String {
        self.fallback_set()
            .pop()
            .map_or_else(|| self.path.clone(), |(path, _)| path)
    }

    fn webp_set(&self) -> Vec<(String, u32)> {
        self.variants
            .iter()
            .filter(|v| v.format == Format::WebP && self.format != Format::WebP)
            .map(|v| (v.path.clone(), v.width))
            .collect()
    }
}

/// Every picture of the site, by output path.
#[derive(Debug, Default)]
pub struct Pictures {
    pictures: BTreeMap<String, Picture>,
    /// Where made files are kept between builds (`None`: not kept).
    cache: Option<PathBuf>,
}

/// How a page shows a picture.
pub struct Shown<'a> {
    pub alt: &'a str,
    pub title: Option<&'a str>,
    /// Makes an output path into an address (the site's base path in front).
    pub href: &'a dyn Fn(&str) -> String,
    /// How wide it is shown (the `sizes` attribute); `None`: across the text column.
    pub sizes: Option<&'a str>,
}

impl Pictures {
    /// Reads the header of every picture in `static_files`. Problems (a picture that
    /// cannot be read, one too big, one with a GPS position) are warnings for `file`s
    /// named `static/…`: the build goes ahead, and a picture that cannot be read is
    /// published as it is.
    pub fn plan(
        site_root: &Path,
        static_files: &BTreeMap<String, Vec<u8>>,
    ) -> (Pictures, Vec<Diagnostic>) {
        let planned: Vec<(Option<Picture>, Vec<Diagnostic>)> = static_files
            .par_iter()
            .filter_map(|(path, bytes)| {
                let format = Format::of_path(path);
                let big = bytes.len() > SIZE_LIMIT;
                if format.is_none() && !(big && is_picture_name(path)) {
                    return None;
                }
                let mut problems = Vec::new();
                if big {
                    problems.push(too_big(path, bytes.len()));
                }
                let picture = format.and_then(|format| match encode::header(bytes) {
                    Ok(header) => {
                        if header.has_gps {
                            problems.push(
                                Diagnostic::warning(
                                    static_path(path),
                                    "this photo records the place it was taken (GPS), which PeerPress removes from the published copy",
                                )
                                .with_help("the published picture is safe; the file in `static/` still holds the place: export the photo again without its location (most phones can turn location off for the camera) if others see this folder"),
                            );
                        }
                        Some(planned_picture(path, format, header.width, header.height))
                    }
                    Err(e) => {
                        problems.push(
                            Diagnostic::warning(
                                static_path(path),
                                format!("this picture cannot be read ({e}), so it is published as it is, with whatever it records"),
                            )
                            .with_help("open it in an image editor and save or export it again as JPEG, PNG or WebP"),
                        );
                        None
                    }
                });
                Some((picture, problems))
            })
            .collect();
        let mut pictures = BTreeMap::new();
        let mut problems = Vec::new();
        for (picture, found) in planned {
            problems.extend(found);
            if let Some(picture) = picture {
                pictures.insert(picture.path.clone(), picture);
            }
        }
        let cache = Some(site_root.join(CACHE_FOLDER).join("images"));
        (Pictures { pictures, cache }, problems)
    }

    /// The picture published at `path` (`photos/tea.jpg`), if it is one.
    pub fn get(&self, path: &str) -> Option<&Picture> {
        self.pictures.get(path)
    }

    /// Every smaller copy's path, for the list of the site's files.
    pub fn variant_paths(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pictures.values().flat_map(|p| {
            p.variants
                .iter()
                .map(move |v| (v.path.as_str(), p.path.as_str()))
        })
    }

    /// A hash of every picture's plan: pages showing pictures change when it does.
    pub fn digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for picture in self.pictures.values() {
            (
                &picture.path,
                picture.width,
                picture.height,
                &picture.variants,
            )
                .hash(&mut hasher);
        }
        hasher.finish()
    }

    /// The HTML showing `picture`: an `<img>` with its size and the widths it comes in,
    /// inside a `<picture>` offering WebP first when there is a WebP copy.
    pub fn markup(&self, picture: &Picture, shown: &Shown) -> String {
        let escape = crate::render::escape_html;
        let sizes = shown.sizes.unwrap_or(SIZES);
        let largest = picture.largest();
        let mut html = String::new();
        let webp = picture.webp_set();
        if !webp.is_empty() {
            html.push_str("<picture><source type=\"");
            html.push_str(Format::WebP.mime());
            html.push_str("\" srcset=\"");
            html.push_str(&escape(&srcset(&webp, shown.href)));
            html.push_str("\" sizes=\"");
            html.push_str(&escape(sizes));
            html.push_str("\">");
        }
        html.push_str("<img src=\"");
        html.push_str(&escape(&(shown.href)(&largest)));
        html.push('"');
        html.push_str(&self.size_attributes(picture, shown.href, Some(sizes)));
        html.push_str(" alt=\"");
        html.push_str(&escape(shown.alt));
        html.push('"');
        if let Some(title) = shown.title.filter(|t| !t.is_empty()) {
            html.push_str(" title=\"");
            html.push_str(&escape(title));
            html.push('"');
        }
        html.push_str(" loading=\"lazy\" decoding=\"async\">");
        if !webp.is_empty() {
            html.push_str("</picture>");
        }
        html
    }

    /// The attributes an `<img>` of `picture` needs besides its address and description,
    /// each after a space: the widths it comes in in its own format (`srcset`, `sizes`:
    /// `sizes` or the text column's), when there are several, and its width and height,
    /// those of the largest of them, so that nothing on the page moves when it arrives.
    pub fn size_attributes(
        &self,
        picture: &Picture,
        href: &dyn Fn(&str) -> String,
        sizes: Option<&str>,
    ) -> String {
        let escape = crate::render::escape_html;
        let fallback = picture.fallback_set();
        let largest = picture.largest();
        let (width, height) = match picture.variants.iter().find(|v| v.path == largest) {
            Some(v) => (v.width, v.height),
            None => (picture.width, picture.height),
        };
        let mut html = String::new();
        if fallback.len() > 1 {
            html.push_str(" srcset=\"");
            html.push_str(&escape(&srcset(&fallback, href)));
            html.push_str("\" sizes=\"");
            html.push_str(&escape(sizes.unwrap_or(SIZES)));
            html.push('"');
        }
        html.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        html
    }

    /// Makes every file of `static_files` to publish, handing each to `put` (on several
    /// cores): pictures without their metadata and their smaller copies, SVG without its
    /// `<metadata>`, the rest as it is. Made pictures come from the cache when they can.
    pub fn publish(
        &self,
        static_files: &BTreeMap<String, Vec<u8>>,
        put: &(dyn Fn(&str, Vec<u8>) + Sync),
    ) {
        let cache = self.cache.as_deref().map(cache::Cache::new);
        // One task per file made, so that the copies of one big photo share the cores.
        let mut tasks: Vec<(&str, &[u8], Made)> = Vec::new();
        for (path, bytes) in static_files {
            match self.pictures.get(path) {
                Some(picture) => {
                    tasks.push((path, bytes, Some((picture, None))));
                    for variant in &picture.variants {
                        tasks.push((&variant.path, bytes, Some((picture, Some(variant)))));
                    }
                }
                None => tasks.push((path, bytes, None)),
            }
        }
        tasks.into_par_iter().for_each(|(path, bytes, made)| {
            let out = match made {
                None if path.to_ascii_lowercase().ends_with(".svg") => svg::strip_metadata(bytes),
                None => bytes.to_vec(),
                Some((picture, variant)) => {
                    let target = variant.map_or(
                        encode::Target {
                            format: picture.format,
                            width: picture.width,
                            height: picture.height,
                        },
                        |v| encode::Target {
                            format: v.format,
                            width: v.width,
                            height: v.height,
                        },
                    );
                    let make = || encode::make(bytes, &target, picture.format);
                    match &cache {
                        Some(cache) => cache.get_or_make(bytes, &target, make),
                        None => make(),
                    }
                    // A picture its header described but whose pixels fail to decode
                    // (cut short, say) is published as it is, as one that cannot be read.
                    .unwrap_or_else(|_| bytes.to_vec())
                }
            };
            put(path, out);
        });
    }
}

/// What a published file is made as: copied (`None`), or from a picture, as the picture
/// itself (`Some((picture, None))`) or one of its copies.
type Made<'a> = Option<(&'a Picture, Option<&'a Variant>)>;

/// The `sizes` of every picture in a page: the text column (`.prose`, 42rem) or the
/// screen less its margins.
const SIZES: &str = "(min-width: 44rem) 42rem, calc(100vw - 2rem)";

/// The `srcset` of `set`: each file's address and width.
fn srcset(set: &[(String, u32)], href: &dyn Fn(&str) -> String) -> String {
    set.iter()
        .map(|(path, width)| format!("{} {width}w", srcset_url(&href(path))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A URL as a `srcset` candidate: spaces and commas would split it.
fn srcset_url(url: &str) -> String {
    url.replace(' ', "%20").replace(',', "%2C")
}

fn static_path(path: &str) -> String {
    format!("static/{path}")
}

fn too_big(path: &str, size: usize) -> Diagnostic {
    let mb = size as f64 / (1024.0 * 1024.0);
    Diagnostic::warning(
        static_path(path),
        format!(
            "this picture is {mb:.1} MB, more than the {} MB a page's picture should be",
            SIZE_LIMIT / (1024 * 1024)
        ),
    )
    .with_help("save it smaller (2,000 pixels wide is plenty for a web page) or as JPEG: visitors on a phone pay for every byte")
}

/// Names of picture files PeerPress does not make smaller (for the size warning).
fn is_picture_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".svg", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".ico",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// What PeerPress makes from a picture of `width`×`height` at `path`.
fn planned_picture(path: &str, format: Format, width: u32, height: u32) -> Picture {
    let mut variants = Vec::new();
    if format.is_encoded() {
        let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
        let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
        // The picture at its own width as WebP too, when that is one a browser may pick.
        let webp_own = width <= WIDTHS[WIDTHS.len() - 1];
        let formats: &[Format] = match format {
            Format::Png => &[Format::Png, Format::WebP],
            _ => &[format],
        };
        if webp_own {
            widths.push(width);
        }
        for w in widths {
            let h = scaled_height(width, height, w);
            for &f in formats {
                // The picture at its own width in its own format is the picture itself.
                if w == width && f == format {
                    continue;
                }
                variants.push(Variant {
                    path: format!("{stem}.{w}w.{}", f.extension()),
                    width: w,
                    height: h,
                    format: f,
                });
            }
        }
    }
    Picture {
        path: path.to_string(),
        format,
        width,
        height,
        variants,
    }
}

/// The height of a `width`×`height` picture made `to` pixels wide (at least 1).
fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let scaled =
        (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests;
