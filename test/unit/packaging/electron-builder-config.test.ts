// electron-builder.yml is only exercised by `npm run dist`, which cannot run on our build machines
// (it downloads Electron and the packaging tools). So this test checks it the way electron-builder
// would, against app-builder-lib's own JSON Schema, and checks the invariants that keep the desktop
// app safe and installable by MDM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { build } from 'esbuild';
import yaml from 'js-yaml';
import { join, matchesGlob, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

// The schema app-builder-lib itself validates with (draft-07), read from the installed package.
const scheme = require('app-builder-lib/scheme.json') as object;

interface BuilderConfig {
  readonly appId?: string;
  readonly productName?: string;
  readonly extraMetadata?: { readonly main?: string };
  readonly files?: readonly string[];
  readonly asarUnpack?: readonly string[];
  readonly npmRebuild?: boolean;
  readonly icon?: string;
  readonly directories?: { readonly buildResources?: string };
  readonly electronFuses?: Record<string, unknown>;
  readonly mac?: { readonly target?: readonly string[]; readonly hardenedRuntime?: boolean; readonly entitlements?: string; readonly entitlementsInherit?: string };
  readonly win?: { readonly target?: readonly string[] };
  readonly linux?: { readonly target?: readonly string[]; readonly icon?: string; readonly executableName?: string };
  readonly nsis?: { readonly perMachine?: boolean; readonly runAfterFinish?: boolean };
  readonly msi?: { readonly perMachine?: boolean; readonly runAfterFinish?: boolean; readonly upgradeCode?: string };
  readonly pkg?: { readonly installLocation?: string; readonly isRelocatable?: boolean; readonly allowCurrentUserHome?: boolean };
}

const configText = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
const config = yaml.load(configText) as BuilderConfig;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  readonly scripts: Record<string, string>;
  readonly allowScripts?: Record<string, boolean>;
};

// strict mode on, so a schema construct ajv does not understand fails here instead of being ignored.
// `typeof` is the one custom keyword scheme.json uses (for hooks given as functions). No type
// coercion, unlike electron-builder's own check: "true" where a boolean belongs is a mistake here.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
ajv.addKeyword({ keyword: 'typeof', schemaType: 'string', validate: (type: string, data: unknown) => typeof data === type, errors: false });
const validate = ajv.compile(scheme);

function errorsOf(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}

const matchesAny = (path: string, patterns: readonly string[]) => patterns.some((pattern) => matchesGlob(path, pattern));

test('electron-builder.yml is valid against app-builder-lib/scheme.json', () => {
  assert.deepEqual(errorsOf(config), []);
});

test('the schema check rejects what electron-builder would reject', () => {
  // Guards the check above: a validator that accepted everything would pass it too.
  assert.notDeepEqual(errorsOf({ ...config, mac: { ...config.mac, hardenedRuntimee: true } }), []);
  assert.notDeepEqual(errorsOf({ ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } }), []);
  assert.notDeepEqual(errorsOf({ ...config, msi: { ...config.msi, perMachine: 'yes' } }), []);
});

test('identifies the app as dev.gatehouse.app, the domain macOS managed preferences are read from', () => {
  assert.equal(config.appId, 'dev.gatehouse.app');
  assert.equal(config.productName, 'Gatehouse');
});

test('sets every security fuse', () => {
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  });
});

test('builds the seven installers: dmg and pkg, nsis and msi, deb, rpm and AppImage', () => {
  assert.deepEqual(config.mac?.target, ['dmg', 'pkg']);
  assert.deepEqual(config.win?.target, ['nsis', 'msi']);
  assert.deepEqual(config.linux?.target, ['deb', 'rpm', 'AppImage']);
});

test('Windows installers install for every user and never start the app as the installing account', () => {
  assert.equal(config.nsis?.perMachine, true);
  assert.equal(config.msi?.perMachine, true);
  assert.equal(config.nsis?.runAfterFinish, false);
  assert.equal(config.msi?.runAfterFinish, false);
  assert.match(config.msi?.upgradeCode ?? '', /^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/);
});

test('the macOS pkg installs into /Applications only', () => {
  assert.equal(config.pkg?.installLocation, '/Applications');
  assert.equal(config.pkg?.isRelocatable, false);
  assert.equal(config.pkg?.allowCurrentUserHome, false);
});

