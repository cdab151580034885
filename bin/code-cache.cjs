// Compiles the bundle's chunks with the V8 code cache the build wrote beside them (`<chunk>.v8`,
// scripts/code-cache.mjs). Node 20 has no module.enableCompileCache() (22.1), and compiling our
// code is a large share of a short run (docs/performance.md). V8 rejects a cache made by another
// V8 or under other flags (another Node: the chunk is then compiled as usual, at the usual cost),
// but it tells a chunk's source only by its length: only chunks are cached, whose names carry a
// hash of their content, so a cache can never meet a changed file of the same name. A cache is
// as trusted as the code beside it (V8 does not checksum it in release builds).
'use strict';
// This file's own Module class: require('node:module') would load the public module API (and
// the ES module loader behind it) for three properties of the same class.
const Module = module.constructor;
const { readFileSync } = require('node:fs');
const { dirname, join, sep } = require('node:path');
const { Script } = require('node:vm');

const INSTALLED = Symbol('dhcp-failover-check code cache');

/**
 * From now on, every `.cjs` file under `bundleDir`/chunks is compiled with its cache, if it has one.
 * `onScript` (the build's cache writer) sees each compiled script.
 */
function useCodeCache(bundleDir, onScript) {
  const prefix = join(bundleDir, 'chunks') + sep;
  const previous = Module._extensions['.cjs'] ?? Module._extensions['.js'];
  // Once per directory: the build's writer installs first, and the bin's own call must not hide it.
  if (previous[INSTALLED] === prefix) return;
  Module._extensions['.cjs'] = compileWithCache;
  compileWithCache[INSTALLED] = prefix;
  function compileWithCache(module, filename) {
    if (!filename.startsWith(prefix)) return previous.call(this, module, filename);
    const code = readFileSync(filename, 'utf8');
    let cachedData;
    try {
      cachedData = readFileSync(`${filename}.v8`);
    } catch {
      // No cache (a build without one, or a file it did not reach): compile without.
    }
    const script = new Script(Module.wrap(code), { filename, cachedData });
    onScript?.(filename, script);
    const wrapper = script.runInThisContext({ displayErrors: true });
    // A chunk's own chunks ('./<name>-<hash>.cjs', beside it) are found without Node's resolver:
    // no stat, no realpath, no package.json lookup, for a file whose path is known.
    const require = (id) => (isSibling(id) ? loadSibling(id, module) : module.require(id));
    wrapper.call(module.exports, module.exports, require, module, filename, dirname(filename));
  }
  function loadSibling(id, parent) {
    const filename = prefix + id.slice(2);
    const cached = Module._cache[filename];
    if (cached) return cached.exports;
    const child = new Module(filename, parent);
    child.filename = filename;
    child.paths = parent.paths;
    // Registered before it runs, as Node does: a chunk that requires this one back gets its exports so far.
    Module._cache[filename] = child;
    let done = false;
    try {
      compileWithCache(child, filename);
      done = true;
    } finally {
      if (!done) delete Module._cache[filename];
    }
    child.loaded = true;
    return child.exports;
  }
}

const isSibling = (id) => id.startsWith('./') && id.endsWith('.cjs') && id.indexOf('/', 2) === -1;

module.exports = { useCodeCache };
