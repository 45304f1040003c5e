// DLP on what the user answers a server: the answer goes upstream like a tool argument does, so the
// same detectors look at it. A block or an `ask` (the user already answered; asking again about their
// own words would only teach them to click through) sends `cancel` instead; a redaction sends the
// answer with the matches replaced.
import type { DlpStep } from '../guard/dlp/dlp-step.js';
import { findingSummary } from '../guard/dlp/dlp-guard-step.js';
import type { Params } from '../mcp/jsonrpc.js';
import type { Logger } from '../ports/logger.js';

export function screenAnswer(dlp: DlpStep, logger: Logger, serverId: string, result: Params): Params {
  if (result['action'] !== 'accept' || result['content'] === undefined) return result;
  const decision = dlp.checkElicitationAnswer(serverId, result['content']);
  if (decision.kind === 'allow') return result;
  logger.log(decision.kind === 'log' ? 'info' : 'warn', `DLP on an answer to server '${serverId}': ${decision.kind}`, { findings: decision.findings.map(findingSummary) });
  switch (decision.kind) {
    case 'log':
      return result;
    case 'redact':
      return { ...result, content: decision.arguments };
    case 'ask':
    case 'block':
      return { action: 'cancel' };
  }
}
