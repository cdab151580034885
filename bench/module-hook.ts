// `node --import ./module-hook.js ...`: lists every file module the process loads on fd 3, to show
// which dependencies a given invocation pulls in: required files (the CommonJS bundle) from the
// require cache at exit, ES modules through a resolve hook.
import { writeSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(new URL('./module-hook-resolve.js', import.meta.url));

const required = createRequire(import.meta.url).cache;
process.on('exit', () => {
  try {
    for (const file of Object.keys(required)) writeSync(3, `${pathToFileURL(file).href}\n`);
  } catch {
    // fd 3 not open: listing not wanted
  }
});
