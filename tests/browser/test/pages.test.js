// Every HTML page of the built example site, in Chromium: accessibility (axe-core,
// WCAG 2.2 AA tags), no third-party request, no console error, no horizontal
// scrolling on a phone, page weight, screenshots; then every internal link resolves.
import assert from 'node:assert/strict';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DESKTOP,
  PHONE,
  SCREENSHOT_DIR,
  buildSite,
  formatViolations,
  htmlPages,
  isLocal,
  launchBrowser,
  openPage,
  runAxe,
  screenshotName,
  serve,
} from '../lib/harness.js';

const PAGE_BUDGET = 60 * 1000; // bytes of HTML + CSS + JS for one page, images aside
const SCRIPT_BUDGET = 15 * 1000; // bytes of JavaScript, for one page and for the whole site
// The search page's own script, and the index's (Pagefind's script; its WebAssembly and
// index files are fetched, not scripts), are loaded by the search page alone: they
// have a budget of their own, beside the rest of the site's.
const SEARCH_SCRIPTS = /^(assets\/search\.js|pagefind\/)/;
// The search page, in each language of the site (`/es/search/`).
const SEARCH_PAGE = /^\/([a-z-]+\/)?search\/$/;
const SEARCH_SCRIPT_BUDGET = 5 * 1000; // assets/search.js, loaded with the page
const INDEX_SCRIPT_BUDGET = 50 * 1000; // pagefind/pagefind.js, loaded when a search begins
const NARROWEST = { width: 320, height: 800 }; // 1280 px at 400% zoom

/** Fails, naming the elements past the right edge, if the page scrolls sideways. */
async function assertNoSidewaysScroll(page, urlPath, width) {
  const size = await page.evaluate(() => {
    const root = document.documentElement;
    const describe = (el) => {
      const classes = typeof el.className === 'string' && el.className.trim()
        ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes}`;
    };
    const wide = Array.from(document.body.querySelectorAll('*'))
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
      .slice(0, 5)
      .map((el) => `${describe(el)} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
  });
  assert.ok(
    size.scrollWidth <= size.clientWidth,
    `${urlPath} scrolls sideways at ${width} px: scrollWidth ${size.scrollWidth} > clientWidth ${size.clientWidth}; ` +
    `elements past the edge: ${size.wide.join('; ') || '(none found)'}`,
  );
}

// The list of pages is needed to declare one test per page, so the site is built
// while the file loads; a failed build becomes a failing test with the binary's message.
let site;
let buildError;
let pages = [];
try {
  site = await buildSite();
  pages = await htmlPages(site.dir);
} catch (error) {
  buildError = error;
}

let server;
let browser;
const links = new Map(); // absolute URL without fragment → a page linking to it
const fragments = []; // { from, url, id } for links to #id on a page of the site
const idsByPath = new Map(); // site path → the ids on that page

before(async () => {
  if (buildError) return;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  server = await serve(site.dir);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await site?.cleanup();
});

test('the example site builds', () => {
  if (buildError) throw buildError;
  assert.ok(pages.length > 0, 'the build produced no HTML page');
  assert.ok(pages.some((p) => p.urlPath === '/404.html'), 'the build has no 404.html');
});

test('the whole site ships less than 15 KB of JavaScript', { skip: Boolean(buildError) }, async () => {
  let total = 0;
  const files = [];
  async function walk(folder) {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.m?js$/.test(entry.name)) {
        const { size } = await stat(full);
        const relative = path.relative(site.dir, full).split(path.sep).join('/');
        if (relative === 'assets/search.js') {
          assert.ok(size < SEARCH_SCRIPT_BUDGET, `${relative}: ${size} B ≥ ${SEARCH_SCRIPT_BUDGET} B`);
        } else if (SEARCH_SCRIPTS.test(relative)) {
          assert.ok(size < INDEX_SCRIPT_BUDGET, `${relative}: ${size} B ≥ ${INDEX_SCRIPT_BUDGET} B`);
        } else {
          total += size;
          files.push(`${relative} (${size} B)`);
        }
      }
    }
  }
  await walk(site.dir);
  assert.ok(total < SCRIPT_BUDGET, `JavaScript in the site: ${total} B ≥ ${SCRIPT_BUDGET} B: ${files.join(', ')}`);
});

