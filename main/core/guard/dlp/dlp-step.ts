// The DLP guard step: scans a tool call's arguments (or an elicitation answer on its way to a
// server) and decides what happens to the call. Each finding gets the action policy gives its
// detector on that server; the strictest action wins (block > ask > redact > log), and findings
// whose action is redact are replaced whatever the overall decision.
import type { DetectorCategory, Detector, DlpAction } from './detector.js';
import { stricterAction } from './detector.js';
import { BUILTIN_DETECTORS } from './detectors/index.js';
import { customDetector } from './custom-detectors.js';
import { DEFAULT_DLP_POLICY, type DlpPolicy } from './dlp-policy.js';
import { maskMarker, redact } from './redact.js';
import { DlpScanner, type DlpFinding, type ScanLimits } from './scan.js';

export interface DlpReportedFinding extends DlpFinding {
  readonly title: string;
  readonly category: DetectorCategory;
  readonly action: DlpAction;
}

/**
 * `maskedArguments` is the value with every match masked (AKIA…LE): what a prompt or log may show.
 */
export type DlpDecision =
  | { kind: 'allow' }
  | { kind: 'log'; maskedArguments: unknown; findings: DlpReportedFinding[] }
  /** Send `arguments`, in which the matches whose action is redact are replaced. */
  | { kind: 'redact'; arguments: unknown; maskedArguments: unknown; findings: DlpReportedFinding[] }
  /** A person decides, shown `question`; if they allow it, send `arguments` (redact matches already replaced). */
  | { kind: 'ask'; question: string; arguments: unknown; maskedArguments: unknown; findings: DlpReportedFinding[] }
  | { kind: 'block'; code: 'GATEHOUSE_DLP_BLOCKED'; message: string; findings: DlpReportedFinding[] };

/** What is being sent, for messages. */
export type DlpSubject = { kind: 'tool-call'; serverId: string; toolName: string } | { kind: 'elicitation-answer'; serverId: string };

const ALLOW: DlpDecision = { kind: 'allow' };
const LISTED_IN_MESSAGES = 5;

export class DlpStep {
  private readonly scanner: DlpScanner | undefined;
  private readonly byId: ReadonlyMap<string, Detector>;
  private readonly masks = new Map<string, Uint8Array>();

  constructor(
    private readonly policy: DlpPolicy = DEFAULT_DLP_POLICY,
    builtins: readonly Detector[] = BUILTIN_DETECTORS,
    limits: Partial<ScanLimits> = {},
  ) {
    const detectors = policy.custom.length === 0 ? builtins : [...builtins, ...policy.custom.map(customDetector)];
    this.byId = new Map(detectors.map((d) => [d.id, d]));
    this.scanner = policy.enabled ? new DlpScanner(detectors, limits) : undefined;
  }

  /** Compiles the detectors now instead of on the first check (see DlpScanner.prepare). */
  prepare(): void {
    this.scanner?.prepare();
  }

  checkToolCall(serverId: string, toolName: string, args: unknown): DlpDecision {
    return this.check({ kind: 'tool-call', serverId, toolName }, args);
  }

  checkElicitationAnswer(serverId: string, content: unknown): DlpDecision {
    return this.check({ kind: 'elicitation-answer', serverId }, content);
  }

  /** The action policy gives `detectorId`'s findings on `serverId`. */
  actionFor(serverId: string, detectorId: string): DlpAction {
    const server = this.policy.servers[serverId];
    return (
      server?.detectors?.[detectorId]?.action ??
      server?.defaultAction ??
      this.policy.detectors[detectorId]?.action ??
      this.policy.defaultAction ??
      this.byId.get(detectorId)?.defaultAction ??
      'block'
    );
  }

