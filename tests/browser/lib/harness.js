// Shared set-up for the browser tests: build example-site with the PeerPress binary,
// serve the output on 127.0.0.1, and drive Debian's Chromium through playwright-core
// with every request to another host stopped before it leaves the machine. A test file
// that reads one site calls servedSite() once and opens its pages with withPage() (or
// openPage(), to check what it needs itself).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const SUITE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(SUITE_DIR, '..', '..');
export const SCREENSHOT_DIR = path.join(SUITE_DIR, 'screenshots');

/** Monday 23 November 2026, 12:00 UTC: every build of the suite is the same. */
export const SOURCE_DATE_EPOCH = '1795435200';

/** Where the quick exit sends people in example-site (a third-party host). */
export const NEUTRAL_URL = 'https://www.bbc.co.uk/weather';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

function peerpressBinary() {
  if (process.env.PEERPRESS_BIN) return path.resolve(process.env.PEERPRESS_BIN);
  return path.join(REPO_DIR, 'target', 'debug', 'peerpress');
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Builds ../../example-site (or the site folder `source`) into a fresh temporary folder
 * as if at `epoch` (seconds, SOURCE_DATE_EPOCH) and returns { dir, cleanup }. Fails
 * with the binary's own message if the build fails.
 */
export async function buildSite({ source = path.join('..', '..', 'example-site'), epoch = SOURCE_DATE_EPOCH } = {}) {
  const binary = peerpressBinary();
  try {
    await stat(binary);
  } catch {
    throw new Error(
      `PeerPress binary not found at ${binary}.\n` +
      'Build it first (cargo build in the repository root) or set PEERPRESS_BIN.',
    );
  }
  const root = await mkdtemp(path.join(tmpdir(), 'peerpress-browser-'));
  const dir = path.join(root, 'site');
  const result = await run(
    binary,
    ['build', source, '--output-dir', dir],
    { cwd: SUITE_DIR, env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) } },
  );
  if (result.code !== 0) {
    await rm(root, { recursive: true, force: true });
    throw new Error(
      `peerpress build failed (exit ${result.code ?? result.signal}):\n${result.stderr}${result.stdout}`,
    );
  }
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

function genSiteBinary() {
  if (process.env.GEN_SITE_BIN) return path.resolve(process.env.GEN_SITE_BIN);
  // Beside the PeerPress binary: `cargo build --example gen-site` puts it in examples/.
  return path.join(path.dirname(peerpressBinary()), 'examples', 'gen-site');
}

/**
 * Writes the intergroup site of `meetings` meetings (tests/bench/intergroup.rs) into a
 * fresh temporary folder with the gen-site example, and returns { dir, cleanup }.
 */
export async function generateIntergroup(meetings) {
  const binary = genSiteBinary();
  try {
    await stat(binary);
  } catch {
    throw new Error(
      `gen-site not found at ${binary}.
` +
      'Build it first (cargo build --example gen-site in the repository root) or set GEN_SITE_BIN.',
    );
  }
  const root = await mkdtemp(path.join(tmpdir(), 'peerpress-intergroup-'));
  const dir = path.join(root, 'source');
  const result = await run(binary, ['--intergroup', String(meetings), '--out', dir]);
  if (result.code !== 0) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`gen-site failed (exit ${result.code ?? result.signal}):\n${result.stderr}`);
  }
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));
const JAVA = process.env.JAVA || 'java';

/** Runs the Nu HTML Checker over `paths` (files or folders): { code, output }. */
export function vnu(paths) {
  const args = ['-jar', VNU_JAR, '--errors-only', '--skip-non-html', ...paths];
  return new Promise((resolve, reject) => {
    const child = spawn(JAVA, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', (error) => reject(new Error(
      `could not run ${JAVA} (${error.message}); install Java 17 or later (Debian: default-jre-headless)`,
    )));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Every .html file under `dir`, as site paths ("/", "/meetings/", "/404.html"). */
export async function htmlPages(dir) {
  const pages = [];
  async function walk(folder) {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith('.html')) {
        const rel = path.relative(dir, full).split(path.sep).join('/');
        const urlPath = rel === 'index.html'
          ? '/'
          : rel.endsWith('/index.html') ? `/${rel.slice(0, -'index.html'.length)}` : `/${rel}`;
        pages.push({ file: full, rel, urlPath });
      }
    }
  }
  await walk(dir);
  pages.sort((a, b) => a.urlPath.localeCompare(b.urlPath));
  return pages;
}

