// The meeting finder on /meetings/: filters that narrow the list and live in the URL,
// "happening now" / "next" computed from each meeting's own time zone whatever the
// browser's zone, the page without JavaScript, and the printed schedule.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  SCREENSHOT_DIR,
  buildSite,
  guardNetwork,
  isLocal,
  launchBrowser,
  serve,
  watchErrors,
} from '../lib/harness.js';

let site;
let server;
let browser;

before(async () => {
  site = await buildSite();
  server = await serve(site.dir);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await site?.cleanup();
});

/**
 * Runs `body(page)` in a fresh context made with `options`, then checks that nothing
 * left the machine and that nothing went wrong in the page's console.
 */
async function withPage(options, body) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  try {
    const network = await guardNetwork(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await body(page);
    assert.deepEqual(network.filter((url) => !isLocal(url)), [], 'a request went to another host');
    assert.deepEqual(errors, [], 'errors in the page');
  } finally {
    await context.close();
  }
}

/** The data of every meeting card, and whether it is shown. */
function cards(page) {
  return page.locator('.meeting').evaluateAll((els) => els.map((el) => ({
    href: el.querySelector('.card-title a')?.getAttribute('href'),
    day: el.dataset.day,
    format: el.dataset.format,
    timeOfDay: el.dataset.timeOfDay,
    visible: el.checkVisibility(),
  })));
}

const meetingsUrl = () => `${server.origin}/meetings/`;

describe('meeting filters', () => {
  test('the filter form is shown with JavaScript, and a day narrows the list', async () => {
    await withPage({}, async (page) => {
      await page.goto(meetingsUrl());
      const form = page.locator('#meeting-filters');
      assert.ok(await form.isVisible(), 'the filter form is hidden although JavaScript runs');
      const all = await cards(page);
      assert.ok(all.length > 1, 'too few meetings on /meetings/ to test the filters');
      assert.ok(all.every((c) => c.visible), 'not every meeting is shown before filtering');
      assert.equal(await page.locator('#filter-status').getAttribute('role'), 'status');

      const wednesday = all.filter((c) => c.day === 'wednesday');
      assert.ok(wednesday.length > 0 && wednesday.length < all.length, 'the example site needs some meetings on a Wednesday');
      await page.locator('select[name="day"]').selectOption('wednesday');

      const shown = (await cards(page)).filter((c) => c.visible);
      assert.deepEqual(shown.map((c) => c.href), wednesday.map((c) => c.href), 'the cards shown are not exactly the Wednesday meetings');
      const status = (await page.locator('#filter-status').textContent()).trim();
      assert.match(status, new RegExp(`\\b${wednesday.length}\\b`), `the status line "${status}" does not give the count ${wednesday.length}`);
      assert.equal(new URL(page.url()).searchParams.get('day'), 'wednesday', `the URL ${page.url()} does not carry ?day=wednesday`);
      // Days with no match are hidden with their heading, the Wednesday section stays.
      assert.ok(await page.locator('section.day#wednesday').isVisible());
      assert.ok(!(await page.locator('section.day#monday').isVisible()), 'the Monday section is still shown');
    });
  });

  test('a time of day narrows the list to that time of day', async () => {
    await withPage({}, async (page) => {
      await page.goto(meetingsUrl());
      const all = await cards(page);
      const mornings = all.filter((c) => c.timeOfDay === 'morning');
      await page.locator('select[name="time"]').selectOption('morning');
      const shown = (await cards(page)).filter((c) => c.visible);
      assert.deepEqual(shown.map((c) => c.href), mornings.map((c) => c.href));
      assert.equal(new URL(page.url()).searchParams.get('time'), 'morning');
    });
  });

  test('a URL with filters restores the controls and shows only matching meetings', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${meetingsUrl()}?day=wednesday&format=online`);
      assert.equal(await page.locator('select[name="day"]').inputValue(), 'wednesday');
      assert.ok(await page.locator('input[name="format"][value="online"]').isChecked(), 'the "online" box is not ticked');
      for (const other of ['in-person', 'hybrid']) {
        const box = page.locator(`input[name="format"][value="${other}"]`);
        if (await box.count()) assert.ok(!(await box.isChecked()), `the "${other}" box is ticked`);
      }
      const all = await cards(page);
      const shown = all.filter((c) => c.visible);
      const expected = all.filter((c) => c.day === 'wednesday' && c.format === 'online');
      assert.ok(expected.length > 0, 'the example site needs an online meeting on a Wednesday');
      assert.deepEqual(shown.map((c) => c.href), expected.map((c) => c.href));
      const status = (await page.locator('#filter-status').textContent()).trim();
      assert.match(status, new RegExp(`\\b${expected.length}\\b`), `the status line "${status}" does not give the count`);

      // The reset button shows every meeting again and clears the URL.
      await page.locator('#meeting-filters button[type="reset"]').click();
      await page.waitForFunction(() => window.location.search === '');
      const after = await cards(page);
      assert.ok(after.every((c) => c.visible), 'not every meeting is shown after reset');
      assert.equal(await page.locator('select[name="day"]').inputValue(), '');
      const statusAfter = (await page.locator('#filter-status').textContent()).trim();
      assert.match(statusAfter, new RegExp(`\\b${all.length}\\b`), `the status line "${statusAfter}" does not give the count ${all.length}`);
    });
  });

  test('without JavaScript the form stays hidden and every meeting is listed', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${meetingsUrl()}?day=wednesday&format=online`);
      assert.ok(!(await page.locator('#meeting-filters').isVisible()), 'the filter form is shown without JavaScript, where it cannot work');
      const all = await cards(page);
      assert.ok(all.length > 1);
      assert.ok(all.every((c) => c.visible), 'some meetings are hidden without JavaScript');
      assert.equal(await page.locator('.meeting [data-status]:visible').count(), 0, 'a status is shown without JavaScript');
    });
  });
});

