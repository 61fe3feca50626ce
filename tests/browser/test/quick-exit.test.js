// Quick exit: Shift pressed three times, or the button used by keyboard, replaces the
// current page in the history with the neutral site (no entry left behind for it);
// without JavaScript the button is a plain link there. The neutral site is answered
// locally, so nothing leaves the machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, NEUTRAL_URL, servedSite, withPage } from '../lib/harness.js';

const NEUTRAL_PAGE = {
  contentType: 'text/html; charset=utf-8',
  body: '<!DOCTYPE html><html lang="en"><title>Weather</title><h1>Weather</h1>',
};

const served = servedSite();

/**
 * Runs `body(page)` in a fresh desktop-sized context whose only way out is the neutral
 * site, answered locally; then checks that nothing else left the machine and that
 * nothing went wrong in the page (withPage).
 */
function onSite(options, body) {
  return withPage(served.browser, { viewport: DESKTOP, ...options }, async (page) => {
    // Notes in this tab's sessionStorage the page whose content was hidden (the quick
    // exit blanks the page at once, before the neutral site answers).
    await page.context().addInitScript(() => {
      if (location.hostname !== '127.0.0.1') return;
      new MutationObserver(() => {
        if (document.documentElement?.style.display === 'none') {
          sessionStorage.setItem('peerpress-test-blanked', location.pathname);
        }
      }).observe(document, { attributes: true, attributeFilter: ['style'], subtree: true });
    });
    await body(page);
  }, { [NEUTRAL_URL]: NEUTRAL_PAGE });
}

/** Opens page A then page B in the same tab, and returns B's history length. */
async function visitTwoPages(page) {
  await page.goto(`${served.origin}/`);
  await page.goto(`${served.origin}/groups/`);
  await page.locator('#quick-exit').waitFor();
  return page.evaluate(() => history.length);
}

async function expectNoHistoryEntryLeft(page, lengthOnB) {
  await page.waitForURL(NEUTRAL_URL);
  assert.equal(await page.title(), 'Weather', 'the neutral page was not shown');
  const lengthAfter = await page.evaluate(() => history.length);
  assert.equal(lengthAfter, lengthOnB, 'the quick exit added a history entry instead of replacing the page');
  await page.goBack();
  assert.equal(
    page.url(),
    `${served.origin}/`,
    'going back after the quick exit must land on the page before the one it was used on, not on it',
  );
}

test('pressing Shift three times replaces the page with the neutral site', async () => {
  await onSite({}, async (page) => {
    const lengthOnB = await visitTwoPages(page);
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await expectNoHistoryEntryLeft(page, lengthOnB);
    assert.equal(
      await page.evaluate(() => sessionStorage.getItem('peerpress-test-blanked')),
      '/groups/',
      'the page was not blanked when the quick exit was used',
    );
  });
});

test('two presses of Shift do not leave the page', async () => {
  await onSite({}, async (page) => {
    await visitTwoPages(page);
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.keyboard.press('a');
    assert.equal(page.url(), `${served.origin}/groups/`);
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).display), 'block');
  });
});

test('the quick exit button is reached with Tab and works with Enter', async () => {
  await onSite({}, async (page) => {
    const lengthOnB = await visitTwoPages(page);
    const button = page.locator('#quick-exit');
    assert.ok(await button.isVisible(), 'the quick exit button is not visible');
    const box = await button.boundingBox();
    assert.ok(box.width >= 24 && box.height >= 24, `the button is ${box.width}×${box.height} px, under 24×24`);
    let tabs = 0;
    while (tabs < 5 && !(await page.evaluate(() => document.activeElement?.id === 'quick-exit'))) {
      await page.keyboard.press('Tab');
      tabs += 1;
    }
    assert.ok(await page.evaluate(() => document.activeElement?.id === 'quick-exit'), 'Tab never reached the quick exit button');
    assert.ok(tabs <= 2, `the quick exit button took ${tabs} presses of Tab to reach; it should come right after the skip link`);
    const name = await button.evaluate((el) => el.textContent.trim());
    assert.ok(name.length > 0, 'the button has no visible label');
    await page.keyboard.press('Enter');
    await expectNoHistoryEntryLeft(page, lengthOnB);
  });
});

test('without JavaScript the quick exit is a plain link to the neutral site', async () => {
  await onSite({ javaScriptEnabled: false }, async (page) => {
    const lengthOnB = await visitTwoPages(page);
    const button = page.locator('#quick-exit');
    assert.ok(await button.isVisible(), 'the quick exit button is not visible without JavaScript');
    const link = await button.evaluate((el) => ({ tag: el.tagName, href: el.href, role: el.getAttribute('role') }));
    assert.deepEqual(link, { tag: 'A', href: NEUTRAL_URL, role: null });
    await button.click();
    await page.waitForURL(NEUTRAL_URL);
    assert.equal(await page.title(), 'Weather');
    // A plain link adds a history entry, as any link does (the control for the
    // history checks of the tests above).
    assert.equal(await page.evaluate(() => history.length), lengthOnB + 1);
    await page.goBack();
    assert.equal(page.url(), `${served.origin}/groups/`);
  });
});

test('the page on browsing safely is linked from the quick exit bar', async () => {
  await onSite({}, async (page) => {
    await page.goto(`${served.origin}/`);
    const href = await page.locator('.quick-exit-bar a:not(#quick-exit)').first().getAttribute('href');
    const response = await page.goto(new URL(href, page.url()).href);
    assert.equal(response.status(), 200);
    assert.ok(await page.locator('#quick-exit').isVisible());
  });
});