/** A file name for a page's screenshots: "/" → "home", "/meetings/x/" → "meetings-x". */
export function screenshotName(urlPath) {
  const name = urlPath.replace(/^\/+|\/+$/g, '').replace(/\.html$/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  return name || 'home';
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.ics': 'text/calendar; charset=utf-8',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * A small static file server for `root` on 127.0.0.1 and a free port: index.html for
 * folders (a folder without its trailing slash is redirected, as static hosts do),
 * 404.html with status 404 for anything missing. Returns { origin, close, requests }.
 */
export async function serve(root) {
  const requests = [];
  const notFound = async (res, head) => {
    let body = Buffer.from('Not found\n');
    let type = 'text/plain; charset=utf-8';
    try {
      body = await readFile(path.join(root, '404.html'));
      type = CONTENT_TYPES['.html'];
    } catch { /* no 404 page: plain text */ }
    res.writeHead(404, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(head ? undefined : body);
  };
  const server = http.createServer(async (req, res) => {
    requests.push(req.url);
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    const file = path.join(root, path.normalize(pathname));
    if (pathname.includes('\0') || (file !== root && !file.startsWith(root + path.sep))) {
      await notFound(res, head);
      return;
    }
    let target = file;
    let info;
    try {
      info = await stat(target);
      if (info.isDirectory()) {
        if (!pathname.endsWith('/')) {
          const query = new URL(req.url, 'http://127.0.0.1').search;
          res.writeHead(301, { Location: `${pathname}/${query}` });
          res.end();
          return;
        }
        target = path.join(target, 'index.html');
        info = await stat(target);
      }
      if (!info.isFile()) throw new Error('not a file');
    } catch {
      await notFound(res, head);
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentType(target),
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
    });
    if (head) {
      res.end();
      return;
    }
    createReadStream(target).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** A phone's viewport, the size most tests read pages at. */
export const PHONE = { width: 375, height: 800 };
/** A desktop browser's viewport. */
export const DESKTOP = { width: 1280, height: 900 };

/**
 * The set-up of a test file that reads one site in Chromium: before its tests, builds the
 * site (`options` as for buildSite: the example site unless `source`), serves it and
 * launches the browser; after them, closes all three. Returns an object whose `site`,
 * `server`, `origin` and `browser` are set by the time the first test runs.
 */
export function servedSite(options) {
  const served = {};
  before(async () => {
    served.site = await buildSite(options);
    served.server = await serve(served.site.dir);
    served.origin = served.server.origin;
    served.browser = await launchBrowser();
  });
  after(async () => {
    await served.browser?.close();
    await served.server?.close();
    await served.site?.cleanup();
  });
  return served;
}

/**
 * A fresh context of `browser` (a phone's viewport unless `options` say otherwise; any
 * other option of browser.newContext) with one page: every request is logged and any to
 * another host refused (`allow` answers some locally, as for guardNetwork), and the
 * page's errors are collected. Returns { context, page, network, errors }.
 */
export async function openPage(browser, options = {}, allow = {}) {
  const context = await browser.newContext({ viewport: PHONE, ...options });
  const network = await guardNetwork(context, allow);
  const page = await context.newPage();
  const errors = watchErrors(page);
  return { context, page, network, errors };
}

/**
 * Runs `body(page, { network, errors })` in a page of openPage(browser, options, allow),
 * its clock fixed at `options.at` if given (an instant, as Date takes it), then checks
 * that nothing went to another host (but the `allow`ed addresses) and that nothing failed
 * in the page; closes the context either way.
 */
export async function withPage(browser, options, body, allow = {}) {
  const { at, ...contextOptions } = options;
  const { context, page, network, errors } = await openPage(browser, contextOptions, allow);
  try {
    if (at) await page.clock.setFixedTime(new Date(at));
    await body(page, { network, errors });
    assert.deepEqual(network.filter((url) => !isLocal(url) && !(url in allow)), [], 'a request went to another host');
    assert.deepEqual(errors, [], 'errors in the page');
  } finally {
    await context.close();
  }
}

/** Whether `url` is served from this machine (the test server). */
export function isLocal(url) {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

/**
 * Records every request the context makes and aborts any to another host, so that
 * nothing leaves the machine. `allow` maps a URL to a { body, contentType } to fulfil
 * it locally instead (the quick exit's neutral site). Returns the list of requests.
 */
export async function guardNetwork(context, allow = {}) {
  const log = [];
  context.on('request', (request) => log.push(request.url()));
  await context.route(() => true, async (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    const fake = allow[url];
    if (fake) {
      return route.fulfill({ status: 200, contentType: fake.contentType || 'text/html', body: fake.body });
    }
    return route.abort('blockedbyclient');
  });
  return log;
}

/** Collects console errors and uncaught page errors of `page` into a list. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      errors.push(`console.error: ${message.text()}${where?.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack || error.message}`));
  return errors;
}

let axeSource;
/** The axe-core script, read once from node_modules. */
export async function axeScript() {
  if (!axeSource) {
    axeSource = await readFile(path.join(SUITE_DIR, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  }
  return axeSource;
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core on `page` with the WCAG 2.2 AA tags and returns its violations. */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.addScriptTag({ content: await axeScript() });
  return page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** A readable report of axe violations for a failed assertion. */
export function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) =>
      `      - ${n.target}\n        ${n.html.slice(0, 300)}\n        ${(n.summary || '').replace(/\n/g, '\n        ')}`,
    ).join('\n');
    return `  * ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
  }).join('\n');
}
