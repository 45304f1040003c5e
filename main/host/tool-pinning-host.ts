// The tool pins of a host: kept in the data dir (shared with `gatehouse tools approve` in
// another process), with every quarantine told to the user on the host's log.
import { PinStore } from '../core/guard/pinning/pin-store.js';
import { ToolPinning } from '../core/guard/pinning/tool-pinning.js';
import type { Policy } from '../core/policy/schema.js';
import type { Context } from './context.js';
import type { AuditRecorder } from '../core/audit/audit-recorder.js';

/** How a host tells the user something happened (the prompts page shows it as a notice). */
export type Notify = (notice: { level: 'warning'; title: string; message: string }) => void;

export function toolPinningFor(ctx: Context, policy: Policy, dataDir: string, notify?: Notify, audit?: AuditRecorder): ToolPinning {
  const store = new PinStore({
    dataDir,
    logger: ctx.logger,
    onRecovery: (recovery) => ctx.logger.log('error', 'the tool pins file was damaged and set aside; tools are pinned again as they are seen', { ...recovery }),
  });
  return new ToolPinning({
    store,
    pinning: policy.pinning,
    poisoning: policy.poisoning,
    servers: policy.servers.map((s) => ({ id: s.id, url: s.url })),
    logger: ctx.logger,
    ...(audit ? { audit } : {}),
    onQuarantine: (notice) => {
      const message = `${notice.message} Review it with \`gatehouse tools list\`, then \`gatehouse tools approve ${notice.serverId} ${notice.name}\`.`;
      ctx.logger.log('warn', `tool '${notice.name}' of server '${notice.serverId}' is quarantined (${notice.reason}): ${message}`);
      notify?.({ level: 'warning', title: `Tool '${notice.name}' of server '${notice.serverId}' is on hold`, message });
    },
    onFlagged: (notice) => ctx.logger.log('warn', `tool '${notice.name}' of server '${notice.serverId}' looks poisoned but stays usable by policy; review it with \`gatehouse tools list\``),
  });
}
