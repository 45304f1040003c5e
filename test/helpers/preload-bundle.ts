// The preload bundle with the esbuild options of `npm run build:preload` (package.json), built in
// memory: what a sandboxed window loads, for the tests that read or run it.
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');

export function buildPreloadBundle() {
  return build({
    entryPoints: [join(root, 'preload/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2023',
    external: ['electron'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}