/**
 * The status text of a meeting card on /meetings/ at `instant`, in a browser whose
 * time zone is `timezoneId`.
 */
async function statusAt(instant, timezoneId, cardSelector) {
  let text;
  await withPage({ timezoneId, locale: 'en-GB' }, async (page) => {
    await page.clock.setFixedTime(new Date(instant));
    await page.goto(meetingsUrl());
    const card = page.locator(cardSelector);
    assert.equal(await card.count(), 1, `no single card matches ${cardSelector}`);
    const status = card.locator('[data-status]');
    await status.waitFor({ state: 'visible' });
    text = (await status.textContent()).trim();
  });
  return text;
}

const ACROSS_THE_POND = '.meeting[data-timezone="America/New_York"]:has(a[href="/meetings/depression-and-anxiety-across-the-pond/"])';
const LONDON_TUESDAY = '.meeting[data-timezone="Europe/London"][data-frequency="weekly"]:has(a[href="/meetings/hearing-voices-tuesday-evening/"])';

describe('happening now and next, from the meeting\'s own time zone', () => {
  // "Across the Pond" meets on Sundays, 19:00–20:00 in New York. The browser is in Tokyo,
  // where those instants fall on a Monday morning and a Sunday night.
  test('a New York meeting in progress is "Happening now" for a browser in Tokyo', async () => {
    // Monday 30 Nov 2026 00:30 UTC = Sunday 19:30 EST = Monday 09:30 in Tokyo.
    const text = await statusAt('2026-11-30T00:30:00Z', 'Asia/Tokyo', ACROSS_THE_POND);
    assert.equal(text, 'Happening now');
  });

  test('the same meeting is "Next: today, 19:00 EST" earlier that Sunday', async () => {
    // Sunday 29 Nov 2026 12:00 UTC = Sunday 07:00 EST = Sunday 21:00 in Tokyo, when a
    // Sunday 19:00 in Tokyo's own zone would already be over.
    const text = await statusAt('2026-11-29T12:00:00Z', 'Asia/Tokyo', ACROSS_THE_POND);
    assert.equal(text, 'Next: today, 19:00 EST');
  });

  test('the same meeting after it ends points to the next Sunday', async () => {
    // Monday 30 Nov 2026 01:30 UTC = Sunday 20:30 EST, half an hour after it ended.
    const text = await statusAt('2026-11-30T01:30:00Z', 'Asia/Tokyo', ACROSS_THE_POND);
    assert.equal(text, 'Next: Sunday 6 December, 19:00 EST');
  });

  test('a weekly London meeting is right for a browser in Los Angeles', async () => {
    // Tuesdays 19:00–20:30 in London (GMT in November); the site has meetings in two
    // zones, so each names its own.
    assert.equal(await statusAt('2026-11-24T19:15:00Z', 'America/Los_Angeles', LONDON_TUESDAY), 'Happening now');
    assert.equal(await statusAt('2026-11-24T12:00:00Z', 'Asia/Tokyo', LONDON_TUESDAY), 'Next: today, 19:00 GMT');
    assert.equal(await statusAt('2026-11-23T20:00:00Z', 'America/Los_Angeles', LONDON_TUESDAY), 'Next: tomorrow, 19:00 GMT');
    assert.equal(await statusAt('2026-11-24T20:45:00Z', 'Asia/Tokyo', LONDON_TUESDAY), 'Next: Tuesday 1 December, 19:00 GMT');
    // Read in April, the page built in November names summer time.
    assert.equal(await statusAt('2027-04-05T12:00:00Z', 'Asia/Tokyo', LONDON_TUESDAY), 'Next: tomorrow, 19:00 BST');
  });

  test('the now/next panel lists the meeting in progress', async () => {
    await withPage({ timezoneId: 'Asia/Tokyo', locale: 'en-GB' }, async (page) => {
      await page.clock.setFixedTime(new Date('2026-11-30T00:30:00Z'));
      await page.goto(meetingsUrl());
      const panel = page.locator('#now-next');
      await panel.waitFor({ state: 'visible' });
      const text = await panel.textContent();
      assert.match(text, /Happening now: Across the Pond/);
    });
  });
});

