// The `gatehouse` command: the headless host of the broker core.
import { parseArgs } from 'node:util';
import { isGatehouseError } from '../../common/errors.js';
import { GATEHOUSE_VERSION } from '../../common/version.js';
import { processContext } from '../host/context.js';
import { audit } from './commands/audit.js';
import { clients } from './commands/clients.js';
import { connect } from './commands/connect.js';
import { login } from './commands/login.js';
import { logout } from './commands/logout.js';
import { policy } from './commands/policy.js';
import { serve } from './commands/serve.js';
import { stdio } from '../host/stdio-bridge.js';
import { tools } from './commands/tools.js';
import { whoami } from './commands/whoami.js';

const USAGE = `gatehouse ${GATEHOUSE_VERSION} — the local MCP broker

Usage:
  gatehouse serve [--policy FILE] [--port N] [--data-dir DIR]   run the broker headless; offers a sign-in link
                [--no-browser] [--prompts browser|terminal|none] when one is needed (--no-browser: print it only);
                                                                 prompts are answered, and the dashboard shown, in the
                                                                 browser page it prints (Dashboard: link)
  gatehouse demo [--port N] [--as dev|sre] [--no-browser]        run the broker with a demo IdP and demo servers
                                                                 (--as: sign in as that demo user at once)
  gatehouse connect <cursor|vscode|claude-code|claude-desktop|windsurf|generic>
                    [--name NAME] [--server ID ...] [--print] [--json]
                                                                 register an IDE and write its MCP config
  gatehouse clients list | revoke NAME                           manage registered clients
  gatehouse stdio --client NAME [--server ID]                    stdio bridge for stdio-only IDEs
  gatehouse policy validate FILE | schema                        check a policy / print its JSON Schema
  gatehouse login [--no-browser]                                 sign in at your organisation's IdP
                                                                 (--no-browser: print the URL instead of opening it)
  gatehouse whoami [--json]                                      who is signed in, roles, token expiry, secret store
  gatehouse logout                                               revoke the sign-in and remove it from this computer
  gatehouse tools list [--json]                                  tools waiting for approval (changed, unexpected, poisoned)
  gatehouse tools approve SERVER TOOL [--hash SHA256]            approve a waiting tool as it is now
  gatehouse audit tail [-n N] [--follow|-f] [--json]             the last N audit events (default 20), oldest first;
                 [--server ID] [--tool NAME] [--client NAME]     --follow: keep printing new ones until Ctrl-C
                 [--decision D] [--type T]
  gatehouse audit export --format jsonl|otlp|ocsf                the audit log as JSON lines (otlp: one
                 [--since ISO] [--until ISO] [--out FILE]        ExportLogsServiceRequest per 1000 events); --out: a 0600 file
  gatehouse audit verify [--json]                                check the audit log's hash chain (exit 1 at a break)
  gatehouse audit status [--json]                                audit events, pending shipping, last success and error
  gatehouse audit sync --now [--json]                            ship pending audit events to the collector now
  gatehouse audit secret set NAME | delete NAME                  a collector header secret in the OS keychain (value on stdin)

Common options: --data-dir DIR (default: the OS data folder, or GATEHOUSE_DATA_DIR),
                --policy FILE (default: GATEHOUSE_POLICY, then the OS managed location),
                --log-level debug|info|warn|error,
                --insecure-dev-issuer (tests and the demo IdP only: allow a plain-http IdP on loopback)
`;

const OPTIONS = {
  policy: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'log-level': { type: 'string' },
  name: { type: 'string' },
  server: { type: 'string', multiple: true },
  client: { type: 'string' },
  print: { type: 'boolean' },
  json: { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  hash: { type: 'string' },
  prompts: { type: 'string' },
  as: { type: 'string' },
  lines: { type: 'string', short: 'n' },
  follow: { type: 'boolean', short: 'f' },
  tool: { type: 'string' },
  decision: { type: 'string' },
  type: { type: 'string' },
  format: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  out: { type: 'string' },
  now: { type: 'boolean' },
  'insecure-dev-issuer': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const ctx = processContext(values['log-level']);
  const [command, a, b] = positionals;
  if (values.version) return ctx.out(`${GATEHOUSE_VERSION}\n`), 0;
  if (values.help || !command) return ctx.out(USAGE), command ? 0 : values.help ? 0 : 2;
  switch (command) {
    case 'serve':
      await serve(ctx, values);
      return 0;
    case 'demo': {
      // Loaded only here: the demo IdP (oidc-provider and its web stack) must not weigh on `serve`.
      const { demo } = await import('./commands/demo.js');
      await demo(ctx, values);
      return 0;
    }
    case 'connect':
      await connect(ctx, a, values);
      return 0;
    case 'clients':
      await clients(ctx, a, b, values);
      return 0;
    case 'stdio':
      await stdio(ctx, values);
      return 0;
    case 'policy':
      return policy(ctx, a, b);
    case 'login':
      await login(ctx, values);
      return 0;
    case 'logout':
      await logout(ctx, values);
      return 0;
    case 'whoami':
      return whoami(ctx, values);
    case 'tools':
      await tools(ctx, a, positionals.slice(2), values);
      return 0;
    case 'audit':
      await audit(ctx, a, positionals.slice(2), values);
      return 0;
    default:
      ctx.err(`gatehouse: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

// `gatehouse audit tail | head`: the reader went away; that is the end of the output, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isGatehouseError(error)) {
      process.stderr.write(`gatehouse: ${error.message} [${error.code}]\n`);
      process.exitCode = error.code === 'GATEHOUSE_USAGE' ? 2 : 1;
    } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`gatehouse: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`gatehouse: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
