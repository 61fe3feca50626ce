// Pages that do not go stale: the home page's "coming up" and each meeting's next dates
// and "not meeting on" are written when the site is built, and the page's script writes
// them again for the day the visitor reads the page. The site built on 23 November is
// read weeks later, in a browser in Tokyo, and must show exactly what a build made on
// that later day shows; PeerPress's own recurrence code is the oracle. Without
// JavaScript the built text stays and says which day it was true.
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DESKTOP,
  REPO_DIR,
  SOURCE_DATE_EPOCH,
  buildSite,
  launchBrowser,
  serve,
  withPage,
} from '../lib/harness.js';

/** Later days to read the site on, each for a reason. */
const LATER = [
  '2026-12-07T12:00:00Z', // two weeks on: a Wednesday meeting earlier that week, once
  '2026-12-22T10:00:00Z', // four weeks on, in the week of the Christmas cancellations
  '2027-01-04T21:30:00Z', // a Monday evening just after its meeting, which was cancelled
  '2027-03-29T12:00:00Z', // both zones' clocks have gone forward; the walk has ended
];

const epochOf = (instant) => String(Date.parse(instant) / 1000);

let browser;
let scratch;
/** Per clock ("24h", "12h"): { first, later: { instant: build } }, each build served. */
const builds = {};

async function served(options) {
  const site = await buildSite(options);
  const server = await serve(site.dir);
  return { site, server, origin: server.origin };
}

before(async () => {
  browser = await launchBrowser();
  scratch = await mkdtemp(path.join(tmpdir(), 'peerpress-dates-'));
  const twelve = path.join(scratch, 'example-site-12h');
  await cp(path.join(REPO_DIR, 'example-site'), twelve, { recursive: true });
  await appendFile(path.join(twelve, 'site.yaml'), '\nclock: 12h\n');
  for (const [clock, source] of [['24h', undefined], ['12h', twelve]]) {
    builds[clock] = { first: await served({ source, epoch: SOURCE_DATE_EPOCH }), later: {} };
    for (const instant of LATER) {
      builds[clock].later[instant] = await served({ source, epoch: epochOf(instant) });
    }
  }
});

