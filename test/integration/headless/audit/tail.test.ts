// `gatehouse audit tail`: the last events of a real audit.db, as aligned lines or JSON lines,
// filtered, and followed as the broker writes more.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { auditEventSchema } from '../../../../common/audit-event.js';
import { silentLogger } from '../../../../main/core/ports/logger.js';
import { audit } from '../../../../main/headless/commands/audit.js';
import type { Context } from '../../../../main/host/context.js';
import { runCli } from '../cli-runner.js';
import { auditLogFixture, MORNING, toolCalls, type AuditLogFixture } from './audit-log-fixture.js';

const root = path.join(import.meta.dirname, '..', '..', '..', '..');

describe('gatehouse audit tail', () => {
  let log: AuditLogFixture;
  before(async () => (log = await auditLogFixture()));
  after(() => log.close());

  const tail = (...args: string[]) => runCli(['audit', 'tail', ...args, ...log.args], log.env);

  test('prints every event of a short log oldest first, one aligned line each', async () => {
    const r = await tail();
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, MORNING.length);
    assert.equal(lines[0], '2026-11-22 01:02:03  session.opened    recorded              cursor  user alice');
    assert.equal(lines[1], '2026-11-22 01:02:04  auth.sign_in      recorded              signed in at https://idp.example.com  user alice');
    assert.equal(lines[3], '2026-11-22 01:02:06  tool.call         denied          3 ms  cursor → incidents/page_oncall  GATEHOUSE_TOOL_NOT_ALLOWED  user alice');
    assert.equal(lines[6], '2026-11-22 01:02:09  resource.read     allowed         8 ms  cursor → docs docs://runbooks/keys  user alice');
    assert.match(lines[7]!, /^2026-11-22 01:02:10  session\.closed/);
    // The fixed-width columns line up: every latency ends at the same column.
    const latencyEnds = lines.filter((line) => / ms {2}/.test(line)).map((line) => line.indexOf(' ms  '));
    assert.equal(latencyEnds.length, 5);
    assert.equal(new Set(latencyEnds).size, 1);
  });

  test('-n N prints only the newest N, still oldest first', async () => {
    const r = await tail('-n', '2');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /resource\.read/);
    assert.match(lines[1]!, /session\.closed/);
  });

  test('filters by decision, server, tool, client and type', async () => {
    const [denied, vscodeDocs, byTool, reads] = await Promise.all([
      tail('--decision', 'denied'),
      tail('--client', 'vscode', '--server', 'docs'),
      tail('--tool', 'search', '-n', '1'),
      tail('--type', 'resource.read'),
    ]);
    assert.deepEqual(denied.stdout.trimEnd().split('\n').map((l) => /→ (\S+)/.exec(l)?.[1]), ['incidents/page_oncall', 'docs/fetch']);
    assert.deepEqual(vscodeDocs.stdout.trimEnd().split('\n').map((l) => /(redacted|denied)/.exec(l)?.[1]), ['redacted', 'denied']);
    assert.match(byTool.stdout, /^.*redacted.*vscode → docs\/search.*\n$/);
    assert.equal(reads.stdout.trimEnd().split('\n').length, 1);
    assert.match(reads.stdout, /docs:\/\/runbooks\/keys/);
  });

  test('--json prints one event per line, each as the schema reads it back', async () => {
    const r = await tail('--json', '--decision', 'denied');
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trimEnd().split('\n').map((line) => auditEventSchema.parse(JSON.parse(line)));
    assert.deepEqual(events.map((e) => [e.seq, e.code]), [[4, 'GATEHOUSE_TOOL_NOT_ALLOWED'], [6, 'GATEHOUSE_DLP_BLOCKED']]);
    assert.deepEqual(events[1]!.steps, [{ step: 'dlp', outcome: 'block', code: 'GATEHOUSE_DLP_BLOCKED', detectors: ['private-key'] }]);
  });

  test('refuses an unknown decision with the list of valid ones (exit 2)', async () => {
    const r = await tail('--decision', 'maybe');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--decision must be one of allowed, redacted, denied/);
  });

  test('a hostile tool name cannot drive the terminal: control characters are blanked', async () => {
    const hostile = await auditLogFixture([{ type: 'tool.call', decision: 'allowed', client: 'cursor', server: 'evil', tool: 'x\u001b]0;pwned\u0007\u202eyz', time: 0 }]);
    try {
      const r = await runCli(['audit', 'tail', ...hostile.args], hostile.env);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /[\u001b\u0007\u202e]/);
      assert.match(r.stdout, /evil\/x ]0;pwned  yz/);
    } finally {
      await hostile.close();
    }
  });
});

