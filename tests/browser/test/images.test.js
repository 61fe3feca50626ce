// Pictures: the example site's photo on /about/ is offered at several widths, the
// browser picks the one its screen needs, nothing on the page moves as it loads
// (width and height are known up front: cumulative layout shift 0), it comes from the
// site itself, and what is served carries no EXIF.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { servedSite, withPage } from '../lib/harness.js';

const served = servedSite();

for (const { width, expected } of [
  // 375 px: the picture is the screen less its margins (343 px), so the 480 px copy.
  { width: 375, expected: '/sunrise.480w.jpg' },
  // 1280 px: the text column, 42rem (672 px), so the 800 px copy.
  { width: 1280, expected: '/sunrise.800w.jpg' },
]) {
  test(`the photo at ${width} px: the right size, no layout shift, nothing from elsewhere`, async () => {
    await withPage(served.browser, { viewport: { width, height: 800 }, deviceScaleFactor: 1 }, async (page) => {
      await page.context().addInitScript(() => {
        window.__shifts = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) window.__shifts += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      const received = new Map();
      page.on('response', async (response) => {
        if (/\.(jpg|webp|png)$/.test(new URL(response.url()).pathname)) {
          received.set(new URL(response.url()).pathname, await response.body());
        }
      });
      await page.goto(`${served.origin}/about/`);
      const img = page.locator('img[src*="sunrise"]');
      assert.equal(await img.getAttribute('width'), '960');
      assert.equal(await img.getAttribute('height'), '640');
      assert.match(await img.getAttribute('alt'), /sun rising/);
      // Lazy: it loads as it is scrolled into view, and the page must not move then.
      await img.scrollIntoViewIfNeeded();
      await page.waitForFunction(
        () => {
          const el = document.querySelector('img[src*="sunrise"]');
          return el && el.complete && el.naturalWidth > 0;
        },
        null,
        { timeout: 10000 },
      );
      const current = new URL(await img.evaluate((el) => el.currentSrc)).pathname;
      assert.equal(current, expected);
      // Its box had the picture's proportions before it arrived, and keeps them.
      const box = await img.boundingBox();
      assert.ok(Math.abs(box.width / box.height - 960 / 640) < 0.01, JSON.stringify(box));
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => window.__shifts), 0, 'cumulative layout shift');
      const bytes = received.get(expected);
      assert.ok(bytes && bytes.length > 0, `${expected} was served`);
      assert.equal(bytes.includes(Buffer.from('Exif')), false, 'no EXIF in what is served');
    });
  });
}
