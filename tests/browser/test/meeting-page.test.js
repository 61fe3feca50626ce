// A meeting page's "open in maps" links, "Report a change" and the zone of its times:
// the links are there, accessible and load nothing until followed; the zone named after
// the time is the one of the date shown, also when the page's script works the next
// date out months after the build.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatViolations, runAxe, servedSite, withPage } from '../lib/harness.js';

const MEETING = '/meetings/hearing-voices-tuesday-evening/';

const served = servedSite();

/** Opens the meeting page (clock at `instant` if given), runs `body`, then checks that
    nothing went to another host and nothing failed. */
function onMeetingPage(instant, body) {
  return withPage(served.browser, { locale: 'en-GB', at: instant }, async (page) => {
    await page.goto(`${served.origin}${MEETING}`);
    await body(page);
  });
}

test('the venue has map links, in a labelled list, that load nothing', async () => {
  await onMeetingPage(null, async (page) => {
    const list = page.getByRole('list', { name: "Find St Mark's Church Hall on a map:" });
    const links = await list.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    assert.deepEqual(links.map(([text]) => text), ['Your map app', 'OpenStreetMap', 'Apple Maps', 'Google Maps']);
    assert.equal(links[0][1], 'geo:52.2461,-1.3917');
    assert.ok(links.slice(1).every(([, href]) => href.startsWith('https://')), JSON.stringify(links));
    assert.equal(await page.locator('iframe, object, embed').count(), 0, 'a map is embedded');
    const report = page.getByRole('link', { name: 'Report a change by e-mail' });
    assert.match(await report.getAttribute('href'), /^mailto:listings@riverside-peer\.example\.org\?subject=/);
  });
});

test('the meeting page passes axe (WCAG 2.2 AA) with its new links', async () => {
  await onMeetingPage(null, async (page) => {
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], formatViolations(violations));
  });
});

test('the zone is named for the next date, also when the script works it out later', async () => {
  const zone = (page) => page.locator('#meeting-zone').evaluate((el) => [el.textContent, el.title]);
  await onMeetingPage(null, async (page) => {
    assert.deepEqual(await zone(page), ['GMT', 'Time in Europe/London']);
  });
  // Read in summer, from the page built in November: the next Tuesday is on BST.
  await onMeetingPage('2027-04-05T10:00:00Z', async (page) => {
    assert.deepEqual(await zone(page), ['BST', 'Time in Europe/London']);
  });
});

test('in print, the zone is named in full and the map links are left out', async () => {
  await onMeetingPage(null, async (page) => {
    await page.emulateMedia({ media: 'print' });
    const after = await page.locator('#meeting-zone').evaluate((el) => getComputedStyle(el, '::after').content);
    assert.equal(after, '" (Time in Europe/London)"');
    assert.equal(await page.locator('.map-links').isVisible(), false);
  });
});
