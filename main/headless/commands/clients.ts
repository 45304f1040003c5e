// `gatehouse clients list|revoke NAME`
import { GatehouseError } from '../../../common/errors.js';
import { ClientRegistry } from '../../core/clients/registry.js';
import { deleteStdioToken } from '../../core/clients/stdio-token.js';
import { dataDirOf, type CommonFlags, type Context } from '../../host/context.js';

export async function clients(ctx: Context, action: string | undefined, name: string | undefined, flags: CommonFlags & { json?: boolean }): Promise<void> {
  const registry = new ClientRegistry({ dataDir: await dataDirOf(ctx, flags), logger: ctx.logger });
  if (action === 'list') {
    const list = registry.list();
    if (flags.json) return ctx.out(JSON.stringify(list) + '\n');
    if (list.length === 0) return ctx.out('No clients registered. Connect one with `gatehouse connect <client>`.\n');
    for (const c of list) ctx.out(`${c.name}\tregistered ${c.createdAt}\ttoken rotated ${c.lastRotatedAt}\n`);
    return;
  }
  if (action === 'revoke') {
    if (!name) throw new GatehouseError('GATEHOUSE_USAGE', 'name the client to revoke: gatehouse clients revoke NAME');
    await registry.revoke(name);
    await deleteStdioToken(registry.dataDir, name);
    return ctx.out(`Revoked client '${name}': its token no longer opens the endpoint.\n`);
  }
  throw new GatehouseError('GATEHOUSE_USAGE', 'usage: gatehouse clients list | gatehouse clients revoke NAME');
}
