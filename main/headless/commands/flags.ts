import { GatehouseError } from '../../../common/errors.js';

export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new GatehouseError('GATEHOUSE_USAGE', `--port must be a whole number from 0 to 65535 (0 picks a free port), not '${value}'`);
  return n;
}
