// A private, real Secret Service for tests: a dbus-daemon of its own and gnome-keyring-daemon on
// it, with HOME and the XDG directories in a temp dir, so the user's keyring is never touched and
// the test runner needs no dbus-run-session around it.
//
// Found with @napi-rs/keyring 2.1 on Linux: it reaches D-Bus through a statically linked libdbus,
// which reads DBUS_SESSION_BUS_ADDRESS once, at the first keyring call of the process, and keeps
// it. Setting process.env before that call works; changing it afterwards has no effect (the
// library keeps talking to the first bus, or keeps failing if there was none). Hence:
// - in-process: call pointThisProcessAt() before any keyring call, with one bus per test file
//   (node --test runs each file in its own process);
// - any other situation: a child process given `env`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { constants, rmSync } from 'node:fs';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `absent`: a bus on which no Secret Service runs. */
export type KeyringState = 'unlocked' | 'locked' | 'absent';

export interface SecretServiceEnv {
  readonly DBUS_SESSION_BUS_ADDRESS: string;
  readonly HOME: string;
  readonly XDG_CONFIG_HOME: string;
  readonly XDG_DATA_HOME: string;
  readonly XDG_RUNTIME_DIR: string;
}

export interface PrivateSecretService {
  /** For child processes; in-process, see pointThisProcessAt. */
  readonly env: SecretServiceEnv;
  /** Temp dir holding the bus socket, HOME and everything the keyring daemon writes. */
  readonly root: string;
  /** Locks the default keyring, as a desktop does after suspend; unlocking needs a prompt nobody can answer. */
  lock(): Promise<void>;
  /** Stops (SIGSTOP) the keyring daemon: calls go unanswered, like an unlock prompt left open. */
  freeze(): void;
  /** Kills every process this helper started and removes the temp dir. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly keyring?: KeyringState;
  /** Longest wait for the daemons to be ready. */
  readonly deadlineMs?: number;
}

const BINARIES = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'];
const PASSWORD = 'gatehouse-test-keyring';
const SECRETS = ['--dest=org.freedesktop.secrets'];

