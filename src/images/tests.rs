//! The published pictures, read back with an EXIF reader and decoders of their own: no
//! metadata survives, and the pixels are the right way up and the planned size. The
//! test pictures are made here, with their metadata written by hand or by
//! `kamadak-exif`'s writer, so no fixture file is needed.

use std::collections::BTreeMap;
use std::io::Cursor;

use exif::{experimental::Writer, Field, In, Rational, Tag, Value};

use image::ImageEncoder;

use super::*;

/// A `width`×`height` gradient, as a JPEG with no metadata.
fn plain_jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&picture)
        .unwrap();
    out
}

/// EXIF as a camera writes it: the camera, the time, the place, and `orientation`.
fn camera_exif(orientation: u16) -> Vec<u8> {
    let fields = [
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"PhoneMaker".to_vec()]),
        },
        Field {
            tag: Tag::Model,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"Phone 12".to_vec()]),
        },
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        Field {
            tag: Tag::DateTimeOriginal,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"2026:05:01 10:11:12".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![
                Rational { num: 51, denom: 1 },
                Rational { num: 30, denom: 1 },
                Rational {
                    num: 1234,
                    denom: 100,
                },
            ]),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"W".to_vec()]),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![
                Rational { num: 0, denom: 1 },
                Rational { num: 7, denom: 1 },
                Rational {
                    num: 3942,
                    denom: 100,
                },
            ]),
        },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    tiff.into_inner()
}

/// A JPEG segment: its marker, its length and `data`.
fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&u16::try_from(data.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(data);
    out
}

const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description exif:GPSLatitude=\"51,30.2N\" dc:creator=\"Jane Volunteer\"/></rdf:RDF></x:xmpmeta>";

/// A photo as a phone leaves it: EXIF with GPS, XMP and a comment, after the JPEG's
/// start.
fn phone_photo(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let plain = plain_jpeg(width, height);
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(camera_exif(orientation));
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xE1, &exif));
    out.extend(segment(0xE1, XMP));
    out.extend(segment(0xFE, b"taken at 12 Hidden Lane"));
    out.extend_from_slice(&plain[2..]);
    out
}

/// What an independent reader finds of EXIF in `bytes`, if anything.
fn exif_fields(bytes: &[u8]) -> Vec<String> {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => exif.fields().map(|f| f.tag.to_string()).collect(),
        Err(_) => Vec::new(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Checks every file of `out` as a visitor's browser and an EXIF reader meet it: no EXIF
/// is found, none of `secrets` is in its bytes, and it decodes. Each file's size, as
/// decoded.
fn read_back(out: &BTreeMap<String, Vec<u8>>, secrets: &[&[u8]]) -> BTreeMap<String, (u32, u32)> {
    let mut sizes = BTreeMap::new();
    for (path, bytes) in out {
        assert_eq!(exif_fields(bytes), Vec::<String>::new(), "{path}");
        for secret in secrets {
            assert!(!contains(bytes, secret), "{path} still has {secret:?}");
        }
        let decoded = image::load_from_memory(bytes)
            .unwrap_or_else(|e| panic!("{path} does not decode: {e}"));
        sizes.insert(path.clone(), (decoded.width(), decoded.height()));
    }
    sizes
}

/// Every file `publish` makes of `files`, without a cache.
fn published(files: &BTreeMap<String, Vec<u8>>) -> (Pictures, BTreeMap<String, Vec<u8>>) {
    let (mut pictures, problems) = Pictures::plan(Path::new("."), files);
    assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");
    pictures.cache = None;
    let out = std::sync::Mutex::new(BTreeMap::new());
    pictures.publish(files, &|path, bytes| {
        out.lock().unwrap().insert(path.to_string(), bytes);
    });
    (pictures, out.into_inner().unwrap())
}

#[test]
fn the_test_photo_really_has_its_metadata() {
    let photo = phone_photo(64, 48, 1);
    let fields = exif_fields(&photo);
    for tag in [
        "Make",
        "Model",
        "GPSLatitude",
        "GPSLongitude",
        "DateTimeOriginal",
    ] {
        assert!(fields.iter().any(|f| f == tag), "{tag} in {fields:?}");
    }
    assert!(encode::header(&photo).unwrap().has_gps);
    assert!(!encode::header(&plain_jpeg(64, 48)).unwrap().has_gps);
}

#[test]
fn gps_exif_xmp_and_comments_are_gone_from_every_published_photo() {
    let files = BTreeMap::from([("photos/walk.jpg".to_string(), phone_photo(1000, 500, 1))]);
    let (pictures, out) = published(&files);
    let picture = pictures.get("photos/walk.jpg").unwrap();
    assert_eq!((picture.width, picture.height), (1000, 500));
    // The picture itself and its copies 480 and 800 pixels wide.
    let paths: Vec<&str> = out.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "photos/walk.480w.jpg",
            "photos/walk.800w.jpg",
            "photos/walk.jpg"
        ]
    );
    let secrets: [&[u8]; 6] = [
        b"Exif",
        b"PhoneMaker",
        b"xmpmeta",
        b"Jane Volunteer",
        b"Hidden Lane",
        b"2026:05:01",
    ];
    for (path, size) in read_back(&out, &secrets) {
        let variant = picture.variants.iter().find(|v| v.path == path);
        let expected = variant.map_or((1000, 500), |v| (v.width, v.height));
        assert_eq!(size, expected, "{path}");
    }
}

