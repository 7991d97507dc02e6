// Replaces the contents of a directory with those of another, file by file, so that a
// process reading the target meanwhile never finds it missing or a file half-written.
// `rm -rf dist && tsc` left dist/ empty for the whole compile; a running server, a test
// or an `npm pack` of the checkout (whose `prepare` builds) then failed with
// "Cannot find module". Used by scripts/build.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Relative paths of every file (not directory) under `dir`, parents before children. */
function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

/** Relative paths of every directory under `dir`, deepest first. */
function listDirs(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const rel = path.join(prefix, entry.name);
    out.push(...listDirs(dir, rel), rel);
  }
  return out;
}

/**
 * Moves every file of `source` to the same relative path in `target` with rename(2),
 * which atomically replaces an existing file on the same file system, then deletes the
 * files of `target` the new build no longer has, then empty directories and `source`.
 * `afterEach(rel)` runs after every step, for tests.
 */
function replaceDir(source, target, afterEach = () => undefined) {
  const incoming = listFiles(source);
  const keep = new Set(incoming);
  fs.mkdirSync(target, { recursive: true });
  for (const rel of incoming) {
    fs.mkdirSync(path.dirname(path.join(target, rel)), { recursive: true });
    fs.renameSync(path.join(source, rel), path.join(target, rel));
    afterEach(rel);
  }
  for (const rel of listFiles(target)) {
    if (keep.has(rel)) continue;
    fs.rmSync(path.join(target, rel), { force: true });
    afterEach(rel);
  }
  for (const rel of listDirs(target)) {
    const dir = path.join(target, rel);
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
  fs.rmSync(source, { recursive: true, force: true });
}

module.exports = { replaceDir, listFiles };
