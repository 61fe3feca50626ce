// News: the example site's news list, three posts to a page, walked through in a
// real browser with the "Older" and "Newer" links and the page numbers, by keyboard
// too, with JavaScript off (the links are plain links); and its feed, advertised in
// every news page's head, is served as the site's own file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { servedSite, withPage } from '../lib/harness.js';

const served = servedSite();

/** The titles of the posts a news page lists, in order. */
function postTitles(page) {
  return page.locator('#children-heading + ul > li > a').allTextContents();
}

test('the news list goes from newest to oldest, three to a page, and back', async () => {
  await withPage(served.browser, { javaScriptEnabled: false }, async (page) => {
    await page.goto(`${served.origin}/news/`);
    const seen = [];
    const pages = [];
    for (;;) {
      pages.push(new URL(page.url()).pathname);
      const titles = await postTitles(page);
      assert.ok(titles.length > 0 && titles.length <= 3, `${page.url()}: ${titles}`);
      seen.push(...titles);
      const current = page.locator('nav.pagination [aria-current="page"]');
      assert.equal((await current.textContent()).trim().replace(/\s+/g, ' '), `Page ${pages.length}`);
      const older = page.locator('nav.pagination a[rel="next"]');
      if ((await older.count()) === 0) break;
      assert.equal(await page.locator('head link[rel="next"]').getAttribute('href'), await older.getAttribute('href'));
      await older.click();
    }
    assert.deepEqual(pages, ['/news/', '/news/page/2/', '/news/page/3/']);
    assert.equal(seen.length, 7, `every post once: ${seen}`);
    assert.equal(new Set(seen).size, 7);
    assert.equal(seen[0], "Young people's online check-in is growing");
    assert.equal(seen.at(-1), 'Ten years of the Hearing Voices Group');
    assert.ok(!seen.includes('Our summer programme'), 'the scheduled post waits for its day');

    // Back by "Newer", then to page 3 by its number, by keyboard.
    await page.locator('nav.pagination a[rel="prev"]').click();
    assert.equal(new URL(page.url()).pathname, '/news/page/2/');
    await page.locator('nav.pagination a', { hasText: '3' }).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${served.origin}/news/page/3/`);
    assert.equal(await page.locator('nav.pagination a[rel="next"]').count(), 0, 'no page after the last');
    assert.equal(await page.locator('head link[rel="prev"]').getAttribute('href'), '/news/page/2/');
  });
});

test('every news page advertises the news feed, which the site serves', async () => {
  await withPage(served.browser, {}, async (page) => {
    for (const path of ['/', '/news/', '/news/page/2/', '/news/2026-autumn-update/']) {
      await page.goto(`${served.origin}${path}`);
      const href = await page.locator('head link[rel="alternate"][type="application/atom+xml"]').getAttribute('href');
      assert.equal(href, '/news/atom.xml', path);
    }
    const feed = await page.request.get(`${served.origin}/news/atom.xml`);
    assert.equal(feed.status(), 200);
    assert.match(await feed.text(), /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  });
});