#[test]
fn a_sideways_photo_is_published_upright() {
    // Orientation 6: the camera was turned; the stored 60×40 pixels show 40×60.
    let files = BTreeMap::from([("a.jpg".to_string(), phone_photo(60, 40, 6))]);
    let (pictures, out) = published(&files);
    let picture = pictures.get("a.jpg").unwrap();
    assert_eq!((picture.width, picture.height), (40, 60));
    assert_eq!(read_back(&out, &[])["a.jpg"], (40, 60));
}

/// A PNG chunk: length, name, data and CRC-32.
fn png_chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    let mut named = name.to_vec();
    named.extend_from_slice(data);
    let mut crc = 0xFFFF_FFFFu32;
    for byte in &named {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    out.extend(named);
    out.extend((!crc).to_be_bytes());
    out
}

#[test]
fn a_png_loses_its_text_and_exif_and_gains_a_webp() {
    let picture = image::RgbaImage::from_fn(900, 300, |x, _| {
        image::Rgba([(x % 256) as u8, 10, 200, 255])
    });
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(picture.as_raw(), 900, 300, image::ExtendedColorType::Rgba8)
        .unwrap();
    // Text and EXIF chunks go after the header chunk (8 + 25 bytes in).
    let mut with_metadata = png[..33].to_vec();
    with_metadata.extend(png_chunk(b"tEXt", b"Author\0Jane Volunteer"));
    with_metadata.extend(png_chunk(b"eXIf", &camera_exif(1)));
    with_metadata.extend_from_slice(&png[33..]);
    assert!(exif_fields(&with_metadata)
        .iter()
        .any(|f| f == "GPSLatitude"));

    let files = BTreeMap::from([("map.png".to_string(), with_metadata)]);
    let (pictures, out) = published(&files);
    assert!(out.contains_key("map.480w.webp") && out.contains_key("map.900w.webp"));
    assert!(out.contains_key("map.480w.png") && out.contains_key("map.800w.png"));
    read_back(&out, &[b"tEXt", b"eXIf", b"Jane Volunteer", b"PhoneMaker"]);
    let html = pictures.markup(
        pictures.get("map.png").unwrap(),
        &Shown {
            alt: "Map of the \"centre\"",
            title: None,
            href: &|p| format!("/peer/{p}"),
            sizes: None,
        },
    );
    assert_eq!(
        html,
        "<picture><source type=\"image/webp\" srcset=\"/peer/map.480w.webp 480w, /peer/map.800w.webp 800w, /peer/map.900w.webp 900w\" sizes=\"(min-width: 44rem) 42rem, calc(100vw - 2rem)\">\
         <img src=\"/peer/map.png\" srcset=\"/peer/map.480w.png 480w, /peer/map.800w.png 800w, /peer/map.png 900w\" sizes=\"(min-width: 44rem) 42rem, calc(100vw - 2rem)\" width=\"900\" height=\"300\" alt=\"Map of the &quot;centre&quot;\" loading=\"lazy\" decoding=\"async\"></picture>"
    );
}