describe('gatehouse audit tail on a long log', () => {
  let log: AuditLogFixture;
  before(async () => {
    log = await auditLogFixture();
    log.append(toolCalls(30));
  });
  after(() => log.close());

  test('prints the newest 20 by default', async () => {
    const r = await runCli(['audit', 'tail', '--json', ...log.args], log.env);
    assert.equal(r.code, 0, r.stderr);
    const seqs = r.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq);
    assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => MORNING.length + 11 + i));
  });

  test('reads past one page for a large -n', async () => {
    log.append(toolCalls(600, 0));
    const r = await runCli(['audit', 'tail', '--json', '-n', '620', ...log.args], log.env);
    const seqs = r.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq);
    assert.equal(seqs.length, 620);
    assert.equal(seqs[0], MORNING.length + 30 + 600 - 620 + 1);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  });
});

describe('gatehouse audit tail without a log', () => {
  test('says there is none yet and exits 0', async () => {
    const empty = await auditLogFixture(null);
    try {
      const r = await runCli(['audit', 'tail', ...empty.args], empty.env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /There is no audit log at .*audit\.db yet: Gatehouse creates it the first time the broker runs/);
    } finally {
      await empty.close();
    }
  });
});

describe('gatehouse audit tail --follow', () => {
  let log: AuditLogFixture;
  before(async () => (log = await auditLogFixture()));
  after(() => log.close());

  test('prints an event written after it started, and stops on SIGINT with exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/headless/cli.ts'), 'audit', 'tail', '--follow', '-n', '1', ...log.args], {
      cwd: root, env: { ...process.env, ...log.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    try {
      const output = lines(child.stdout);
      assert.match(await output.next(/session\.closed/), /session\.closed/);
      log.append([{ type: 'tool.call', decision: 'denied', client: 'cursor', server: 'incidents', tool: 'resolve', code: 'GATEHOUSE_APPROVAL_DENIED' }]);
      assert.match(await output.next(/incidents\/resolve/), /denied .*cursor → incidents\/resolve  GATEHOUSE_APPROVAL_DENIED/);
      child.kill('SIGINT');
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      assert.deepEqual({ code, signal }, { code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  test('in process: follows with filters and returns once its signal aborts', async () => {
    const out: string[] = [];
    let wrote: () => void = () => {};
    const ctx: Context = {
      env: { GATEHOUSE_DATA_DIR: '' }, platform: process.platform, homedir: log.dir, logger: silentLogger, err: () => {},
      out: (text) => {
        out.push(text);
        wrote();
      },
    };
    const controller = new AbortController();
    const waitForOutput = (n: number) => new Promise<void>((resolve) => {
      wrote = () => out.length >= n && resolve();
      wrote();
    });
    const running = audit(ctx, 'tail', [], { follow: true, json: true, lines: '1', decision: 'denied', 'data-dir': log.dataDir }, { signal: controller.signal, pollMs: 10 });
    await waitForOutput(1); // the last denied event: following has its starting point
    log.append([
      { type: 'tool.call', decision: 'allowed', client: 'cursor', server: 'docs', tool: 'search' },
      { type: 'tool.call', decision: 'denied', client: 'cursor', server: 'docs', tool: 'delete_all', code: 'GATEHOUSE_APPROVAL_DENIED' },
    ]);
    await waitForOutput(2);
    controller.abort();
    await running;
    assert.equal(out.length, 2);
    assert.deepEqual(out[1]!.trimEnd().split('\n').map((line) => (JSON.parse(line) as { tool: string }).tool), ['delete_all']);
  });
});

/** Lines of a stream, awaited one pattern at a time (never by sleeping). */
function lines(stream: NodeJS.ReadableStream): { next(pattern: RegExp, timeoutMs?: number): Promise<string> } {
  let buffer = '';
  let waiter: (() => void) | undefined;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    waiter?.();
  });
  return {
    next(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        // A failsafe only: the test waits on output, and this turns a hang into a message.
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got: ${buffer}`)), timeoutMs);
        waiter = () => {
          const line = buffer.split('\n').find((l) => pattern.test(l));
          if (line === undefined) return;
          clearTimeout(timer);
          waiter = undefined;
          resolve(line);
        };
        waiter();
      });
    },
  };
}
