// The Nu HTML Checker (vnu.jar from the vnu-jar package, run with the machine's Java)
// over every HTML page of the built example site: zero errors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildSite, htmlPages } from '../lib/harness.js';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));
const JAVA = process.env.JAVA || 'java';

let site;
let canaryDir;

before(async () => {
  site = await buildSite();
  // A page with a known error, checked in the same run, proves the checker really
  // looked at the files rather than passing because it saw none.
  canaryDir = await mkdtemp(path.join(tmpdir(), 'peerpress-vnu-canary-'));
  await writeFile(path.join(canaryDir, 'canary.html'), '<!DOCTYPE html><html lang="en"><title>c</title><p><div></p>');
});

after(async () => {
  await site?.cleanup();
  if (canaryDir) await rm(canaryDir, { recursive: true, force: true });
});

function vnu(paths) {
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

test('every HTML page passes the Nu HTML Checker with zero errors', { timeout: 300_000 }, async () => {
  const pages = await htmlPages(site.dir);
  assert.ok(pages.length > 0, 'the build produced no HTML page');
  const result = await vnu([site.dir, canaryDir]);
  const lines = result.output.split('\n').filter((line) => line.trim() !== '');
  const canary = lines.filter((line) => line.includes(canaryDir));
  const errors = lines.filter((line) => !line.includes(canaryDir)).map((line) => line.split(site.dir).join(''));
  assert.ok(canary.length > 0, `the checker did not report the deliberately invalid page; its output:\n${result.output}`);
  assert.deepEqual(errors, [], `the Nu HTML Checker found errors in the built site (exit ${result.code}):\n${errors.join('\n')}`);
});