#[test]
fn a_webp_keeps_its_pixels_and_loses_its_exif_and_xmp() {
    let picture =
        image::RgbImage::from_fn(20, 10, |x, y| image::Rgb([x as u8 * 10, y as u8 * 20, 0]));
    let mut plain = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut plain)
        .encode(picture.as_raw(), 20, 10, image::ExtendedColorType::Rgb8)
        .unwrap();
    // The extended form: VP8X (flags: EXIF and XMP), the picture, then the metadata.
    let chunk = |name: &[u8], data: &[u8]| {
        let mut c = name.to_vec();
        c.extend(u32::try_from(data.len()).unwrap().to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &[0b0000_1100, 0, 0, 0, 19, 0, 0, 9, 0, 0]));
    body.extend_from_slice(&plain[12..]);
    body.extend(chunk(b"EXIF", &camera_exif(1)));
    body.extend(chunk(b"XMP ", &XMP[29..]));
    let mut webp = b"RIFF".to_vec();
    webp.extend(u32::try_from(body.len()).unwrap().to_le_bytes());
    webp.extend(body);
    assert!(encode::header(&webp).unwrap().has_gps);

    let files = BTreeMap::from([("w.webp".to_string(), webp)]);
    let (pictures, out) = published(&files);
    assert!(pictures.get("w.webp").unwrap().variants.is_empty());
    read_back(&out, &[b"EXIF", b"XMP ", b"PhoneMaker", b"xmpmeta"]);
    let stripped = &out["w.webp"];
    assert_eq!(stripped[20] & 0b0000_1100, 0, "the flags say no metadata");
    let decoded = image::load_from_memory(stripped).unwrap();
    assert_eq!(decoded.to_rgb8(), picture);
}

#[test]
fn a_gif_keeps_its_frames_and_loses_its_comments() {
    let mut gif = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut gif, 4, 4, &[0, 0, 0, 255, 255, 255]).unwrap();
        encoder.set_repeat(gif::Repeat::Infinite).unwrap();
        encoder
            .write_raw_extension(gif::Extension::Comment.into(), &[b"made by Jane Volunteer"])
            .unwrap();
        for shade in [0u8, 1] {
            let mut frame = gif::Frame::from_indexed_pixels(4, 4, vec![shade; 16], None);
            frame.delay = 50;
            encoder.write_frame(&frame).unwrap();
        }
    }
    assert!(contains(&gif, b"Jane Volunteer"));
    let stripped = encode::strip_gif(&gif).unwrap();
    assert!(!contains(&stripped, b"Jane Volunteer"));
    let mut decoder = gif::DecodeOptions::new()
        .read_info(Cursor::new(&stripped))
        .unwrap();
    let mut frames = 0;
    while decoder.read_next_frame().unwrap().is_some() {
        frames += 1;
    }
    assert_eq!(frames, 2);
    assert_eq!(decoder.repeat(), gif::Repeat::Infinite);
}

