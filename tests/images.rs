//! Pictures as a visitor's browser and `check --strict` meet them: a phone's photo,
//! with its camera, time and place in EXIF, is published without any of it (read back
//! by `kamadak-exif`), offered at the widths a screen needs with its size, made once
//! and then taken from the cache, which is never published.

mod common;

use std::fs;
use std::io::Cursor;

use common::{peerpress, stdout, Fixture};
use exif::{experimental::Writer, Field, In, Rational, Tag, Value};

/// A 1000×600 JPEG whose EXIF names the camera and the place it was taken.
fn photo_with_gps() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(1000, 600, |x, y| {
        image::Rgb([(x / 4) as u8, (y / 3) as u8, 100])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&picture)
        .unwrap();
    let fields = [
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"PhoneMaker".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![Rational { num: 51, denom: 1 }; 3]),
        },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff.into_inner());
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    out.extend(app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The widths the 1,000-pixel garden photo of [`site_with_photo`] is offered in.
const GARDEN_SRCSET: &str =
    "srcset=\"/photos/garden.480w.jpg 480w, /photos/garden.800w.jpg 800w, /photos/garden.jpg 1000w\"";

fn site_with_photo() -> Fixture {
    let site = Fixture::new();
    let photo = site.path().join("static/photos/garden.jpg");
    fs::create_dir_all(photo.parent().unwrap()).unwrap();
    fs::write(&photo, photo_with_gps()).unwrap();
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\nOur garden:\n\n![Raised beds of vegetables by a brick wall](/photos/garden.jpg)\n",
    );
    site
}

#[test]
fn a_phone_photo_is_published_without_its_place_at_the_sizes_a_screen_needs() {
    let site = site_with_photo();
    let built = site.build(&[]).success();
    assert!(
        stdout(&built).contains("Built"),
        "{}",
        common::stderr(&built)
    );
    assert!(common::stderr(&built).contains("records the place it was taken"));
    let original = fs::read(site.path().join("static/photos/garden.jpg")).unwrap();
    assert!(exif::Reader::new()
        .read_from_container(&mut Cursor::new(&original))
        .is_ok());
    for name in ["garden.jpg", "garden.480w.jpg", "garden.800w.jpg"] {
        let bytes = fs::read(site.public().join("photos").join(name)).unwrap();
        assert!(
            exif::Reader::new()
                .read_from_container(&mut Cursor::new(&bytes))
                .is_err(),
            "{name} still has EXIF"
        );
        assert!(!bytes.windows(10).any(|w| w == b"PhoneMaker"), "{name}");
    }
    let page = site.page("about/index.html");
    assert!(
        page.contains(&format!("<img src=\"/photos/garden.jpg\" {GARDEN_SRCSET}")),
        "{page}"
    );
    assert!(page.contains(
        "width=\"1000\" height=\"600\" alt=\"Raised beds of vegetables by a brick wall\""
    ));

    // Made once: the next build takes every picture from the cache, which is not
    // published.
    let cache = site.path().join(".peerpress-cache/images");
    let made: Vec<_> = fs::read_dir(&cache).unwrap().collect();
    assert_eq!(made.len(), 3);
    for entry in fs::read_dir(&cache).unwrap() {
        fs::write(entry.unwrap().path(), b"kept").unwrap();
    }
    site.build(&[]).success();
    assert_eq!(
        fs::read(site.public().join("photos/garden.480w.jpg")).unwrap(),
        b"kept"
    );
    assert!(!site.public().join(".peerpress-cache").exists());
}

#[test]
fn check_strict_counts_warnings_as_errors() {
    let site = site_with_photo();
    site.write(
        "content/news.md",
        "---\ntitle: News\n---\nRead the report [here](https://example.org/report).\n",
    );
    // The photo's place, the vague link, and the fixture's link to an anchor about.md lost.
    let lenient = peerpress().arg("check").arg(site.path()).assert().success();
    assert!(
        stdout(&lenient).contains("no errors, 3 warnings"),
        "{}",
        stdout(&lenient)
    );
    let strict = peerpress()
        .args(["check", "--strict"])
        .arg(site.path())
        .assert()
        .code(1);
    assert!(
        stdout(&strict).contains("3 warnings, which `--strict` counts as errors"),
        "{}",
        stdout(&strict)
    );
    // `check` reads pictures' headers only: it makes nothing.
    assert!(!site.path().join(".peerpress-cache").exists());
}

