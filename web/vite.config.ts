// Vite builds the web app (Preact, JSX through Oxc) into web/dist; Beckon serves it at / (src/system/web.ts).
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: resolve(import.meta.dirname, 'dist'), emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