describe('printing /meetings/', () => {
  test('shows the schedule with its legend, addresses and online links, without the controls', async () => {
    await withPage({}, async (page) => {
      await page.goto(meetingsUrl());
      await page.emulateMedia({ media: 'print' });
      assert.ok(await page.locator('.legend').isVisible(), 'the legend is not printed');
      assert.ok(!(await page.locator('#meeting-filters').isVisible()), 'the filters are printed');
      assert.ok(!(await page.locator('.quick-exit-bar').isVisible()), 'the quick exit bar is printed');
      assert.ok(await page.locator('.crisis').isVisible(), 'the crisis help is not printed');
      const all = await cards(page);
      assert.ok(all.every((c) => c.visible), 'some meetings are not printed');
      const details = await page.locator('.print-details').evaluateAll((els) => els.map((el) => ({
        visible: el.checkVisibility(),
        text: el.textContent.trim(),
      })));
      assert.equal(details.length, all.length, 'not every meeting has print details');
      assert.ok(details.every((d) => d.visible), 'some print details are hidden in print');
      assert.ok(details.some((d) => /\d/.test(d.text) && !/https?:/.test(d.text)), 'no address is printed');
      assert.ok(details.some((d) => /https:\/\//.test(d.text)), 'no online link is printed');

      await page.emulateMedia({ media: 'screen' });
      assert.ok(!(await page.locator('.print-details').first().isVisible()), 'the print details show on screen');

      await page.emulateMedia({ media: 'print' });
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.pdf({ path: path.join(SCREENSHOT_DIR, 'meetings-print.pdf'), format: 'A4', printBackground: false });
    });
  });

  test('a filtered view prints only the meetings chosen', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${meetingsUrl()}?day=wednesday`);
      await page.emulateMedia({ media: 'print' });
      const shown = (await cards(page)).filter((c) => c.visible);
      assert.ok(shown.length > 0);
      assert.ok(shown.every((c) => c.day === 'wednesday'), 'meetings of other days are printed');
      assert.ok(await page.locator('.legend').isVisible(), 'the legend is not printed');
    });
  });
});
