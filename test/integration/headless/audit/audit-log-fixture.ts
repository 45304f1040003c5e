// A real audit log for `gatehouse audit …` tests: a temp data dir with audit.db written by the real
// AuditStore, holding what a morning with two IDEs leaves behind (a session, a sign-in, tool calls
// allowed, denied, redacted and blocked, a resource read), at fixed times so printed lines are exact.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditEvent, AuditEventInput } from '../../../../common/audit-event.js';
import { auditFile } from '../../../../main/core/audit/audit-file.js';
import { AuditStore } from '../../../../main/core/audit/store/audit-store.js';

/** 2026-11-22T01:02:03Z: the first event; each next one a second later. */
export const T0 = Date.UTC(2026, 10, 22, 1, 2, 3);

const HASH = 'a'.repeat(64);

export const MORNING: readonly AuditEventInput[] = [
  { type: 'session.opened', decision: 'recorded', client: 'cursor', session: 'mcp-s-1', user: 'alice' },
  { type: 'auth.sign_in', decision: 'recorded', user: 'alice', reason: 'signed in at https://idp.example.com' },
  {
    type: 'tool.call', decision: 'allowed', client: 'cursor', session: 'mcp-s-1', user: 'alice', server: 'docs', tool: 'search', method: 'tools/call',
    latencyMs: 12.4, status: 'ok', arguments: { query: 'rotate keys' }, argumentsHash: HASH, steps: [{ step: 'authorization', outcome: 'allow' }],
  },
  {
    type: 'tool.call', decision: 'denied', client: 'cursor', session: 'mcp-s-1', user: 'alice', server: 'incidents', tool: 'page_oncall', method: 'tools/call',
    code: 'GATEHOUSE_TOOL_NOT_ALLOWED', reason: 'no role of alice grants incidents/page_oncall', latencyMs: 3, status: 'refused',
    steps: [{ step: 'authorization', outcome: 'deny', code: 'GATEHOUSE_TOOL_NOT_ALLOWED' }],
  },
  {
    type: 'tool.call', decision: 'redacted', client: 'vscode', session: 'mcp-s-2', user: 'alice', server: 'docs', tool: 'search', method: 'tools/call',
    latencyMs: 40, status: 'ok', arguments: { query: 'key [REDACTED:aws-access-key]' }, argumentsHash: HASH,
    steps: [{ step: 'dlp', outcome: 'redact', detectors: ['aws-access-key'] }],
  },
  {
    type: 'tool.call', decision: 'denied', client: 'vscode', session: 'mcp-s-2', user: 'alice', server: 'docs', tool: 'fetch', method: 'tools/call',
    code: 'GATEHOUSE_DLP_BLOCKED', reason: 'the arguments contain a private key', latencyMs: 2, status: 'refused',
    steps: [{ step: 'dlp', outcome: 'block', code: 'GATEHOUSE_DLP_BLOCKED', detectors: ['private-key'] }],
  },
  { type: 'resource.read', decision: 'allowed', client: 'cursor', session: 'mcp-s-1', user: 'alice', server: 'docs', resource: 'docs://runbooks/keys', method: 'resources/read', latencyMs: 8, status: 'ok' },
  { type: 'session.closed', decision: 'recorded', client: 'cursor', session: 'mcp-s-1', user: 'alice' },
].map((event, index) => ({ ...event, time: T0 + index * 1000 }) as AuditEventInput);

export interface AuditLogFixture {
  dir: string;
  dataDir: string;
  file: string;
  /** Options every command of the test passes. */
  args: string[];
  /** Environment for the CLI: no stray policy or data dir of the machine, times printed in UTC. */
  env: NodeJS.ProcessEnv;
  append(events: readonly AuditEventInput[]): AuditEvent[];
  /** Writes a policy file (with `audit` as given) and returns the options naming it. */
  policy(audit: Record<string, unknown>): Promise<string[]>;
  close(): Promise<void>;
}

/** A temp data dir with an audit.db holding `events`; null: no log at all. */
export async function auditLogFixture(events: readonly AuditEventInput[] | null = MORNING): Promise<AuditLogFixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gh-cli-audit-'));
  const dataDir = path.join(dir, 'data');
  const file = auditFile(dataDir);
  let policies = 0;
  const fixture: AuditLogFixture = {
    dir,
    dataDir,
    file,
    args: ['--data-dir', dataDir],
    env: { HOME: dir, GATEHOUSE_POLICY: '', GATEHOUSE_DATA_DIR: '', TZ: 'UTC' },
    append(more) {
      const store = AuditStore.open(file);
      try {
        return store.append(more, T0).events;
      } finally {
        store.close();
      }
    },
    async policy(audit) {
      const policyFile = path.join(dir, `policy-${++policies}.json`);
      await writeFile(policyFile, JSON.stringify({ version: 1, servers: [], audit }));
      return ['--policy', policyFile];
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
  if (events !== null) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    fixture.append(events);
  }
  return fixture;
}

/** `count` plain allowed tool calls, a second apart from `from`. */
export function toolCalls(count: number, from = T0 + 3_600_000): AuditEventInput[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'tool.call' as const, decision: 'allowed' as const, client: 'cursor', server: 'docs', tool: `tool_${i}`, latencyMs: 1, status: 'ok' as const, time: from + i * 1000,
  }));
}
