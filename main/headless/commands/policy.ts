// `gatehouse policy validate FILE` and `gatehouse policy schema`
import { readFile } from 'node:fs/promises';
import { GatehouseError } from '../../../common/errors.js';
import { formatIssues } from '../../core/policy/format-issues.js';
import { policyJsonSchema } from '../../core/policy/json-schema.js';
import { parsePolicyText } from '../../core/policy/validate.js';
import type { Context } from '../../host/context.js';

/** Returns the process exit code: 0 valid, 1 invalid. */
export async function policy(ctx: Context, action: string | undefined, file: string | undefined): Promise<number> {
  if (action === 'schema') {
    ctx.out(JSON.stringify(policyJsonSchema(), null, 2) + '\n');
    return 0;
  }
  if (action === 'validate') {
    if (!file) throw new GatehouseError('GATEHOUSE_USAGE', 'usage: gatehouse policy validate FILE');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new GatehouseError('GATEHOUSE_POLICY_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`);
    }
    const result = parsePolicyText(text, file);
    if (result.ok) {
      ctx.out(`${file}: valid (version ${result.policy.version}, ${result.policy.servers.length} server(s))\n`);
      return 0;
    }
    ctx.err(`${file}: ${result.errors.length} error(s)\n`);
    for (const line of formatIssues(result.errors)) ctx.err(`  ${line}\n`);
    return 1;
  }
  throw new GatehouseError('GATEHOUSE_USAGE', 'usage: gatehouse policy validate FILE | gatehouse policy schema');
}
