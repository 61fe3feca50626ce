//! Reading a picture's header, and making its published files: nothing a camera or an
//! editor recorded (EXIF, GPS, XMP, IPTC, comments, colour profiles) is carried over.
//! JPEG and PNG are decoded and encoded again, which by itself leaves every piece of
//! metadata behind; WebP and GIF keep their compressed pixels, and lose every chunk or
//! block that is not picture.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader};

use super::Format;

/// What a picture's header says.
pub struct Header {
    /// Its size upright.
    pub width: u32,
    pub height: u32,
    /// Whether its EXIF records where it was taken.
    pub has_gps: bool,
}

/// A file to make from a picture.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

fn reader(bytes: &[u8]) -> image::ImageResult<ImageReader<Cursor<&[u8]>>> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    // (The default limits refuse a picture that would take more than 512 MiB to decode.)
    Ok(reader)
}

/// Reads the header of the picture in `bytes` (what its format is, is read from the
/// bytes, not the file name).
pub fn header(bytes: &[u8]) -> Result<Header, String> {
    let reader = reader(bytes).map_err(plain)?;
    if reader.format().is_none() {
        return Err("it is not a JPEG, PNG, WebP or GIF picture".into());
    }
    let mut decoder = reader.into_decoder().map_err(plain)?;
    let (width, height) = decoder.dimensions();
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let (width, height) = if turns_sideways(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    let has_gps = match decoder.exif_metadata() {
        Ok(Some(exif)) => exif_has_gps(&exif),
        _ => false,
    };
    if width == 0 || height == 0 {
        return Err("it has no pixels".into());
    }
    Ok(Header {
        width,
        height,
        has_gps,
    })
}

/// Whether raw EXIF (a TIFF structure) holds any GPS field.
pub fn exif_has_gps(exif: &[u8]) -> bool {
    match exif::Reader::new().read_raw(exif.to_vec()) {
        Ok(exif) => exif.fields().any(|f| {
            f.tag.context() == exif::Context::Gps || f.tag == exif::Tag::GPSInfoIFDPointer
        }),
        // EXIF too broken to read is not published either.
        Err(_) => false,
    }
}

fn turns_sideways(orientation: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(
        orientation,
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH
    )
}

/// Makes `target` from the picture in `bytes`, of format `source`.
pub fn make(bytes: &[u8], target: &Target, source: Format) -> Result<Vec<u8>, String> {
    match source {
        Format::WebP => return strip_webp(bytes),
        Format::Gif => return strip_gif(bytes),
        Format::Jpeg | Format::Png => {}
    }
    let mut decoder = reader(bytes)
        .map_err(plain)?
        .into_decoder()
        .map_err(plain)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(plain)?;
    picture.apply_orientation(orientation);
    if picture.width() != target.width || picture.height() != target.height {
        picture = picture.resize_exact(
            target.width,
            target.height,
            image::imageops::FilterType::CatmullRom,
        );
    }
    let mut out = Vec::new();
    match target.format {
        Format::Jpeg => {
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, super::JPEG_QUALITY);
            DynamicImage::ImageRgb8(picture.to_rgb8())
                .write_with_encoder(encoder)
                .map_err(plain)?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new(&mut out);
            without_sixteen_bits(picture)
                .write_with_encoder(encoder)
                .map_err(plain)?;
        }
        Format::WebP => {
            let encoder = image::codecs::webp::WebPEncoder::new_lossless(&mut out);
            let rgba = if picture.color().has_alpha() {
                DynamicImage::ImageRgba8(picture.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(picture.to_rgb8())
            };
            rgba.write_with_encoder(encoder).map_err(plain)?;
        }
        Format::Gif => return strip_gif(bytes),
    }
    Ok(out)
}

/// A picture of 8 bits a channel: 16 (from a scanner, say) is twice the bytes for no
/// difference on a screen.
fn without_sixteen_bits(picture: DynamicImage) -> DynamicImage {
    match picture {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => picture,
        p if p.color().has_alpha() => DynamicImage::ImageRgba8(p.to_rgba8()),
        p => DynamicImage::ImageRgb8(p.to_rgb8()),
    }
}

/// A WebP file without its `EXIF` and `XMP ` chunks (its pixels untouched), and its
/// header's flags saying so. See the container's specification: RIFF, then chunks of a
/// four-letter name, a little-endian size and the data, padded to an even length.
pub fn strip_webp(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let broken = || "its WebP container is broken".to_string();
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return Err(broken());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[0..12]);
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let name = &bytes[at..at + 4];
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        let size = usize::try_from(size).map_err(|_| broken())?;
        let end = at
            .checked_add(8)
            .and_then(|a| a.checked_add(size))
            .ok_or_else(broken)?;
        if end > bytes.len() {
            return Err(broken());
        }
        let padded = (end + (size & 1)).min(bytes.len());
        if name != b"EXIF" && name != b"XMP " {
            let start = out.len();
            out.extend_from_slice(&bytes[at..padded]);
            if name == b"VP8X" && size >= 1 {
                // The flags: bit 3 EXIF, bit 2 XMP present.
                out[start + 8] &= !0b0000_1100;
            }
        }
        at = padded;
    }
    let riff_size = u32::try_from(out.len() - 8).map_err(|_| broken())?;
    out[4..8].copy_from_slice(&riff_size.to_le_bytes());
    Ok(out)
}

/// A GIF made again frame by frame, with its animation and loop but without its
/// comments and application blocks (where XMP hides).
pub fn strip_gif(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(Cursor::new(bytes)).map_err(plain)?;
    let palette = decoder.global_palette().unwrap_or(&[]).to_vec();
    let repeat = decoder.repeat();
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, decoder.width(), decoder.height(), &palette)
            .map_err(plain)?;
        if repeat != gif::Repeat::Finite(0) {
            encoder.set_repeat(repeat).map_err(plain)?;
        }
        while let Some(frame) = decoder.read_next_frame().map_err(plain)? {
            encoder.write_frame(frame).map_err(plain)?;
        }
    }
    Ok(out)
}

fn plain(e: impl std::fmt::Display) -> String {
    e.to_string()
}
