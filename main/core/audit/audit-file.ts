// Where the audit log lives: one place, shared by the broker host and `gatehouse audit`.
import path from 'node:path';

export function auditFile(dataDir: string): string {
  return path.join(dataDir, 'audit.db');
}
