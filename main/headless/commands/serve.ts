// `gatehouse serve`: the broker, headless, until SIGINT/SIGTERM.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { GATEHOUSE_VERSION } from '../../../common/version.js';
import { Broker } from '../../core/broker.js';
import { ClientRegistry } from '../../core/clients/registry.js';
import { ENDPOINT_FILE_NAME, writeEndpointFile } from '../../core/data-dir.js';
import type { Policy } from '../../core/policy/schema.js';
import { dataDirOf, policyOf, type CommonFlags, type Context } from '../context.js';
import { parsePort } from './flags.js';

export interface ServeFlags extends CommonFlags {
  port?: string;
}

export interface RunningBroker {
  broker: Broker;
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts a broker and publishes its endpoint; shared by `serve` and `demo`. */
export async function startBroker(ctx: Context, policy: Policy, dataDir: string, port: number | undefined): Promise<RunningBroker> {
  const registry = new ClientRegistry({ dataDir, logger: ctx.logger });
  const broker = new Broker({ policy, clients: registry, logger: ctx.logger, version: GATEHOUSE_VERSION, ...(port !== undefined ? { port } : {}) });
  const bound = await broker.start();
  await writeEndpointFile(dataDir, { port: bound, pid: process.pid, url: broker.url });
  return {
    broker,
    url: broker.url,
    dataDir,
    async stop() {
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
  const running = await startBroker(ctx, policy, dataDir, parsePort(flags.port));
  ctx.logger.log('info', `policy from ${source}: ${policy.servers.length} server(s)`);
  ctx.out(`Gatehouse ${GATEHOUSE_VERSION} listening on ${running.url}\n`);
  ctx.out(`Per-server endpoints: ${policy.servers.map((s) => `${running.url}/${s.id}`).join(', ') || '(no servers in policy)'}\n`);
  await untilSignal(running.stop);
}
