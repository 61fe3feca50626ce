// The meeting finder on /meetings/: filters that list the meetings that match and live in the URL,
// "happening now" / "next" computed from each meeting's own time zone whatever the
// browser's zone, the page without JavaScript, and the printed schedule.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DESKTOP, SCREENSHOT_DIR, servedSite, withPage } from '../lib/harness.js';

const served = servedSite();

/**
 * Runs `body(page)` in a fresh desktop-sized context made with `options`, then checks
 * that nothing left the machine and that nothing went wrong in the page (withPage).
 */
function onDesktop(options, body) {
  return withPage(served.browser, { viewport: DESKTOP, ...options }, body);
}

/** The data of every meeting card, and whether it is shown. */
function cards(page) {
  return page.locator('.meeting').evaluateAll((els) => els.map((el) => ({
    href: el.querySelector('.card-title a')?.getAttribute('href'),
    day: el.dataset.day,
    format: el.dataset.format,
    timeOfDay: el.dataset.timeOfDay,
    types: Array.from(el.querySelectorAll('.types li'), (li) => li.textContent.trim()),
    language: el.querySelector('.language [lang]')?.getAttribute('lang') ?? null,
    visible: el.checkVisibility(),
    // Paused: its dates not meeting run from the beginning of time (`0000-01-01/…`).
    paused: (el.dataset.cancelled || '').split(' ').some((r) => r.startsWith('0000-01-01/')),
  })));
}

/**
 * The finder's results once they are in (the status line gives a count): each row's
 * link, status and text, and whether the results and the full schedule are shown.
 */
async function results(page) {
  await page.waitForFunction(() => /\d/.test(document.getElementById('filter-status').textContent));
  return page.evaluate(() => ({
    shown: document.getElementById('finder-results').checkVisibility(),
    schedule: document.getElementById('schedule').checkVisibility(),
    status: document.getElementById('filter-status').textContent.trim(),
    rows: Array.from(document.querySelectorAll('#finder-results li'), (li) => ({
      href: li.querySelector('a').getAttribute('href'),
      when: li.querySelector('.status').textContent,
      text: li.textContent.replace(/\s+/g, ' ').trim(),
    })),
  }));
}

const sorted = (list) => [...list].sort();
const meetingsUrl = () => `${served.origin}/meetings/`;