#[test]
fn made_pictures_are_kept_and_used_again() {
    let folder = tempfile::tempdir().unwrap();
    let files = BTreeMap::from([("p.jpg".to_string(), phone_photo(600, 300, 1))]);
    let (pictures, _) = Pictures::plan(folder.path(), &files);
    let publish = || {
        let out = std::sync::Mutex::new(BTreeMap::new());
        pictures.publish(&files, &|path, bytes| {
            out.lock().unwrap().insert(path.to_string(), bytes);
        });
        out.into_inner().unwrap()
    };
    let first = publish();
    let kept: Vec<_> = std::fs::read_dir(folder.path().join(CACHE_FOLDER).join("images"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 2, "the picture and its copy 480 wide: {kept:?}");
    // What the cache holds is what a build publishes, without encoding again.
    for path in &kept {
        std::fs::write(path, b"from the cache").unwrap();
    }
    let second = publish();
    assert_ne!(first, second);
    assert!(second.values().all(|b| b == b"from the cache"));
}

#[test]
fn a_picture_that_cannot_be_read_is_reported_and_published_as_it_is() {
    let files = BTreeMap::from([("broken.jpg".to_string(), b"not a picture".to_vec())]);
    let (pictures, problems) = Pictures::plan(Path::new("."), &files);
    assert!(pictures.get("broken.jpg").is_none());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("cannot be read"),
        "{}",
        problems[0].message
    );
}

#[test]
fn widths_never_exceed_the_picture() {
    let small = planned_picture("s.jpg", Format::Jpeg, 300, 200);
    assert!(small.variants.is_empty());
    assert_eq!(small.fallback_set(), [("s.jpg".to_string(), 300)]);
    let big = planned_picture("b.jpg", Format::Jpeg, 4000, 3000);
    let widths: Vec<u32> = big.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [480, 800, 1200, 1600]);
    assert_eq!(big.variants[0].height, 360);
    // The 4000-pixel picture itself is not offered to a page: 1600 is the widest.
    assert!(big.fallback_set().iter().all(|(p, _)| p != "b.jpg"));
}

#[test]
fn markdown_shows_a_picture_of_the_site_at_its_sizes() {
    let files = BTreeMap::from([("photos/tea.jpg".to_string(), plain_jpeg(1000, 500))]);
    let (pictures, _) = Pictures::plan(Path::new("."), &files);
    let routes = std::collections::HashMap::new();
    let base = crate::model::urls::BaseUrl::parse("https://example.org/peer/").unwrap();
    let links = crate::markdown::Links {
        routes_by_source: &routes,
        base_url: &base,
        raw_html: false,
        pictures: &pictures,
    };
    let page = |source: &str| {
        crate::markdown::render(
            &crate::model::Markdown {
                source: source.into(),
                file: "content/a.md".into(),
                first_line: 1,
            },
            &links,
        )
    };
    let shown = page("Tea:\n\n![Six *people* with mugs](/photos/tea.jpg \"Our Tuesday\")\n");
    assert_eq!(
        shown.html,
        "<p>Tea:</p>\n<p><img src=\"/peer/photos/tea.jpg\" srcset=\"/peer/photos/tea.480w.jpg 480w, /peer/photos/tea.800w.jpg 800w, /peer/photos/tea.jpg 1000w\" sizes=\"(min-width: 44rem) 42rem, calc(100vw - 2rem)\" width=\"1000\" height=\"500\" alt=\"Six people with mugs\" title=\"Our Tuesday\" loading=\"lazy\" decoding=\"async\"></p>\n"
    );
    assert!(shown.diagnostics.is_empty());
    // Cleaned with the page's own HTML, it keeps its sizes.
    let with_html = page("<b>Tea</b>\n\n![Mugs](/photos/tea.jpg)\n");
    assert!(
        with_html
            .html
            .contains("srcset=\"/peer/photos/tea.480w.jpg 480w,"),
        "{}",
        with_html.html
    );
    assert!(with_html.html.contains("width=\"1000\" height=\"500\""));
    // An image elsewhere is left as it is.
    let other = page("![Mugs](https://example.org/tea.jpg)\n");
    assert!(
        other
            .html
            .contains("<img src=\"https://example.org/tea.jpg\" alt=\"Mugs\""),
        "{}",
        other.html
    );
}
