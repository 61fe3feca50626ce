#!/usr/bin/env python3
"""Reads every Atom feed (`atom.xml`) of a built site with Python's `feedparser`, an
independent reader used by many feed apps, and checks what a reader would show:

- every feed is well-formed Atom 1.0 (not "bozo"), with a title, an id, an update
  time, an author and links to itself and to its section's page;
- every entry has a unique id, a title, a date and a link to a page the site has;
  entries come newest first, and none is dated after the feed;
- the links and pictures in an entry's text, resolved against `xml:base` as readers
  do, are full addresses, and those into the site lead to files it has;
- every page that advertises a feed (`<link rel="alternate" type="application/atom+xml">`)
  points at a feed the site has.

Usage: check_feeds.py PUBLIC_DIR
Prints "N passed, M failed" and exits non-zero on any failure.
"""
import html.parser
import pathlib
import sys
import urllib.parse

import feedparser


class Links(html.parser.HTMLParser):
    """The `href` and `src` of every element, and the feeds a page advertises."""

    def __init__(self):
        super().__init__()
        self.targets = []
        self.feeds = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.targets.append(attrs[name])
        if tag == "link" and attrs.get("type") == "application/atom+xml":
            self.feeds.append(attrs.get("href"))


def file_of(public, site_root, url):
    """The file of the site a full address leads to, or None if it is elsewhere."""
    if not url.startswith(site_root):
        return None
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path[len(urllib.parse.urlsplit(site_root).path):])
    target = public / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def check_feed(public, path):
    problems = []
    feed = feedparser.parse(path.read_bytes())
    if feed.bozo:
        return [f"{path}: not well-formed: {feed.bozo_exception}"]
    if feed.version != "atom10":
        problems.append(f"{path}: read as {feed.version!r}, not Atom 1.0")
    head = feed.feed
    for key in ("title", "id", "updated_parsed", "author"):
        if not head.get(key):
            problems.append(f"{path}: the feed has no {key}")
    rels = {link.get("rel"): link.get("href") for link in head.get("links", [])}
    site_root = head.get("author_detail", {}).get("href", "")
    if not site_root.startswith("http"):
        problems.append(f"{path}: the author's uri is not the site's address: {site_root!r}")
    if "self" not in rels or not rels["self"].endswith(str(path.relative_to(public)).replace("\\", "/")):
        problems.append(f"{path}: rel=self is {rels.get('self')!r}")
    if "alternate" not in rels or not file_of(public, site_root, rels["alternate"]).exists():
        problems.append(f"{path}: rel=alternate is {rels.get('alternate')!r}, not a page of the site")
    if not feed.entries:
        problems.append(f"{path}: no entries")
    ids = set()
    previous = None
    for entry in feed.entries:
        name = entry.get("id", "?")
        if not entry.get("id") or name in ids:
            problems.append(f"{path}: entry id {name!r} is missing or not unique")
        ids.add(name)
        if not entry.get("title"):
            problems.append(f"{name}: no title")
        updated = entry.get("updated_parsed")
        if not updated:
            problems.append(f"{name}: no date")
            continue
        if previous and updated > previous:
            problems.append(f"{name}: not newest first")
        if head.get("updated_parsed") and updated > head.updated_parsed:
            problems.append(f"{name}: dated after the feed")
        previous = updated
        page = file_of(public, site_root, entry.get("link", ""))
        if page is None or not page.exists():
            problems.append(f"{name}: links to {entry.get('link')!r}, not a page of the site")
        for content in entry.get("content", []):
            links = Links()
            links.feed(content.value)
            for target in links.targets:
                if not urllib.parse.urlsplit(target).scheme:
                    problems.append(f"{name}: `{target}` is not a full address once resolved")
                    continue
                linked = file_of(public, site_root, target.split("#")[0])
                if linked is not None and not linked.exists():
                    problems.append(f"{name}: `{target}` leads to no file of the site")
    return problems


def check_adverts(public):
    problems = []
    for page in public.rglob("*.html"):
        links = Links()
        links.feed(page.read_text(encoding="utf-8"))
        for href in links.feeds:
            site_path = href.lstrip("/")
            if not (public / site_path).is_file():
                problems.append(f"{page}: advertises {href}, which the site does not have")
    return problems


def main():
    public = pathlib.Path(sys.argv[1])
    feeds = sorted(public.rglob("atom.xml"))
    if not feeds:
        print(f"no atom.xml in {public}")
        return 1
    passed = failed = 0
    for problems in [check_feed(public, path) for path in feeds] + [check_adverts(public)]:
        if problems:
            failed += 1
            print("\n".join(problems))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed ({len(feeds)} feeds and the pages' adverts)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