export async function startSecretService(options: StartOptions = {}): Promise<PrivateSecretService> {
  await requireBinaries();
  const deadline = Date.now() + (options.deadlineMs ?? 10_000);
  const root = await mkdtemp(path.join(tmpdir(), 'gatehouse-secret-service-'));
  leftovers.roots.add(root);
  const started: Daemon[] = [];
  const stop = async () => {
    await Promise.all(started.map((daemon) => daemon.kill()));
    await rm(root, { recursive: true, force: true });
    leftovers.roots.delete(root);
  };
  try {
    const dirs = {
      HOME: path.join(root, 'home'),
      XDG_CONFIG_HOME: path.join(root, 'config'),
      XDG_DATA_HOME: path.join(root, 'data'),
      XDG_RUNTIME_DIR: path.join(root, 'run'),
    };
    for (const dir of Object.values(dirs)) await mkdir(dir, { mode: 0o700 });
    const config = path.join(root, 'bus.conf');
    await writeFile(config, busConfig(path.join(root, 'bus.sock')));
    const bus = new Daemon('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], { PATH: pathVar() });
    started.push(bus);
    const env: SecretServiceEnv = { DBUS_SESSION_BUS_ADDRESS: await bus.firstLine(deadline), ...dirs };

    let keyring: Daemon | undefined;
    if (options.keyring !== 'absent') {
      // --unlock reads the password of the login keyring from stdin and creates it on first use.
      keyring = new Daemon('gnome-keyring-daemon', ['--foreground', '--components=secrets', '--unlock'], { PATH: pathVar(), ...env }, PASSWORD);
      started.push(keyring);
      await until(deadline, keyring, () => defaultCollection(env));
    }
    const service: PrivateSecretService = {
      env,
      root,
      async lock() {
        const collection = await defaultCollection(env);
        if (collection === undefined) throw new Error('no default keyring to lock');
        await dbusSend(env, [...SECRETS, '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', `array:objpath:${collection}`]);
        const locked = await dbusSend(env, [...SECRETS, collection, 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.Secret.Collection', 'string:Locked']);
        if (!/boolean true/.test(locked)) throw new Error(`the default keyring did not lock: ${locked}`);
      },
      freeze() {
        if (keyring === undefined) throw new Error('no keyring daemon to freeze');
        keyring.freeze();
      },
      stop,
    };
    if (options.keyring === 'locked') await service.lock();
    return service;
  } catch (error) {
    await stop();
    throw error;
  }
}

let pointedAt: string | undefined;

/** Points this process's keyring calls at `env`'s bus; must run before the first keyring call. */
export function pointThisProcessAt(env: Pick<SecretServiceEnv, 'DBUS_SESSION_BUS_ADDRESS'>): void {
  if (pointedAt !== undefined && pointedAt !== env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error(
      'This process already uses another D-Bus session bus, and libdbus keeps the first address it saw. ' +
        'Put the test in its own file, or run it in a child process with the service env.',
    );
  }
  pointedAt = env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = env.DBUS_SESSION_BUS_ADDRESS;
}

/** A bus address nothing listens on: no D-Bus session at all. */
export function unreachableBusAddress(dir: string): string {
  return `unix:path=${path.join(dir, 'no-bus-here.sock')}`;
}

async function requireBinaries(): Promise<void> {
  const missing: string[] = [];
  for (const name of BINARIES) if (!(await onPath(name))) missing.push(name);
  if (missing.length > 0) {
    throw new Error(
      `The keychain tests need a real Secret Service, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on PATH. ` +
        'Install the Debian packages gnome-keyring and dbus: apt-get install gnome-keyring dbus',
    );
  }
}

async function onPath(name: string): Promise<boolean> {
  for (const dir of pathVar().split(path.delimiter).filter(Boolean)) {
    try {
      await access(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function pathVar(): string {
  return process.env.PATH ?? '/usr/bin:/bin';
}

// No <servicedir>: nothing is activated on demand, so the system's gnome-keyring or a portal can
// never start on this bus behind the test's back (the 'absent' case depends on it).
function busConfig(socket: string): string {
  const escaped = socket.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${escaped}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/** The object path of the default keyring, once the Secret Service is on the bus and has one. */
async function defaultCollection(env: SecretServiceEnv): Promise<string | undefined> {
  try {
    const reply = await dbusSend(env, [...SECRETS, '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.ReadAlias', 'string:default']);
    const found = /object path "([^"]+)"/.exec(reply)?.[1];
    return found === undefined || found === '/' ? undefined : found;
  } catch {
    return undefined; // not on the bus yet
  }
}

async function dbusSend(env: SecretServiceEnv, args: string[]): Promise<string> {
  const { stdout } = await run('dbus-send', ['--session', '--print-reply', '--reply-timeout=2000', ...args], {
    env: { PATH: pathVar(), DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS },
    timeout: 5_000,
  });
  return stdout;
}

async function until<T>(deadline: number, daemon: Daemon, probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    daemon.assertRunning();
    if (Date.now() > deadline) throw new Error(`${daemon.name} did not offer a default keyring in time. ${daemon.stderrTail()}`);
    await delay(25);
  }
}

// A test that crashes or forgets stop() must still leave no daemon and no temp dir behind.
const leftovers = { children: new Set<ChildProcess>(), roots: new Set<string>() };
process.once('exit', () => {
  for (const child of leftovers.children) child.kill('SIGKILL');
  for (const root of leftovers.roots) rmSync(root, { recursive: true, force: true });
});

function killOnExit(child: ChildProcess): void {
  leftovers.children.add(child);
  child.once('exit', () => leftovers.children.delete(child));
}

class Daemon {
  private readonly child: ChildProcess;
  private stderr = '';
  private stdout = '';

  constructor(
    readonly name: string,
    args: string[],
    env: Record<string, string>,
    stdin?: string,
  ) {
    this.child = spawn(name, args, { env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    killOnExit(this.child);
    this.child.stdin?.end(stdin);
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.stderr = (this.stderr + text).slice(-2000)));
    this.child.on('error', (error) => (this.stderr += `\n${error.message}`));
  }

  async firstLine(deadline: number): Promise<string> {
    for (;;) {
      const newline = this.stdout.indexOf('\n');
      if (newline >= 0) return this.stdout.slice(0, newline).trim();
      this.assertRunning();
      if (Date.now() > deadline) throw new Error(`${this.name} printed no address in time. ${this.stderrTail()}`);
      await delay(10);
    }
  }

  assertRunning(): void {
    if (this.exited()) throw new Error(`${this.name} exited early. ${this.stderrTail()}`);
  }

  stderrTail(): string {
    return this.stderr === '' ? '' : `stderr: ${this.stderr.trim()}`;
  }

  freeze(): void {
    this.child.kill('SIGSTOP');
  }

  /** SIGKILL also ends a frozen process. */
  async kill(): Promise<void> {
    if (this.exited() || this.child.pid === undefined) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  private exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }
}
