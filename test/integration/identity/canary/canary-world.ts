// The private world a canary run happens in, on 127.0.0.1 port 0, stopped together: temp dirs for
// HOME (with the XDG dirs), TMPDIR, the data dir and the logs; a Secret Service (unlocked, or a bus
// on which none runs); the demo IdP with short token lifetimes; two protected MCP servers, one per
// per-server auth mode (`exchange`: token-exchange, behind a proxy that can hold a call; `audience`:
// idp-audience); a policy letting the demo user `dev` call both; and the CLI runner whose children
// see only this world's environment.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport, type FetchLike } from '@modelcontextprotocol/client';
import { startDemoIdp, type DemoIdp } from '../../../../main/headless/demo/idp/index.js';
import { startProtectedServer, type ProtectedServer } from '../../../fixtures/protected/protected-server.js';
import { startSecretService, type KeyringState, type PrivateSecretService } from '../../../helpers/secret-service.js';
import { GatehouseCli } from './gatehouse-cli.js';
import { startHoldProxy, type HoldProxy } from './hold-proxy.js';

export const SCOPE = 'canary.call';

export interface CanaryWorldOptions {
  readonly keyring: Extract<KeyringState, 'unlocked' | 'absent'>;
  /** Lifetime of the user's IdP access token and of the servers' tokens, so that they are renewed during the run. */
  readonly tokenTtlSeconds: number;
}

/** A real MCP client (the IDE) that keeps every byte it receives. */
export interface Ide {
  readonly client: Client;
  /** Everything received: status, headers and body of every response, streams once they ended. */
  received(): Promise<string>;
  close(): Promise<void>;
}

export class CanaryWorld {
  readonly ides: Ide[] = [];

  private constructor(
    /** Holds home/, tmp/, data/, logs/ and the policy: every place the CLI may write to. */
    readonly root: string,
    readonly secretService: PrivateSecretService,
    readonly idp: DemoIdp,
    readonly exchange: ProtectedServer,
    readonly exchangeProxy: HoldProxy,
    readonly audience: ProtectedServer,
    readonly cli: GatehouseCli,
  ) {}

  static async start(options: CanaryWorldOptions): Promise<CanaryWorld> {
    const stops: Array<() => Promise<unknown>> = [];
    try {
      const root = await mkdtemp(path.join(tmpdir(), `gh-canary-${options.keyring}-`));
      stops.push(() => rm(root, { recursive: true, force: true }));
      for (const dir of ['home', 'home/.config', 'home/.local/share', 'home/.cache', 'home/.local/state', 'tmp', 'run', 'logs']) {
        await mkdir(path.join(root, dir), { recursive: true, mode: 0o700 });
      }
      const secretService = await startSecretService({ keyring: options.keyring });
      stops.push(() => secretService.stop());
      const exchangeProxy = await startHoldProxy();
      stops.push(() => exchangeProxy.close());
      // The broker reaches `exchange` through the proxy, so the proxy's URL is the server's audience.
      const exchange = await startProtectedServer({ name: 'exchange', audience: exchangeProxy.url });
      stops.push(() => exchange.close());
      exchangeProxy.forwardTo(exchange.url);
      const audience = await startProtectedServer({ name: 'audience' });
      stops.push(() => audience.close());
      const idp = await startDemoIdp({
        accessTokenTtlSeconds: options.tokenTtlSeconds,
        resourceAccessTokenTtlSeconds: options.tokenTtlSeconds,
        resources: [exchangeProxy.url, audience.url],
      });
      stops.push(() => idp.stop());
      for (const server of [exchange, audience]) server.trust({ issuer: idp.issuer, jwksUri: `${idp.issuer}/jwks` });
      const tools = [{ match: '*', scope: SCOPE }];
      await writeFile(
        path.join(root, 'policy.json'),
        JSON.stringify({
          version: 1,
          identity: { issuer: idp.issuer, clientId: idp.clientId },
          roles: { developer: [SCOPE] },
          servers: [
            { id: 'exchange', url: exchangeProxy.url, auth: { mode: 'token-exchange' }, tools },
            { id: 'audience', url: audience.url, auth: { mode: 'idp-audience' }, tools },
          ],
        }),
      );
      const home = path.join(root, 'home');
      const tmp = path.join(root, 'tmp');
      const cli = new GatehouseCli({
        cwd: home,
        logDir: path.join(root, 'logs'),
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          TMPDIR: tmp,
          TEMP: tmp,
          TMP: tmp,
          XDG_CONFIG_HOME: path.join(home, '.config'),
          XDG_DATA_HOME: path.join(home, '.local/share'),
          XDG_CACHE_HOME: path.join(home, '.cache'),
          XDG_STATE_HOME: path.join(home, '.local/state'),
          XDG_RUNTIME_DIR: path.join(root, 'run'),
          DBUS_SESSION_BUS_ADDRESS: secretService.env.DBUS_SESSION_BUS_ADDRESS,
          // Only --policy counts, never a managed policy of the machine running the tests.
          GATEHOUSE_POLICY: '',
        },
      });
      stops.push(() => cli.stopAll());
      return new CanaryWorld(root, secretService, idp, exchange, exchangeProxy, audience, cli);
    } catch (error) {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      throw error;
    }
  }

  get dataDir(): string {
    return path.join(this.root, 'data');
  }

  get logDir(): string {
    return path.join(this.root, 'logs');
  }

  /** The flags every command gets: this world's policy and data dir, the plain-http demo IdP, debug logs. */
  flags(): string[] {
    return ['--policy', path.join(this.root, 'policy.json'), '--data-dir', this.dataDir, '--insecure-dev-issuer', '--log-level', 'debug'];
  }

  /** Where the keychain keeps its entries: the keychain itself, not a file Gatehouse wrote. */
  get keyringStorage(): string {
    return path.join(this.secretService.env.XDG_DATA_HOME, 'keyrings');
  }

  /** Connects an IDE to the broker's aggregate endpoint with a client token. */
  async connectIde(url: string, token: string): Promise<Ide> {
    const parts: Array<Promise<string>> = [];
    const recording: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
      parts.push(response.clone().text().then((body) => `${response.status}\n${headers}\n\n${body}`, () => `${response.status}\n${headers}`));
      return response;
    };
    const client = new Client({ name: 'canary-ide', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } }, fetch: recording }));
    const ide: Ide = {
      client,
      received: async () => (await Promise.all(parts)).join('\n----\n'),
      close: () => client.close().catch(() => undefined),
    };
    this.ides.push(ide);
    return ide;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.ides.map((ide) => ide.close()));
    await this.cli.stopAll();
    await Promise.allSettled([this.exchangeProxy.close(), this.exchange.close(), this.audience.close(), this.idp.stop()]);
    await this.secretService.stop();
    await rm(this.root, { recursive: true, force: true });
  }
}
