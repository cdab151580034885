// `node --import ./module-hook.js ...`: lists every file module the process loads on fd 3
// (through a resolve hook), to show which dependencies a given invocation pulls in.
import { register } from 'node:module';

register(new URL('./module-hook-resolve.js', import.meta.url));
