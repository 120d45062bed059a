import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let loaded: typeof import('undici') | undefined;

/**
 * undici, required on first use (the first webhook delivery, provider call or webhook step): its ~110 files are not
 * loaded by a process that has sent nothing yet. The same module instance as `import 'undici'` (its only entry is CommonJS).
 */
export function undici(): typeof import('undici') {
  loaded ??= require('undici') as typeof import('undici');
  return loaded;
}
