// `gatehouse tools list` and `gatehouse tools approve SERVER TOOL`: the tools waiting for a person
// (changed after they were pinned, not among the hashes policy expects, or looking poisoned), shown
// in full, and their approval. The pins file is shared with the running broker, which sees an
// approval on its next call.
import { GatehouseError } from '../../../common/errors.js';
import type { WaitingTool } from '../../core/guard/pinning/tool-pinning.js';
import { dataDirOf, policyOf, type CommonFlags, type Context } from '../../host/context.js';
import { toolPinningFor } from '../../host/tool-pinning-host.js';

export async function tools(ctx: Context, action: string | undefined, args: string[], flags: CommonFlags & { json?: boolean; hash?: string }): Promise<void> {
  const [{ policy }, dataDir] = await Promise.all([policyOf(ctx, flags), dataDirOf(ctx, flags)]);
  const pinning = toolPinningFor(ctx, policy, dataDir);
  if (action === 'list') {
    const waiting = pinning.waiting();
    if (flags.json) return ctx.out(JSON.stringify(waiting) + '\n');
    if (waiting.length === 0) return ctx.out('No tool is waiting for approval.\n');
    for (const tool of waiting) ctx.out(describe(tool));
    return;
  }
  if (action === 'approve') {
    const [serverId, toolName] = args;
    if (!serverId || !toolName) throw new GatehouseError('GATEHOUSE_USAGE', 'name the tool: gatehouse tools approve SERVER TOOL [--hash SHA256]');
    const approved = await pinning.approve(serverId, toolName, 'user', flags.hash ? { hash: flags.hash } : {});
    return ctx.out(`Approved tool '${approved.toolName}' of server '${approved.serverId}' as it is now (sha256 ${approved.hash}).\n`);
  }
  throw new GatehouseError('GATEHOUSE_USAGE', 'usage: gatehouse tools list [--json] | gatehouse tools approve SERVER TOOL [--hash SHA256]');
}

function describe(tool: WaitingTool): string {
  const lines = [`${tool.serverId} / ${tool.toolName}: ${tool.reason} (sha256 ${tool.hash})`];
  for (const change of tool.changes) lines.push(`  changed ${change.field} (${change.change}): ${change.summary}`);
  for (const flag of tool.flags) lines.push(`  flagged ${flag.kind} in ${flag.where}: ${flag.detail}\n    ${flag.excerpt}`);
  const description = tool.definition?.['description'];
  if (typeof description === 'string') lines.push(`  description now: ${description}`);
  lines.push(`  approve: gatehouse tools approve ${tool.serverId} ${tool.toolName} --hash ${tool.hash}`);
  return lines.join('\n') + '\n\n';
}
