// The Nu HTML Checker (vnu.jar from the vnu-jar package, run with the machine's Java)
// over every HTML page of the built example site: zero errors.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildSite, htmlPages, vnu } from '../lib/harness.js';

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