test('a missing path is answered with the 404 page and status 404', { skip: Boolean(buildError) }, async () => {
  const response = await fetch(`${server.origin}/no-such-page/`, { redirect: 'manual' });
  assert.equal(response.status, 404);
  assert.match(response.headers.get('content-type'), /^text\/html/);
  const body = await response.text();
  assert.match(body, /<html[^>]*\slang="/);
});

describe('every page', { concurrency: 2 }, () => {
  for (const p of pages) {
    test(p.urlPath, { timeout: 120_000 }, async (t) => {
      const { context, page, network, errors } = await openPage(browser, { reducedMotion: 'reduce' });
      try {
        const weights = [];
        page.on('response', async (response) => {
          const type = response.request().resourceType();
          if (!['document', 'stylesheet', 'script'].includes(type)) return;
          const entry = { url: response.url(), type, bytes: 0 };
          weights.push(entry);
          entry.pending = response.body().then((body) => { entry.bytes = body.length; }, () => {});
        });

        const response = await page.goto(server.origin + p.urlPath, { waitUntil: 'load' });
        assert.equal(response.status(), 200, `${p.urlPath} answered ${response.status()}`);
        await Promise.all(weights.map((w) => w.pending));

        // What the page links to, checked once per URL after every page has been seen.
        const found = await page.evaluate(() => ({
          hrefs: Array.from(document.querySelectorAll('a[href], link[href], area[href]'))
            .map((el) => el.getAttribute('href')),
          srcs: Array.from(document.querySelectorAll('img[src], script[src], source[src]'))
            .map((el) => el.getAttribute('src')),
          ids: Array.from(document.querySelectorAll('[id]')).map((el) => el.id),
        }));
        idsByPath.set(new URL(page.url()).pathname, new Set(found.ids));
        for (const href of [...found.hrefs, ...found.srcs]) {
          if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue; // other schemes/hosts
          const url = new URL(href, page.url());
          if (url.hash.length > 1) fragments.push({ from: p.urlPath, url: url.origin + url.pathname, id: decodeURIComponent(url.hash.slice(1)) });
          url.hash = '';
          if (!links.has(url.href)) links.set(url.href, p.urlPath);
        }

        const name = screenshotName(p.urlPath);

        await t.test('axe-core finds no WCAG 2.2 AA violation at 375 px', async () => {
          const violations = await runAxe(page);
          assert.equal(violations.length, 0, `axe-core violations on ${p.urlPath} at 375 px:\n${formatViolations(violations)}`);
        });

        await t.test('no horizontal scrolling at 375 px', async () => {
          await assertNoSidewaysScroll(page, p.urlPath, PHONE.width);
        });

        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-375.png`), fullPage: true });
        await page.setViewportSize(NARROWEST);

        await t.test('no horizontal scrolling at 320 px (WCAG 1.4.10 reflow)', async () => {
          await assertNoSidewaysScroll(page, p.urlPath, NARROWEST.width);
        });

        await page.setViewportSize(DESKTOP);

        await t.test('axe-core finds no WCAG 2.2 AA violation at 1280 px', async () => {
          const violations = await runAxe(page);
          assert.equal(violations.length, 0, `axe-core violations on ${p.urlPath} at 1280 px:\n${formatViolations(violations)}`);
        });

        await t.test('axe-core finds no violation in dark mode', async () => {
          await page.emulateMedia({ colorScheme: 'dark' });
          const violations = await runAxe(page);
          await page.emulateMedia({ colorScheme: 'light' });
          assert.equal(violations.length, 0, `axe-core violations on ${p.urlPath} in dark mode:\n${formatViolations(violations)}`);
        });

        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-1280.png`), fullPage: true });

        await t.test('no request to any host but 127.0.0.1', () => {
          const away = network.filter((url) => !isLocal(url));
          assert.deepEqual(away, [], `${p.urlPath} asked for ${away.join(', ')}`);
        });

        await t.test('no console error and no page error', () => {
          assert.deepEqual(errors, [], `${p.urlPath}:\n${errors.join('\n')}`);
        });

        await t.test('HTML + CSS + JS under 60 KB, JavaScript under 15 KB', () => {
          const total = weights.reduce((sum, w) => sum + w.bytes, 0);
          // On the search page, its own script counts against its own budget.
          const own = (w) => SEARCH_PAGE.test(p.urlPath) && SEARCH_SCRIPTS.test(new URL(w.url).pathname.slice(1));
          const script = weights.filter((w) => w.type === 'script' && !own(w)).reduce((sum, w) => sum + w.bytes, 0);
          const detail = weights.map((w) => `${new URL(w.url).pathname} ${w.bytes} B`).join(', ');
          assert.ok(total < PAGE_BUDGET, `${p.urlPath} weighs ${total} B (budget ${PAGE_BUDGET} B): ${detail}`);
          assert.ok(script < SCRIPT_BUDGET, `${p.urlPath} loads ${script} B of JavaScript (budget ${SCRIPT_BUDGET} B): ${detail}`);
          assert.ok(weights.some((w) => w.type === 'document' && w.bytes > 0), 'the page itself was not measured');
        });
      } finally {
        await context.close();
      }
    });
  }
});

test('every internal link resolves to a page answering 200', { skip: Boolean(buildError) }, async () => {
  assert.ok(links.size > 0, 'no internal link was collected');
  const broken = [];
  for (const [url, from] of links) {
    if (!isLocal(url)) continue;
    const response = await fetch(url, { redirect: 'manual' });
    await response.arrayBuffer();
    if (response.status !== 200) broken.push(`${new URL(url).pathname} (${response.status}), linked from ${from}`);
  }
  assert.deepEqual(broken, [], `broken internal links:\n${broken.join('\n')}`);
});

test('every link to #fragment points at an element on that page', { skip: Boolean(buildError) }, () => {
  const missing = [];
  for (const { from, url, id } of fragments) {
    const ids = idsByPath.get(new URL(url).pathname);
    if (ids && !ids.has(id)) missing.push(`${from} links to ${new URL(url).pathname}#${id}, which has no such id`);
  }
  assert.deepEqual([...new Set(missing)], [], missing.join('\n'));
});