after(async () => {
  await browser?.close();
  for (const clock of Object.values(builds)) {
    for (const b of [clock.first, ...Object.values(clock.later)]) {
      await b.server.close();
      await b.site.cleanup();
    }
  }
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/**
 * Runs `body(page)` in a fresh desktop-sized context made with `options`, the clock set
 * to `instant` if given, then checks that nothing left the machine and nothing failed in
 * the page (withPage).
 */
function readAt(options, instant, body) {
  return withPage(browser, { viewport: DESKTOP, ...options, at: instant }, body);
}

/** The script's reading: JavaScript on, a browser in Tokyo with American settings. */
const READER = { timezoneId: 'Asia/Tokyo', locale: 'en-US' };
/** The built text alone. */
const NO_SCRIPT = { javaScriptEnabled: false };

/** "Coming up" as a visitor sees it: each day's heading and its meetings in order. */
function comingUp(page) {
  return page.evaluate(() => {
    const days = document.querySelector('#upcoming [data-days]');
    return {
      days: [...days.querySelectorAll('h3')].map((h) => ({
        date: h.querySelector('time').dateTime,
        heading: h.textContent.trim(),
        meetings: [...h.nextElementSibling.querySelectorAll('li')].map((li) =>
          `${li.querySelector('.time').textContent} ${li.querySelector('a').getAttribute('href')}`),
      })),
      text: days.innerText.replace(/\s+/g, ' ').trim(),
      note: document.querySelector('#upcoming .note').textContent.trim(),
    };
  });
}

/** A meeting page's dates as a visitor sees them. */
function meetingDates(page) {
  return page.evaluate(() => {
    const shown = (el) => Boolean(el) && el.checkVisibility();
    const dates = (selector) => [...document.querySelectorAll(selector)]
      .filter(shown).map((t) => `${t.dateTime} ${t.textContent}`);
    return {
      next: dates('#meeting-dates [data-next] time'),
      notMeeting: dates('#meeting-dates ul[data-not-meeting] time'),
      notMeetingHeading: shown(document.querySelector('#meeting-dates h3[data-not-meeting]')),
      ended: [...document.querySelectorAll('.notice')].some(shown),
      asOf: [...document.querySelectorAll('[data-as-of]')].filter(shown).map((p) => p.textContent.trim()),
    };
  });
}

/** The addresses of every meeting page of the example site. */
async function meetingPaths(origin) {
  let paths;
  await readAt(NO_SCRIPT, null, async (page) => {
    await page.goto(`${origin}/meetings/`);
    paths = await page.locator('.meeting .card-title a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  });
  return [...new Set(paths)];
}

describe('"coming up" on the home page, read weeks after the build', () => {
  for (const clock of ['24h', '12h']) {
    for (const instant of LATER) {
      test(`on ${instant} (${clock} clock) it lists what a build that day lists`, async () => {
        let built;
        await readAt(NO_SCRIPT, null, async (page) => {
          await page.goto(`${builds[clock].later[instant].origin}/`);
          built = await comingUp(page);
        });
        await readAt(READER, instant, async (page) => {
          await page.goto(`${builds[clock].first.origin}/`);
          const live = await comingUp(page);
          assert.deepEqual(live.days, built.days);
          assert.equal(live.text, built.text);
          assert.equal(live.note, 'Meetings in the next seven days.');
        });
      });
    }
  }

  test('four weeks on, the week of cancellations shows only the meetings that take place', async () => {
    await readAt(READER, '2026-12-22T10:00:00Z', async (page) => {
      await page.goto(`${builds['24h'].first.origin}/`);
      assert.deepEqual((await comingUp(page)).days, [
        {
          date: '2026-12-26',
          heading: 'Saturday 26 December',
          meetings: ['09:30 /meetings/mens-group-saturday-walk/'],
        },
        {
          // Sundays 19:00 in New York: midnight in London, the site's zone.
          date: '2026-12-28',
          heading: 'Monday 28 December',
          meetings: ['00:00 /meetings/depression-and-anxiety-across-the-pond/'],
        },
      ]);
    });
    await readAt(READER, '2026-12-22T10:00:00Z', async (page) => {
      await page.goto(`${builds['12h'].first.origin}/`);
      const times = (await comingUp(page)).days.flatMap((d) => d.meetings.map((m) => m.split(' ')[0]));
      assert.deepEqual(times, ['9:30am', '12:00am']);
    });
  });

  test('on the day of a meeting, "today" marks it and a meeting already over is gone', async () => {
    // Monday 4 January 2027, 21:30 in London: the Monday night group (19:30-21:00) is
    // over, and was cancelled anyway; Tuesday's group is back after Christmas.
    await readAt(READER, '2027-01-04T21:30:00Z', async (page) => {
      await page.goto(`${builds['24h'].first.origin}/`);
      const { days } = await comingUp(page);
      assert.equal(days[0].date, '2027-01-05', 'the first day listed is not the next one with a meeting');
      assert.ok(days[0].meetings.includes('19:00 /meetings/hearing-voices-tuesday-evening/'), JSON.stringify(days[0]));
      assert.ok(days.every((d) => d.date >= '2027-01-04' && d.date <= '2027-01-10'), 'a day outside the coming week is listed');
      assert.ok(!days.flatMap((d) => d.meetings).some((m) => m.includes('mens-group-monday-evening')));
    });
  });

  test('without JavaScript the built list stays and says which day it was made', async () => {
    await readAt(NO_SCRIPT, null, async (page) => {
      await page.goto(`${builds['24h'].first.origin}/`);
      const { note, days } = await comingUp(page);
      assert.equal(note, 'Meetings in the next seven days, as of Monday 23 November 2026.');
      assert.equal(days[0].heading, 'Monday 23 November (today)');
      assert.ok(await page.locator('#upcoming template').count(), 'the meetings of other weeks are not in the page');
      assert.equal(await page.locator('#upcoming li:visible').count(), await page.locator('#upcoming [data-days] li').count());
    });
  });
});

describe('a meeting\'s next dates and "not meeting on", read weeks after the build', () => {
  test('every meeting page shows what a build that day shows', async () => {
    const paths = await meetingPaths(builds['24h'].first.origin);
    assert.ok(paths.length > 10, 'too few meeting pages found');
    for (const instant of LATER) {
      const expected = {};
      await readAt(NO_SCRIPT, null, async (page) => {
        for (const p of paths) {
          await page.goto(`${builds['24h'].later[instant].origin}${p}`);
          expected[p] = await meetingDates(page);
        }
      });
      await readAt(READER, instant, async (page) => {
        for (const p of paths) {
          await page.goto(`${builds['24h'].first.origin}${p}`);
          const live = await meetingDates(page);
          assert.deepEqual(live.next, expected[p].next, `${p} on ${instant}: next dates`);
          assert.deepEqual(live.notMeeting, expected[p].notMeeting, `${p} on ${instant}: not meeting on`);
          assert.equal(live.notMeetingHeading, expected[p].notMeetingHeading, `${p} on ${instant}: the "not meeting on" heading`);
          assert.equal(live.ended, expected[p].ended, `${p} on ${instant}: whether it says it has ended`);
          assert.deepEqual(live.asOf, [], `${p}: the "as of" line is still shown`);
        }
      });
    }
  });

  test('a weekly meeting after Christmas: no past dates, and past cancellations gone', async () => {
    const p = '/meetings/hearing-voices-tuesday-evening/';
    await readAt(READER, '2026-12-22T10:00:00Z', async (page) => {
      await page.goto(`${builds['24h'].first.origin}${p}`);
      const dates = await meetingDates(page);
      assert.deepEqual(dates.next, [
        '2027-01-05 Tuesday 5 January 2027',
        '2027-01-12 Tuesday 12 January 2027',
        '2027-01-19 Tuesday 19 January 2027',
        '2027-01-26 Tuesday 26 January 2027',
      ]);
      assert.deepEqual(dates.notMeeting, ['2026-12-22 Tuesday 22 December 2026', '2026-12-29 Tuesday 29 December 2026']);
    });
    await readAt(READER, '2027-01-04T21:30:00Z', async (page) => {
      await page.goto(`${builds['24h'].first.origin}${p}`);
      const dates = await meetingDates(page);
      assert.equal(dates.next[0], '2027-01-05 Tuesday 5 January 2027');
      assert.deepEqual(dates.notMeeting, []);
      assert.equal(dates.notMeetingHeading, false, 'the "not meeting on" heading stays with nothing under it');
    });
  });

  test('a meeting that has ended since the build says so', async () => {
    await readAt(READER, '2027-03-29T12:00:00Z', async (page) => {
      await page.goto(`${builds['24h'].first.origin}/meetings/mens-group-saturday-walk/`);
      const dates = await meetingDates(page);
      assert.deepEqual(dates.next, []);
      assert.equal(dates.ended, true);
    });
  });

  test('without JavaScript the built dates stay and say which day they were made', async () => {
    await readAt(NO_SCRIPT, '2026-12-22T10:00:00Z', async (page) => {
      await page.goto(`${builds['24h'].first.origin}/meetings/hearing-voices-tuesday-evening/`);
      const dates = await meetingDates(page);
      assert.equal(dates.next[0], '2026-11-24 Tuesday 24 November 2026');
      assert.deepEqual(dates.asOf, ['Dates as of Monday 23 November 2026.']);
    });
  });
});

/** The meeting cards a visitor sees, by address. */
function shownCards(page) {
  return page.locator('.meeting').evaluateAll((cards) => cards
    .filter((card) => card.checkVisibility())
    .map((card) => card.querySelector('.card-title a').getAttribute('href')));
}

describe('a meeting that has ended since the build', () => {
  const instant = '2027-03-29T12:00:00Z';
  for (const p of ['/meetings/', '/groups/mens-group/']) {
    test(`leaves ${p} as in a build made that day`, async () => {
      let expected;
      await readAt(NO_SCRIPT, null, async (page) => {
        await page.goto(`${builds['24h'].later[instant].origin}${p}`);
        expected = await shownCards(page);
      });
      await readAt(READER, instant, async (page) => {
        await page.goto(`${builds['24h'].first.origin}${p}`);
        const live = await shownCards(page);
        assert.ok(!live.includes('/meetings/mens-group-saturday-walk/'), 'the walk, which has ended, is still shown');
        assert.deepEqual(live, expected);
        if (p === '/meetings/') {
          // Nor does the finder list it, although its data was made before it ended.
          await page.goto(`${builds['24h'].first.origin}${p}?day=saturday`);
          await page.waitForFunction(() => /\d/.test(document.getElementById('filter-status').textContent));
          const found = await page.locator('#finder-results li a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
          assert.ok(found.length > 0, 'no Saturday meeting is found');
          assert.ok(!found.includes('/meetings/mens-group-saturday-walk/'), 'the finder lists the walk, which has ended');
        }
      });
    });
  }
});
