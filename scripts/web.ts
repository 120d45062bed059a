// Builds the web app (web/ → web/dist) with Vite when web/dist is missing or older than its sources (web/src,
// web/index.html, web/vite.config.ts, sdk/src): `npm start` and `npm test` run it first, so a fresh clone needs no
// separate build command. `npm run web` (or --force) builds unconditionally.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const WEB = join(ROOT, 'web');
const INDEX = join(WEB, 'dist', 'index.html');

/** The newest modification time of the files under the given paths (directories walked). */
function newest(paths: string[]): number {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) latest = Math.max(latest, newest(readdirSync(path).map((name) => join(path, name))));
    else latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}

/** Whether web/dist must be built again. */
export function webIsStale(): boolean {
  if (!existsSync(INDEX)) return true;
  const sources = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(ROOT, 'sdk', 'src')];
  return newest(sources) > statSync(INDEX).mtimeMs;
}

/** Builds web/dist with Vite (quietly unless it fails). */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.main) {
  if (process.argv.includes('--force') || webIsStale()) {
    const started = Date.now();
    process.stdout.write('building the web app (web/ → web/dist)… ');
    await buildWeb();
    process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}
