// The files of the prompts UI (renderer/), held in memory by the UI server, which serves nothing
// else. Where they come from:
// - a checkout (renderer/src is there and vite is installed): built in memory with Vite's JS API
//   when the first UI server of the process starts (about a second). Never stale, nothing written to
//   disk, so concurrent test processes cannot trip over a half-written renderer/dist.
// - the published package (no sources, no vite): renderer/dist, built by `npm run build:ui` at
//   prepack time and shipped in the package.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Vite from 'vite';
import { GatehouseError } from '../../../common/errors.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';

export interface UiAsset {
  body: Buffer;
  contentType: string;
}

/** URL path (`/index.html`, `/assets/index-1a2b.js`) to file. */
export type UiAssets = ReadonlyMap<string, UiAsset>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const contentTypeOf = (file: string) => TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** The package root: this module is main/headless/ui/ in a checkout, dist/main/headless/ui/ when compiled. */
function packageRoot(): string {
  const up3 = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  return path.basename(up3) === 'dist' ? path.dirname(up3) : up3;
}

let fromSources: Promise<UiAssets> | undefined;

/** The UI's files, as described above; built at most once per process. */
export async function loadUiAssets(logger: Logger = silentLogger): Promise<UiAssets> {
  const renderer = path.join(packageRoot(), 'renderer');
  const prebuilt = path.join(renderer, 'dist');
  if (existsSync(path.join(renderer, 'src', 'main.tsx')) && existsSync(path.join(renderer, 'vite.config.ts'))) {
    fromSources ??= buildUiAssets(renderer);
    try {
      return await fromSources;
    } catch (error) {
      fromSources = undefined;
      if (!existsSync(path.join(prebuilt, 'index.html'))) throw error;
      logger.log('warn', 'could not build the prompts UI from its sources; serving renderer/dist, which may be older', { error: String(error) });
    }
  }
  if (existsSync(path.join(prebuilt, 'index.html'))) return readUiAssets(prebuilt);
  throw new GatehouseError('GATEHOUSE_INTERNAL', 'The prompts UI is not built and cannot be built here: run `npm run build:ui` in the Gatehouse checkout.');
}

/** Reads a built UI from a directory (renderer/dist). */
export async function readUiAssets(dir: string, needsIndex = true): Promise<Map<string, UiAsset>> {
  const assets = new Map<string, UiAsset>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const urlPath = '/' + path.relative(dir, file).split(path.sep).join('/');
    assets.set(urlPath, { body: await readFile(file), contentType: contentTypeOf(file) });
  }
  if (needsIndex && !assets.has('/index.html')) throw new GatehouseError('GATEHOUSE_INTERNAL', `The prompts UI in ${dir} has no index.html: run \`npm run build:ui\`.`);
  return assets;
}

/** Builds renderer/ in memory with Vite (a devDependency, so only from a checkout). */
export async function buildUiAssets(rendererDir: string): Promise<UiAssets> {
  // Not a literal import: bundlers of the CLI must not pull Vite in, and the published package has none.
  const specifier = 'vite';
  let vite: typeof Vite;
  try {
    vite = (await import(specifier)) as typeof Vite;
  } catch (error) {
    throw new GatehouseError('GATEHOUSE_INTERNAL', 'The prompts UI needs building, but Vite is not installed: run `npm install` and `npm run build:ui`.', { cause: error });
  }
  // Vite sets NODE_ENV=production for the process it builds in; this process is Gatehouse, so put it back.
  const nodeEnv = process.env['NODE_ENV'];
  let result: Awaited<ReturnType<typeof Vite.build>>;
  try {
    result = await vite.build({
      root: rendererDir,
      configFile: path.join(rendererDir, 'vite.config.ts'),
      logLevel: 'error',
      build: { write: false, emptyOutDir: false },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
  const outputs = Array.isArray(result) ? result : [result];
  const assets = new Map<string, UiAsset>();
  for (const output of outputs) {
    if (!('output' in output)) throw new GatehouseError('GATEHOUSE_INTERNAL', 'Vite started watching instead of building the prompts UI.');
    for (const item of output.output) {
      const body = item.type === 'chunk' ? Buffer.from(item.code) : Buffer.from(item.source);
      assets.set(`/${item.fileName}`, { body, contentType: contentTypeOf(item.fileName) });
    }
  }
  if (!assets.has('/index.html')) throw new GatehouseError('GATEHOUSE_INTERNAL', 'Building the prompts UI produced no index.html.');
  // Vite copies public/ only when it writes to disk.
  const publicDir = path.join(rendererDir, 'public');
  if (existsSync(publicDir)) for (const [urlPath, asset] of await readUiAssets(publicDir, false)) if (!assets.has(urlPath)) assets.set(urlPath, asset);
  return assets;
}