  check(subject: DlpSubject, value: unknown): DlpDecision {
    if (this.scanner === undefined || value === undefined) return ALLOW;
    const result = this.scanner.scan(value, this.maskFor(subject.serverId));
    if (result.findings.length === 0 && !result.truncated) return ALLOW;
    const findings = result.findings.map((f): DlpReportedFinding => {
      const detector = this.byId.get(f.detectorId)!;
      return { ...f, title: detector.title, category: detector.category, action: this.actionFor(subject.serverId, f.detectorId) };
    });
    const action = findings.reduce<DlpAction>((strictest, f) => stricterAction(strictest, f.action), 'log');
    if (result.truncated && this.anyStricterThanLog(subject.serverId)) {
      return { kind: 'block', code: 'GATEHOUSE_DLP_BLOCKED', findings, message: tooManyMessage(subject, findings.length) };
    }
    if (action === 'block') {
      const blocking = findings.filter((f) => f.action === 'block');
      return { kind: 'block', code: 'GATEHOUSE_DLP_BLOCKED', findings, message: blockMessage(subject, blocking) };
    }
    const redactable = findings.filter((f) => f.action === 'redact');
    const sent = redactable.length > 0 ? redact(value, redactable) : value;
    const maskedArguments = redact(value, findings, maskMarker);
    if (action === 'ask') {
      const asking = findings.filter((f) => f.action === 'ask');
      return { kind: 'ask', question: askQuestion(subject, asking, redactable.length), arguments: sent, maskedArguments, findings };
    }
    return redactable.length > 0 ? { kind: 'redact', arguments: sent, maskedArguments, findings } : { kind: 'log', maskedArguments, findings };
  }

  private maskFor(serverId: string): Uint8Array {
    let mask = this.masks.get(serverId);
    if (mask === undefined) {
      const disabled = new Set([...this.policy.disabled, ...(this.policy.servers[serverId]?.disabled ?? [])]);
      this.masks.set(serverId, (mask = this.scanner!.enabledMask(disabled)));
    }
    return mask;
  }

  private anyStricterThanLog(serverId: string): boolean {
    const mask = this.maskFor(serverId);
    return this.scanner!.detectors.some((d, i) => mask[i] === 1 && this.actionFor(serverId, d.id) !== 'log');
  }
}

/** "AWS access key ID at $.env.KEY (AKIA…LE); Email address at $.to (jo…m) and 3 more" */
function describeFindings(findings: readonly DlpReportedFinding[]): string {
  const listed = findings.slice(0, LISTED_IN_MESSAGES).map((f) => `${f.title} at ${f.path}${f.encoding !== undefined ? ` (${f.encoding}-encoded)` : ''} (${f.preview})`);
  const more = findings.length - listed.length;
  return `${listed.join('; ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function what(subject: DlpSubject): string {
  return subject.kind === 'tool-call' ? `this call to '${subject.toolName}' on server '${subject.serverId}'` : `your answer to server '${subject.serverId}'`;
}

function detectorList(findings: readonly DlpReportedFinding[]): string {
  return [...new Set(findings.map((f) => f.detectorId))].join(', ');
}

function blockMessage(subject: DlpSubject, findings: readonly DlpReportedFinding[]): string {
  const remedy =
    subject.kind === 'tool-call'
      ? 'Remove these values from the arguments, or refer to them indirectly (a name or reference the server can resolve) instead of sending them, and call again.'
      : 'Answer again without these values.';
  return (
    `Gatehouse blocked ${what(subject)} because it contains sensitive data: ${describeFindings(findings)}. ${remedy} ` +
    `If this data may be shared, ask your administrator to change the DLP policy for ${detectorList(findings)}.`
  );
}

function tooManyMessage(subject: DlpSubject, count: number): string {
  return (
    `Gatehouse blocked ${what(subject)} because it contains more sensitive values than it can check and redact (${count} found before it stopped). ` +
    'Send less data at once, without the sensitive values.'
  );
}

function askQuestion(subject: DlpSubject, findings: readonly DlpReportedFinding[], redacted: number): string {
  const also = redacted > 0 ? ` (${redacted} other value${redacted === 1 ? '' : 's'} will be redacted)` : '';
  return `${subject.kind === 'tool-call' ? `The call to '${subject.toolName}' on server '${subject.serverId}'` : `Your answer to server '${subject.serverId}'`} contains ${describeFindings(findings)}${also}. Send it anyway?`;
}