describe('meeting finder', () => {
  test('the form is shown with JavaScript, and a day lists just that day\'s meetings', async () => {
    await onDesktop({}, async (page) => {
      const requested = [];
      page.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await page.goto(meetingsUrl());
      const form = page.locator('#meeting-filters');
      assert.ok(await form.isVisible(), 'the filter form is hidden although JavaScript runs');
      const all = await cards(page);
      assert.ok(all.length > 1, 'too few meetings on /meetings/ to test the filters');
      assert.ok(all.every((c) => c.visible), 'not every meeting is shown before filtering');
      assert.ok(!(await page.locator('#finder-results').isVisible()), 'results are shown before any choice');
      assert.equal(await page.locator('#filter-status').getAttribute('role'), 'status');
      assert.ok(!requested.includes('/meetings/finder.json'), 'the finder\'s data is loaded before the finder is used');

      const wednesday = all.filter((c) => !c.paused && c.day === 'wednesday');
      assert.ok(wednesday.length > 0 && wednesday.length < all.length, 'the example site needs some meetings on a Wednesday');
      await page.locator('select[name="day"]').selectOption('wednesday');

      const found = await results(page);
      assert.ok(requested.includes('/meetings/finder.json'), 'the finder did not load its data');
      assert.ok(found.shown && !found.schedule, 'the results should replace the full schedule');
      assert.deepEqual(sorted(found.rows.map((r) => r.href)), sorted(wednesday.map((c) => c.href)), 'the results are not exactly the Wednesday meetings');
      assert.match(found.status, new RegExp(`\\b${wednesday.length}\\b`), `the status line "${found.status}" does not give the count ${wednesday.length}`);
      assert.equal(new URL(page.url()).searchParams.get('day'), 'wednesday', `the URL ${page.url()} does not carry ?day=wednesday`);
    });
  });

  test('a time of day lists the meetings at that time of day', async () => {
    await onDesktop({}, async (page) => {
      await page.goto(meetingsUrl());
      const mornings = (await cards(page)).filter((c) => c.timeOfDay === 'morning');
      assert.ok(mornings.length > 0, 'the example site needs a morning meeting');
      assert.ok(mornings.some((c) => c.paused), 'the example site needs a paused morning meeting');
      await page.locator('select[name="time"]').selectOption('morning');
      const found = await results(page);
      // The finder lists the meetings that meet in the weeks ahead: not a paused one.
      assert.deepEqual(sorted(found.rows.map((r) => r.href)), sorted(mornings.filter((c) => !c.paused).map((c) => c.href)));
      assert.equal(new URL(page.url()).searchParams.get('time'), 'morning');
    });
  });

  test('meeting types combine with AND, and the language narrows too', async () => {
    await onDesktop({}, async (page) => {
      await page.goto(meetingsUrl());
      const all = await cards(page);
      const boxes = page.locator('input[name="type"]');
      const labels = await boxes.evaluateAll((els) => els.map((el) => ({ key: el.value, label: el.parentNode.textContent.trim() })));
      // Two types that some meetings have together, and some have only one of.
      const pairs = labels.flatMap((a, i) => labels.slice(i + 1).map((b) => [a, b]));
      const pair = pairs.find(([a, b]) => {
        const both = all.filter((c) => c.types.includes(a.label) && c.types.includes(b.label)).length;
        const either = all.filter((c) => c.types.includes(a.label) || c.types.includes(b.label)).length;
        return both > 0 && either > both;
      });
      assert.ok(pair, 'the example site needs two meeting types that meet both together and apart');
      for (const { key } of pair) await page.locator(`input[name="type"][value="${key}"]`).check();
      const both = all.filter((c) => !c.paused && pair.every(({ label }) => c.types.includes(label)));
      const found = await results(page);
      assert.deepEqual(sorted(found.rows.map((r) => r.href)), sorted(both.map((c) => c.href)), `not the meetings that are both ${pair[0].key} and ${pair[1].key}`);
      assert.deepEqual(new URL(page.url()).searchParams.getAll('type'), pair.map(({ key }) => key));

      await page.locator('#meeting-filters button[type="reset"]').click();
      await page.locator('select[name="language"]').selectOption('es');
      const spanish = all.filter((c) => !c.paused && c.language === 'es');
      assert.ok(spanish.length > 0, 'the example site needs a meeting in Spanish');
      const inSpanish = await results(page);
      assert.deepEqual(sorted(inSpanish.rows.map((r) => r.href)), sorted(spanish.map((c) => c.href)));
    });
  });

  test('a URL with filters restores the controls and lists only matching meetings', async () => {
    await onDesktop({}, async (page) => {
      await page.goto(`${meetingsUrl()}?day=wednesday&format=online`);
      assert.equal(await page.locator('select[name="day"]').inputValue(), 'wednesday');
      assert.ok(await page.locator('input[name="format"][value="online"]').isChecked(), 'the "online" box is not ticked');
      for (const other of ['in-person', 'hybrid']) {
        const box = page.locator(`input[name="format"][value="${other}"]`);
        if (await box.count()) assert.ok(!(await box.isChecked()), `the "${other}" box is ticked`);
      }
      const all = await cards(page);
      const expected = all.filter((c) => !c.paused && c.day === 'wednesday' && c.format === 'online');
      assert.ok(expected.length > 0, 'the example site needs an online meeting on a Wednesday');
      const found = await results(page);
      assert.deepEqual(sorted(found.rows.map((r) => r.href)), sorted(expected.map((c) => c.href)));
      assert.match(found.status, new RegExp(`\\b${expected.length}\\b`), `the status line "${found.status}" does not give the count`);

      // The reset button brings back the whole schedule and clears the URL.
      await page.locator('#meeting-filters button[type="reset"]').click();
      await page.waitForFunction(() => window.location.search === '');
      assert.ok((await cards(page)).every((c) => c.visible), 'not every meeting is shown after reset');
      assert.ok(!(await page.locator('#finder-results').isVisible()), 'the results stay after reset');
      assert.equal(await page.locator('select[name="day"]').inputValue(), '');
    });
  });

  test('without JavaScript the form stays hidden and every meeting is listed', async () => {
    await onDesktop({ javaScriptEnabled: false }, async (page) => {
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
  await onDesktop({ timezoneId, locale: 'en-GB', at: instant }, async (page) => {
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

  test('the finder lists the meeting in progress first, then the next', async () => {
    // Sunday 19:30 in New York: Across the Pond is on; every other meeting is later.
    await onDesktop({ timezoneId: 'Asia/Tokyo', locale: 'en-GB', at: '2026-11-30T00:30:00Z' }, async (page) => {
      await page.goto(`${meetingsUrl()}?format=online`);
      const found = await results(page);
      assert.ok(found.rows.length > 1, 'the example site needs several online meetings');
      assert.equal(found.rows[0].href, '/meetings/depression-and-anxiety-across-the-pond/');
      assert.equal(found.rows[0].when, 'Happening now');
      assert.ok(found.rows.slice(1).every((r) => r.when !== 'Happening now'), 'a meeting not on is "Happening now"');
      // The others in the order of their next dates, as each meeting's own page gives
      // them that day.
      const dates = [];
      for (const row of found.rows.slice(1)) {
        await page.goto(served.origin + row.href);
        await page.waitForFunction(() => !document.querySelector('[data-as-of]'));
        dates.push(await page.locator('[data-next] time').first().getAttribute('datetime'));
      }
      assert.deepEqual(dates, [...dates].sort(), `not soonest first: ${found.rows.slice(1).map((r, i) => `${r.href} ${dates[i]}`)}`);
    });
  });
});

describe('printing /meetings/', () => {
  test('shows the schedule with its legend, addresses and online links, without the controls', async () => {
    await onDesktop({}, async (page) => {
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
    await onDesktop({}, async (page) => {
      await page.goto(`${meetingsUrl()}?day=wednesday`);
      const found = await results(page);
      await page.emulateMedia({ media: 'print' });
      assert.ok(found.rows.length > 0);
      assert.ok(await page.locator('#finder-results').isVisible(), 'the results are not printed');
      assert.ok(!(await page.locator('#schedule').isVisible()), 'the whole week is printed');
      assert.ok(await page.locator('.legend').isVisible(), 'the legend is not printed');
    });
  });
});