test('macOS builds use the hardened runtime with entitlements that allow the JIT and nothing broader', () => {
  assert.equal(config.mac?.hardenedRuntime, true);
  assert.equal(config.mac?.entitlements, 'resources/entitlements.mac.plist');
  assert.equal(config.mac?.entitlementsInherit, 'resources/entitlements.mac.plist');
  const entitlements = readFileSync(join(root, 'resources/entitlements.mac.plist'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const granted = [...entitlements.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((match) => match[1]);
  assert.deepEqual(granted, ['com.apple.security.cs.allow-jit']);
});

test('every native module of the app is unpacked from the asar, including other platforms\' binaries', () => {
  const unpacked = config.asarUnpack ?? [];
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    readonly packages: Record<string, { readonly dev?: boolean; readonly os?: unknown; readonly cpu?: unknown }>;
  };
  const shipped = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && entry.dev !== true);
  const missing: string[] = [];
  for (const [path, entry] of shipped) {
    const binaries = existsSync(join(root, path)) ? nativeBinariesIn(path) : [];
    // Platform packages (os/cpu set) hold a binary even where npm did not install them, as here.
    if (entry.os !== undefined || entry.cpu !== undefined) binaries.push(`${path}/binding.node`);
    missing.push(...binaries.filter((binary) => !matchesAny(binary, unpacked)));
  }
  assert.deepEqual(missing, []);
  for (const module of ['better-sqlite3', '@napi-rs/keyring']) {
    assert.ok(shipped.some(([path]) => path === `node_modules/${module}`), `${module} is a production dependency`);
  }
  assert.ok(matchesAny('node_modules/better-sqlite3/prebuilds/win32-x64.node', unpacked));
  assert.equal(config.npmRebuild, false);
});

test('the app files hold the desktop entry and the built UI', () => {
  const main = config.extraMetadata?.main;
  assert.equal(main, 'dist/main/electron/main.js');
  const included = (config.files ?? []).filter((pattern) => !pattern.startsWith('!'));
  assert.ok(matchesAny(main, included), `${main} is not in files`);
  assert.ok(matchesAny('renderer/dist/index.html', included));
  // The preload bundle main.ts gives every window, and the tray's images (resources/ is left out unless named).
  assert.ok(matchesAny('dist/preload/index.cjs', included));
  for (const icon of readdirSync(join(root, 'resources', 'tray'))) assert.ok(matchesAny(`resources/tray/${icon}`, included), icon);
});

test('the desktop entry needs only production dependencies, the only ones electron-builder ships', async () => {
  const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const result = await build({ entryPoints: [join(root, 'main/electron/main.ts')], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent', packages: 'external' });
  const packages = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const parts = imported.path.split('/');
      packages.add(imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  // electron is the runtime itself.
  assert.deepEqual([...packages].filter((name) => name !== 'electron' && dependencies[name] === undefined), []);
  assert.ok(packages.has('better-sqlite3'), 'the walk found the core\'s packages');
});

test('npm run build compiles the main process and bundles the sandboxed preload as one CommonJS file', () => {
  assert.equal(packageJson.scripts['build'], 'tsc -p tsconfig.build.json && npm run build:preload');
  const preload = packageJson.scripts['build:preload'] ?? '';
  for (const option of ['preload/index.ts', '--bundle', '--format=cjs', '--external:electron', '--outfile=dist/preload/index.cjs']) {
    assert.ok(preload.split(' ').includes(option), `build:preload lacks ${option}`);
  }
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
  assert.ok(!tsconfig.include.includes('preload'), 'tsc would emit an ES module preload that a sandboxed window cannot load');
});

test('the desktop entry is compiled by tsconfig.build.json', { skip: !existsSync(join(root, 'main/electron/main.ts')) && 'main/electron/main.ts is not written yet' }, () => {
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[]; compilerOptions: { outDir: string; rootDir: string } };
  assert.equal(tsconfig.compilerOptions.outDir, 'dist');
  assert.equal(tsconfig.compilerOptions.rootDir, '.');
  assert.ok(tsconfig.include.some((dir) => 'main/electron/main.ts'.startsWith(`${dir}/`)), 'tsconfig.build.json must include main/electron');
});

test('the icons exist at the sizes the configuration names', () => {
  const resources = join(root, config.directories?.buildResources ?? 'build');
  assert.deepEqual(pngSize(join(resources, config.icon ?? '')), { width: 1024, height: 1024 });
  assert.equal(config.linux?.icon, 'icons');
  for (const name of readdirSync(join(resources, 'icons'))) {
    const size = /^(\d+)x(\d+)\.png$/.exec(name);
    assert.ok(size, `${name}: Linux icon sets are named <width>x<height>.png`);
    assert.deepEqual(pngSize(join(resources, 'icons', name)), { width: Number(size[1]), height: Number(size[2]) });
  }
  assert.ok(existsSync(join(resources, 'icons', '512x512.png')));
});

test('the desktop command does not shadow the gatehouse CLI on Linux', () => {
  assert.equal(config.linux?.executableName, 'gatehouse-desktop');
});

test('npm run dist builds the code and the UI, then the installers', () => {
  assert.equal(packageJson.scripts['dist'], 'npm run build && npm run build:ui && electron-builder --config electron-builder.yml');
});

test('no install step downloads Electron or rebuilds native modules', () => {
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
    assert.equal(packageJson.scripts[hook], undefined, `package.json must not have a ${hook} script`);
  }
  const text = readFileSync(join(root, 'package.json'), 'utf8');
  for (const forbidden of ['install-app-deps', 'electron-rebuild', '@electron/rebuild']) {
    assert.ok(!text.includes(forbidden), `package.json mentions ${forbidden}`);
  }
  // Electron's own install script is what downloads its binary.
  assert.equal(packageJson.allowScripts?.['electron'], false);
});

function nativeBinariesIn(packagePath: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      // Nested packages are lockfile entries of their own.
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(`${dir}/${entry.name}`);
      else if (entry.isFile() && entry.name.endsWith('.node')) found.push(`${dir}/${entry.name}`);
    }
  };
  walk(packagePath);
  return found;
}

function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${relative(root, path)} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
