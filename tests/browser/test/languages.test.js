// The example site in English and Spanish, in a real browser: the language switcher
// (plain links, by keyboard and without JavaScript) goes between a page and its
// translation; every page names its translations for search engines (hreflang); a
// page not yet translated says so in Spanish and marks its English text; the Spanish
// news list is split into pages as the English one is; and the translated pages pass
// axe (WCAG 2.2 AA) and the Nu HTML Checker.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  formatViolations,
  htmlPages,
  isLocal,
  openPage,
  runAxe,
  servedSite,
  vnu,
} from '../lib/harness.js';

const served = servedSite();

/** Each `<link rel="alternate" hreflang>` of the page, as { hreflang: href }. */
async function alternates(page) {
  return page.locator('head link[rel="alternate"][hreflang]').evaluateAll((links) =>
    Object.fromEntries(links.map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')])));
}

test('the switcher goes from a page to its translation and back, without JavaScript', async () => {
  const { context, page, network, errors } = await openPage(served.browser, { javaScriptEnabled: false });
  try {
    await page.goto(`${served.origin}/about/`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const switcher = page.locator('nav.languages');
    assert.equal(await switcher.getAttribute('aria-label'), 'Languages');
    const current = switcher.locator('a[aria-current="page"]');
    assert.equal((await current.textContent()).trim(), 'English');
    const spanish = switcher.locator('a[hreflang="es"]');
    assert.equal(await spanish.getAttribute('lang'), 'es');
    await spanish.click();
    await page.waitForURL(`${served.origin}/es/about/`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    assert.equal((await page.locator('h1').textContent()).trim(), 'Quiénes somos');
    assert.equal(
      (await page.locator('nav.languages a[aria-current="page"]').textContent()).trim(),
      'Español',
    );
    // The Spanish menu and crisis lines.
    assert.ok(await page.locator('header nav a', { hasText: 'Grupos' }).count() > 0);
    assert.ok(await page.getByText('Servicios de emergencia').count() > 0);
    // Back to English by keyboard.
    await page.locator('nav.languages a[hreflang="en"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${served.origin}/about/`);
    assert.deepEqual(network.filter((url) => !isLocal(url)), [], 'no request to another host');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every page names its translations for search engines, the default as x-default', async () => {
  const { context, page } = await openPage(served.browser);
  try {
    const base = 'https://riverside-peer.example.org';
    for (const route of ['', 'about/', 'values/hope/', 'groups/carers/', 'meetings/', 'news/page/2/']) {
      for (const prefix of ['', 'es/']) {
        await page.goto(`${served.origin}/${prefix}${route}`);
        assert.deepEqual(await alternates(page), {
          en: `${base}/${route}`,
          es: `${base}/es/${route}`,
          'x-default': `${base}/${route}`,
        }, `/${prefix}${route}`);
      }
    }
  } finally {
    await context.close();
  }
});

test('a page not yet translated says so in Spanish and marks its English text', async () => {
  const { context, page } = await openPage(served.browser);
  try {
    await page.goto(`${served.origin}/es/values/recovery/`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    const notice = page.locator('main > p.translation-missing');
    assert.match(await notice.textContent(), /aún no está disponible en español/);
    assert.equal(await notice.evaluate((el) => el.closest('[lang]').getAttribute('lang')), 'es');
    const text = page.locator('main > article[lang="en"]');
    assert.match(await text.textContent(), /Recovery looks different for everyone|For some people, recovery/);
    // The theme's words around it are Spanish, and marked as the page is.
    const other = page.locator('#other-values');
    assert.equal(await other.evaluate((el) => el.closest('[lang]').getAttribute('lang')), 'es');
    // On a group's page, its words are English, the labels Spanish.
    await page.goto(`${served.origin}/es/groups/mens-group/`);
    assert.equal(await page.locator('main h1').getAttribute('lang'), 'en');
    const label = page.locator('dl.facts dt').first();
    assert.equal(await label.evaluate((el) => el.closest('[lang]').getAttribute('lang')), 'es');
    // A translated page has no such notice.
    await page.goto(`${served.origin}/es/values/hope/`);
    assert.equal(await page.locator('.translation-missing').count(), 0);
    assert.equal((await page.locator('h1').textContent()).trim(), 'Esperanza');
  } finally {
    await context.close();
  }
});

test('the Spanish news list is split into pages as the English one is', async () => {
  const { context, page } = await openPage(served.browser, { javaScriptEnabled: false });
  try {
    await page.goto(`${served.origin}/es/news/`);
    const pages = [];
    for (;;) {
      pages.push(new URL(page.url()).pathname);
      const older = page.locator('nav.pagination a[rel="next"]');
      if ((await older.count()) === 0) break;
      await older.click();
    }
    assert.deepEqual(pages, ['/es/news/', '/es/news/page/2/', '/es/news/page/3/']);
    const feed = await page.request.get(`${served.origin}/es/news/atom.xml`);
    assert.equal(feed.status(), 200);
    assert.match(await feed.text(), /xml:lang="es"/);
  } finally {
    await context.close();
  }
});

test('the translated pages pass axe (WCAG 2.2 AA)', { timeout: 300_000 }, async () => {
  const spanish = (await htmlPages(served.site.dir)).filter((p) => p.urlPath.startsWith('/es/'));
  assert.ok(spanish.length > 20, `the Spanish pages: ${spanish.length}`);
  const { context, page } = await openPage(served.browser);
  try {
    const failures = [];
    for (const { urlPath } of spanish) {
      await page.goto(`${served.origin}${urlPath}`);
      const violations = await runAxe(page);
      if (violations.length) failures.push(`${urlPath}\n${formatViolations(violations)}`);
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  } finally {
    await context.close();
  }
});

test('the translated pages pass the Nu HTML Checker', { timeout: 300_000 }, async () => {
  const spanish = (await htmlPages(served.site.dir)).filter((p) => p.urlPath.startsWith('/es/'));
  const dir = await mkdtemp(path.join(tmpdir(), 'peerpress-vnu-es-'));
  try {
    assert.ok(spanish.length > 0, 'no Spanish page');
    // A page with a known error proves the checker looked at the files.
    await writeFile(path.join(dir, 'canary.html'), '<!DOCTYPE html><html lang="es"><title>c</title><p><div></p>');
    const result = await vnu([path.join(served.site.dir, 'es'), dir]);
    const lines = result.output.split('\n').filter((line) => line.trim() !== '');
    assert.ok(lines.some((line) => line.includes('canary.html')), result.output);
    const errors = lines.filter((line) => !line.includes('canary.html'));
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
