// Search: the header's box leads to the search page, which finds pages with the site's
// own index (Pagefind's script and WebAssembly, served by the site), shows each result's
// kind and a meeting's day and time, announces the number of results, asks nothing of
// another host and passes axe; without JavaScript it lists the site's A–Z lists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, formatViolations, runAxe, servedSite, withPage } from '../lib/harness.js';

const served = servedSite();

/** Types `query` in the header's box on the home page, and waits for the results. */
async function searchFromHeader(page, query) {
  await page.goto(`${served.origin}/`);
  await page.getByRole('searchbox', { name: 'Search this site' }).first().fill(query);
  await page.getByRole('search').first().getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/search\//);
  await page.waitForFunction(() => document.getElementById('search-status')?.textContent.trim() !== '');
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent.trim(),
    results: Array.from(document.querySelectorAll('#search-results li')).map((li) => ({
      href: new URL(li.querySelector('a').href).pathname,
      title: li.querySelector('a').textContent,
      about: li.querySelector('.search-kind').textContent,
    })),
    address: window.location.href,
  }));
}

test('a search from the header finds the group, says its kind and announces the count', async () => {
  await withPage(served.browser, {}, async (page, { network }) => {
    const found = await searchFromHeader(page, 'hearing voices');
    const group = found.results.find((r) => r.href === '/groups/hearing-voices/');
    assert.ok(group, `no result for the group: ${JSON.stringify(found.results)}`);
    assert.equal(group.about, 'Group');
    assert.match(found.status, new RegExp(`^${found.results.length} results? for “hearing voices”$`));
    const live = await page.locator('#search-status').getAttribute('aria-live');
    assert.equal(live, 'polite');
    // The words searched for are not left in the address bar.
    assert.doesNotMatch(found.address, /hearing/);
    assert.ok(network.some((url) => url.includes('/pagefind/')), 'the index was not read');

    const violations = await runAxe(page);
    assert.equal(violations.length, 0, `axe on the results:\n${formatViolations(violations)}`);
  });
});

test('a meeting result shows its day and time', async () => {
  await withPage(served.browser, {}, async (page) => {
    const found = await searchFromHeader(page, 'hearing voices');
    const meeting = found.results.find((r) => r.href === '/meetings/hearing-voices-tuesday-evening/');
    assert.ok(meeting, `no result for the meeting: ${JSON.stringify(found.results)}`);
    assert.match(meeting.about, /^Meeting · .*Tuesday.*\d{2}:\d{2}–\d{2}:\d{2}$/);
  });
});

test('a Spanish word finds the Spanish group', async () => {
  await withPage(served.browser, {}, async (page) => {
    for (const word of ['español', 'hispanohablantes']) {
      const found = await searchFromHeader(page, word);
      assert.ok(
        found.results.some((r) => r.href === '/groups/grupo-en-espanol/'),
        `“${word}” did not find the Spanish group: ${JSON.stringify(found.results)}`,
      );
    }
  });
});

test('the Spanish search page searches the Spanish pages', async () => {
  await withPage(served.browser, {}, async (page) => {
    await page.goto(`${served.origin}/es/search/?q=${encodeURIComponent('respiro')}`);
    await page.waitForFunction(() => document.getElementById('search-status')?.textContent.trim() !== '');
    const results = await page.evaluate(() => Array.from(document.querySelectorAll('#search-results li')).map((li) => ({
      href: new URL(li.querySelector('a').href).pathname,
      about: li.querySelector('.search-kind').textContent,
    })));
    const carers = results.find((r) => r.href === '/es/groups/carers/');
    assert.ok(carers, `“respiro” did not find the Spanish carers' page: ${JSON.stringify(results)}`);
    assert.equal(carers.about, 'Grupo');
    assert.ok(results.every((r) => r.href.startsWith('/es/')), JSON.stringify(results));
  });
});

test('a search that finds nothing says so', async () => {
  await withPage(served.browser, {}, async (page) => {
    const found = await searchFromHeader(page, 'xylophone');
    assert.equal(found.results.length, 0);
    assert.match(found.status, /^No results for “xylophone”/);
  });
});

test('only the search page loads the search script, and only a search loads the index', async () => {
  await withPage(served.browser, {}, async (page, { network }) => {
    await page.goto(`${served.origin}/groups/`);
    await page.goto(`${served.origin}/search/`);
    await page.waitForLoadState('load');
    const searchScripts = network.filter((url) => /search\.js|pagefind/.test(url));
    assert.deepEqual(searchScripts.map((url) => new URL(url).pathname), ['/assets/search.js']);
  });
});

test('without JavaScript the box leads to the search page, which lists the A–Z lists', async () => {
  await withPage(served.browser, { javaScriptEnabled: false }, async (page) => {
    await page.goto(`${served.origin}/`);
    await page.getByRole('searchbox', { name: 'Search this site' }).fill('hearing voices');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\/\?q=hearing/);
    const shown = await page.evaluate(() => ({
      text: document.querySelector('main').innerText,
      links: Array.from(document.querySelectorAll('main .search-lists a')).map((a) => new URL(a.href).pathname),
    }));
    assert.match(shown.text, /Search needs JavaScript/);
    assert.deepEqual(shown.links, ['/groups/', '/meetings/', '/directory/', '/values/', '/topics/']);
    assert.equal(await page.locator('.search-form').isVisible(), false);
  });
});

test('the search form works by keyboard alone', async () => {
  await withPage(served.browser, { viewport: DESKTOP }, async (page) => {
    await page.goto(`${served.origin}/search/`);
    await page.locator('#search-q').focus();
    await page.keyboard.type('carers');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
    const first = await page.locator('#search-results a').first().getAttribute('href');
    assert.ok(first, 'no result link');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.closest('#search-results') !== null);
    assert.ok(focused, 'Tab from the form does not reach the results');
  });
});
