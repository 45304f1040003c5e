// The per-user data directory: client registry, broker endpoint file, audit store. Everything in
// it is private to the user (directory 0700, files 0600) because it holds token hashes, the
// broker's port and, for stdio clients, local tokens.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { GatehouseError } from '../../common/errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface DataDirInputs {
  /** Value of `--data-dir`, if given. */
  readonly flag?: string;
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
  /** Base for a relative `--data-dir` or GATEHOUSE_DATA_DIR; defaults to the process's cwd. */
  readonly cwd?: string;
}

/** Path helpers of the target OS, so Windows paths are built correctly even when tested on Linux. */
export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value : undefined;

/** Where Gatehouse keeps its data: `--data-dir`, else GATEHOUSE_DATA_DIR, else the OS convention. */
export function resolveDataDir(inputs: DataDirInputs): string {
  const p = pathFor(inputs.platform);
  const explicit = nonEmpty(inputs.flag) ?? nonEmpty(inputs.env.GATEHOUSE_DATA_DIR);
  if (explicit !== undefined) {
    // `--data-dir=~/x` reaches us unexpanded (the shell only expands a leading ~ of a word).
    const expanded = /^~(?=$|[\\/])/.test(explicit) ? p.join(inputs.homedir, explicit.slice(1)) : explicit;
    return p.resolve(inputs.cwd ?? process.cwd(), expanded);
  }
  switch (inputs.platform) {
    case 'darwin':
      return p.join(inputs.homedir, 'Library', 'Application Support', 'Gatehouse');
    case 'win32':
      return p.join(nonEmpty(inputs.env.APPDATA) ?? p.join(inputs.homedir, 'AppData', 'Roaming'), 'Gatehouse');
    default: {
      // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
      const xdg = nonEmpty(inputs.env.XDG_DATA_HOME);
      const base = xdg !== undefined && p.isAbsolute(xdg) ? xdg : p.join(inputs.homedir, '.local', 'share');
      return p.join(base, 'gatehouse');
    }
  }
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Creates the data dir if needed and makes it user-only (0700), also when it already existed. */
export async function ensureDataDir(dir: string): Promise<string> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is filtered by the umask and ignored for an existing directory.
    await chmod(dir, 0o700);
  } catch (error) {
    throw new GatehouseError(
      'GATEHOUSE_USAGE',
      `Cannot create the Gatehouse data directory ${dir} (${errnoCode(error) ?? String(error)}). ` +
        'Check its permissions, or choose another place with --data-dir or GATEHOUSE_DATA_DIR.',
      { cause: error },
    );
  }
  if (!(await stat(dir)).isDirectory()) {
    throw new GatehouseError('GATEHOUSE_USAGE', `${dir} is not a directory. Choose another place with --data-dir or GATEHOUSE_DATA_DIR.`);
  }
  return dir;
}

/**
 * Replaces `file` atomically with `content`, readable by the user only (0600). A reader (another
 * process) sees either the old or the new content, never a torn write, and a crash leaves at worst a
 * stray temp file, never a truncated config.
 */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' refuses to follow a pre-planted file or symlink at the temp name.
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.chmod(0o600); // the umask may have stripped bits we rely on being exactly this
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

// Makes the rename itself durable. Windows cannot open a directory for syncing; there the rename
// is already as durable as NTFS makes it.
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems (network mounts) refuse fsync on directories; the data is written anyway.
  } finally {
    await handle.close();
  }
}

export const ENDPOINT_FILE_NAME = 'endpoint.json';

export interface EndpointInfo {
  readonly port: number;
  readonly pid: number;
  readonly url: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

// Any process of the user can write this file, so what it says is checked before the CLI or the
// stdio shim sends a client token to the URL it names: loopback and plain http on the stated port.
const endpointSchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    pid: z.number().int().positive(),
    url: z.url({ protocol: /^http$/ }),
  })
  .refine(
    (info) => {
      // zod runs refinements even when a field already failed, so the URL may not parse here.
      const url = URL.parse(info.url);
      return url !== null && LOOPBACK_HOSTS.has(url.hostname) && (url.port === '' ? '80' : url.port) === String(info.port);
    },
    { message: 'url must be http://127.0.0.1:<port>/... (or [::1]) with the same port as "port"', path: ['url'] },
  );

export async function writeEndpointFile(dataDir: string, info: EndpointInfo): Promise<string> {
  const parsed = endpointSchema.safeParse(info);
  if (!parsed.success) {
    throw new GatehouseError('GATEHOUSE_INTERNAL', `Refusing to publish an invalid endpoint: ${z.prettifyError(parsed.error)}`);
  }
  const file = path.join(dataDir, ENDPOINT_FILE_NAME);
  await writePrivateFile(file, JSON.stringify(parsed.data, null, 2) + '\n');
  return file;
}

/** The running broker's endpoint, or undefined when no broker has published one. */
export async function readEndpointFile(dataDir: string): Promise<EndpointInfo | undefined> {
  const file = path.join(dataDir, ENDPOINT_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const restart = 'Restart the broker (gatehouse serve) to rewrite it.';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GatehouseError('GATEHOUSE_BROKER_NOT_RUNNING', `The broker endpoint file ${file} is not valid JSON. ${restart}`, { cause: error });
  }
  const parsed = endpointSchema.safeParse(json);
  if (!parsed.success) {
    throw new GatehouseError(
      'GATEHOUSE_BROKER_NOT_RUNNING',
      `The broker endpoint file ${file} is invalid: ${z.prettifyError(parsed.error)}. ${restart}`,
    );
  }
  return parsed.data;
}
