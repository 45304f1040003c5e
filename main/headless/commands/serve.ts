// `gatehouse serve`: the broker, headless, until SIGINT/SIGTERM.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { GATEHOUSE_VERSION } from '../../../common/version.js';
import { ClientRegistry } from '../../core/clients/registry.js';
import { ENDPOINT_FILE_NAME, writeEndpointFile } from '../../core/data-dir.js';
import type { Policy } from '../../core/policy/schema.js';
import { dataDirOf, policyOf, type CommonFlags, type Context } from '../context.js';
import { parsePort } from './flags.js';
import { createIdentitySession, describeSecrets } from './identity-host.js';
import { Broker, type BrokerOptions } from '../../core/broker.js';
import type { IdentitySession } from '../../core/identity/identity-session.js';
import type { IdentityStatus } from '../../core/identity/identity-types.js';
import { watchIdentity } from '../../core/identity/identity-watch.js';
import { systemClock } from '../../core/ports/clock.js';

export interface ServeFlags extends CommonFlags {
  port?: string;
  'insecure-dev-issuer'?: boolean;
}

export interface BrokerIdentity {
  /** The signed-in user, when policy has an identity section. */
  session?: IdentitySession;
  /** The user's token for each server. */
  credentials?: BrokerOptions['credentials'];
}

export interface RunningBroker {
  broker: Broker;
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts a broker and publishes its endpoint; shared by `serve` and `demo`. */
export async function startBroker(ctx: Context, policy: Policy, dataDir: string, port: number | undefined, identity: BrokerIdentity = {}): Promise<RunningBroker> {
  const registry = new ClientRegistry({ dataDir, logger: ctx.logger });
  const { session, credentials } = identity;
  const broker = new Broker({
    policy,
    clients: registry,
    logger: ctx.logger,
    version: GATEHOUSE_VERSION,
    ...(port !== undefined ? { port } : {}),
    ...(session ? { roles: { roles: () => session.currentRoles() } } : {}),
    ...(credentials ? { credentials } : {}),
  });
  // The stored sign-in is loaded before the first client connects, so its tools are there at once.
  await session?.status();
  const watch = session && watchIdentity(session, () => broker.identityChanged(), { clock: systemClock, logger: ctx.logger });
  const bound = await broker.start();
  await writeEndpointFile(dataDir, { port: bound, pid: process.pid, url: broker.url });
  return {
    broker,
    url: broker.url,
    dataDir,
    async stop() {
      watch?.stop();
      await broker.stop();
      await rm(path.join(dataDir, ENDPOINT_FILE_NAME), { force: true });
    },
  };
}

export function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void stop().finally(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function serve(ctx: Context, flags: ServeFlags): Promise<void> {
  const dataDir = await dataDirOf(ctx, flags);
  const { policy, source } = await policyOf(ctx, flags);
  const session = policy.identity && (await createIdentitySession(ctx, policy.identity, flags));
  const running = await startBroker(ctx, policy, dataDir, parsePort(flags.port), session ? { session } : {});
  ctx.logger.log('info', `policy from ${source}: ${policy.servers.length} server(s)`);
  ctx.out(`Gatehouse ${GATEHOUSE_VERSION} listening on ${running.url}\n`);
  if (session) ctx.out(`${describeSignIn(await session.status())}\n`);
  ctx.out(`Per-server endpoints: ${policy.servers.map((s) => `${running.url}/${s.id}`).join(', ') || '(no servers in policy)'}\n`);
  await untilSignal(running.stop);
}

function describeSignIn(status: IdentityStatus): string {
  const kept = `sign-in kept in: ${describeSecrets(status.secrets)}`;
  if (!status.signedIn) return `Not signed in to ${status.issuer}: tools are hidden until you run \`gatehouse login\` (${kept}).`;
  const roles = status.roles.length > 0 ? status.roles.join(', ') : 'no roles';
  return `Signed in as ${status.name ?? status.subject} (${roles}); ${kept}.`;
}
