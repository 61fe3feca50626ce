//! bench-photo: the figures behind PeerPress's choices for photos (`docs/images.md`).
//!
//! ```text
//! bench-photo make OUT.jpg [--width W --height H]
//! bench-photo webp PHOTO.jpg
//! ```
//!
//! `make` writes a photo-like JPEG (default 4,000×3,000, about 5 MB: smooth light and
//! colour under a camera's grain, which is what makes a photo's file big) for timing a
//! build that makes the copies of a phone's photo, and the rebuild that takes them from
//! the cache.
//!
//! `webp` prints the size of a photo as PeerPress publishes it (JPEG at quality 80) and
//! as lossless WebP (the only WebP the `image` crate makes), at its own width and at
//! 800 pixels wide: whether WebP copies of photos would help visitors.

use std::io::Cursor;
use std::process::ExitCode;

use image::{DynamicImage, ImageReader, RgbImage};

/// The quality PeerPress encodes JPEGs at (`images::JPEG_QUALITY`).
const JPEG_QUALITY: u8 = 80;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("make") if args.len() >= 2 => make(&args[1], &args[2..]),
        Some("webp") if args.len() == 2 => webp(&args[1]),
        _ => Err(
            "usage: bench-photo make OUT.jpg [--width W --height H] | bench-photo webp PHOTO.jpg"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-photo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn make(out: &str, options: &[String]) -> Result<(), String> {
    let mut width = 4000;
    let mut height = 3000;
    for pair in options.chunks(2) {
        let value = |v: Option<&String>| -> Result<u32, String> {
            v.and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{} needs a number of pixels", pair[0]))
        };
        match pair[0].as_str() {
            "--width" => width = value(pair.get(1))?,
            "--height" => height = value(pair.get(1))?,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    // A small fast generator (xorshift), so the photo is the same on every run.
    let mut state: u32 = 0x9E37_79B9;
    let mut grain = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state % 41) as i32 - 20
    };
    let (w, h) = (width as f32, height as f32);
    let picture = RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / w, y as f32 / h);
        // Sky to ground, a low sun, and leaves: shapes a camera sees, at every scale.
        let sun = 1.0 - ((fx - 0.7).powi(2) + (fy - 0.3).powi(2)).sqrt().min(1.0);
        let leaves = ((fx * 90.0).sin() * (fy * 70.0).cos() + (fx * 13.0 + fy * 17.0).sin()) * 20.0;
        let base = [
            90.0 + 140.0 * sun + leaves,
            110.0 + 90.0 * (1.0 - fy) + leaves * 0.6,
            160.0 * (1.0 - fy) + 40.0 * sun - leaves * 0.3,
        ];
        image::Rgb(base.map(|c| (c as i32 + grain()).clamp(0, 255) as u8))
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&picture)
        .map_err(|e| e.to_string())?;
    std::fs::write(out, &jpeg).map_err(|e| format!("cannot write {out}: {e}"))?;
    println!(
        "{out}: {width}×{height}, {:.1} MB",
        jpeg.len() as f64 / 1_048_576.0
    );
    Ok(())
}

fn webp(path: &str) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let photo = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| format!("{path}: {e}"))?;
    println!(
        "{path}: {}×{}, {} bytes",
        photo.width(),
        photo.height(),
        bytes.len()
    );
    let mut sizes = vec![photo.width()];
    if photo.width() > 800 {
        sizes.push(800);
    }
    for width in sizes {
        let height =
            (u64::from(photo.height()) * u64::from(width) / u64::from(photo.width())) as u32;
        let picture = DynamicImage::ImageRgb8(
            photo
                .resize_exact(width, height, image::imageops::FilterType::CatmullRom)
                .to_rgb8(),
        );
        let mut jpeg = Vec::new();
        picture
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut jpeg,
                JPEG_QUALITY,
            ))
            .map_err(|e| e.to_string())?;
        let mut webp = Vec::new();
        picture
            .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut webp))
            .map_err(|e| e.to_string())?;
        println!(
            "{width} px wide: JPEG (quality {JPEG_QUALITY}) {} bytes, lossless WebP {} bytes ({:.1}×)",
            jpeg.len(),
            webp.len(),
            webp.len() as f64 / jpeg.len() as f64
        );
    }
    Ok(())
}