#[test]
fn a_picture_named_from_the_page_or_from_static_is_offered_at_the_sizes_a_screen_needs() {
    let site = site_with_photo();
    site.write(
        "content/visit/garden.md",
        "---\ntitle: The garden\n---\n![Beds seen from the gate](../../static/photos/garden.jpg)\n\n![Beds seen from the shed](photos/garden.jpg \"In May\")\n\n[Our leaflet](../../static/leaflet.pdf)\n",
    );
    site.write("static/leaflet.pdf", "%PDF-1.4\n");
    site.build(&[]).success();
    let page = site.page("visit/garden/index.html");
    let offered = format!("<img src=\"/photos/garden.jpg\" {GARDEN_SRCSET}");
    assert_eq!(page.matches(&offered).count(), 2, "{page}");
    assert!(page.contains("width=\"1000\" height=\"600\" alt=\"Beds seen from the gate\""));
    assert!(page.contains("alt=\"Beds seen from the shed\" title=\"In May\""));
    // Any other file of `static/` named from the page is linked where it is published.
    assert!(
        page.contains("<a href=\"/leaflet.pdf\">Our leaflet</a>"),
        "{page}"
    );
}

#[test]
fn a_picture_a_page_shows_with_its_own_html_is_given_its_size() {
    let site = site_with_photo();
    site.write(
        "content/visit/garden.md",
        "---\ntitle: The garden\n---\nThe beds: <img src=\"/photos/garden.jpg\" alt=\"Beds seen from the gate\">\n\n<img src=\"/photos/garden.jpg\" alt=\"Small\" width=\"200\">\n\nFrom the file: <img src=\"../../static/photos/garden.jpg\" alt=\"The beds again\">\n\n<img src=\"../../static/photos/garden.jpg\" alt=\"Tiny\" width=\"100\">\n",
    );
    let site_yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    // Shown across the text column.
    let sized = format!("{GARDEN_SRCSET} sizes=\"(min-width: 44rem) 42rem, calc(100vw - 2rem)\" width=\"1000\" height=\"600\"");
    // Whether the page's HTML is cleaned or trusted as it is.
    for raw_html in [false, true] {
        site.write("site.yaml", &format!("{site_yaml}\nraw_html: {raw_html}\n"));
        site.build(&[]).success();
        let page = site.page("visit/garden/index.html");
        assert!(
            page.contains(&format!("The beds: <img {sized} src=\"/photos/garden.jpg\" alt=\"Beds seen from the gate\">")),
            "{page}"
        );
        // One that says its own size keeps it, and gets no other.
        assert!(
            page.contains("<img src=\"/photos/garden.jpg\" alt=\"Small\" width=\"200\">"),
            "{page}"
        );
        // Written from the page's file, as in Markdown: given the picture's address on
        // the site too, which a browser finds.
        assert!(
            page.contains(&format!(
                "From the file: <img {sized} src=\"/photos/garden.jpg\" alt=\"The beds again\">"
            )),
            "{page}"
        );
        assert!(
            page.contains("<img src=\"/photos/garden.jpg\" alt=\"Tiny\" width=\"100\">"),
            "{page}"
        );
    }
}

#[test]
fn a_template_shows_a_picture_as_markdown_does() {
    let site = site_with_photo();
    site.write(
        "templates/gallery.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{{ picture(\"photos/garden.jpg\", alt=\"Raised beds\", sizes=\"20rem\") }}\n{% endblock %}\n",
    );
    site.write(
        "content/gallery.md",
        "---\ntitle: Gallery\ntemplate: gallery.html\n---\n",
    );
    site.build(&[]).success();
    let page = site.page("gallery/index.html");
    assert!(
        page.contains(&format!("<img src=\"/photos/garden.jpg\" {GARDEN_SRCSET} sizes=\"20rem\" width=\"1000\" height=\"600\" alt=\"Raised beds\" loading=\"lazy\" decoding=\"async\">")),
        "{page}"
    );

    // A picture that is not there, or has no description, stops the build at the
    // template's line, saying what to write.
    for (call, says) in [
        (
            "picture(\"photos/gardn.jpg\", alt=\"Raised beds\")",
            "there is no picture `static/photos/gardn.jpg`",
        ),
        (
            "picture(\"photos/garden.jpg\")",
            "needs a description: add `alt=\"…\"`",
        ),
    ] {
        site.write(
            "templates/gallery.html",
            &format!("{{% extends \"base.html\" %}}\n{{% block content %}}\n{{{{ {call} }}}}\n{{% endblock %}}\n"),
        );
        let failed = site.build(&[]).failure();
        let stderr = common::stderr(&failed);
        assert!(stderr.contains("templates/gallery.html:3"), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
    }
}
