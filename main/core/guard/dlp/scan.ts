// Scans a JSON value (tool arguments, an elicitation answer) for sensitive data: every string, in
// objects and arrays at any depth, every object key (a secret used as a key leaks just the same;
// keys are short, so this costs little), and large integers (a card number sent as a number).
// URL-encoded and base64 values are also scanned once decoded. The walk is iterative, so deep
// nesting cannot overflow the stack, and decoding is bounded in total size.
import { decodeCandidate, urlDecode, type DlpEncoding } from './decode.js';
import type { Detector } from './detector.js';
import { detectorSetFor, MIN_CANDIDATE_LENGTH, type DetectorSet, type RawMatch } from './detector-set.js';
import { maskValue } from './mask.js';

export type JsonPathSegment = string | number;

export interface DlpFinding {
  readonly detectorId: string;
  /** JSON path of the string, e.g. $.files[2].content; a key that matched shows masked. */
  readonly path: string;
  /** The same path as segments, for redaction. */
  readonly location: readonly JsonPathSegment[];
  /** The match is in the object key at `location`, not in its value. */
  readonly inKey?: true;
  /** The match is in the decoded form of the value; start and end index that form. */
  readonly encoding?: DlpEncoding;
  readonly start: number;
  readonly end: number;
  /** The matched value masked (AKIA…LE); never the whole value. */
  readonly preview: string;
}

export interface DlpScanResult {
  findings: DlpFinding[];
  /** The scan stopped at the findings limit: a redaction would be incomplete. */
  truncated: boolean;
}

export interface ScanLimits {
  /** Findings kept per scan; past this the scan stops and says so. */
  maxFindings: number;
  /** Characters decoded from base64 and URL encoding per scan, beyond the arguments' own size. */
  maxDecodedChars: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxFindings: 10_000, maxDecodedChars: 8 * 1024 * 1024 };

/** Integers from this size up are scanned as text: card numbers, account numbers. */
const NUMERIC_CANDIDATE_MIN = 1e8;

const NO_MATCHES: { detector: number; start: number; end: number }[] = [];

/** One object or array being walked: its children are visited in order. */
interface Level {
  items: unknown[] | undefined;
  object: Record<string, unknown> | undefined;
  keys: string[] | undefined;
  next: number;
  size: number;
  /** The property holding this container, passed to array elements as their context. */
  property: string | undefined;
}

export class DlpScanner {
  private set: DetectorSet | undefined;
  private readonly limits: ScanLimits;

  constructor(
    readonly detectors: readonly Detector[],
    limits: Partial<ScanLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SCAN_LIMITS, ...limits };
  }

  /**
   * Compiles the detectors' triggers now (about 0.1 s for the built-ins, once per process) rather
   * than on the first scan; a host may call it after it starts listening.
   */
  prepare(): void {
    this.set ??= detectorSetFor(this.detectors);
  }

  /** A mask for scan(): 1 for each detector whose id is not in `disabled`. */
  enabledMask(disabled: ReadonlySet<string>): Uint8Array {
    return Uint8Array.from(this.detectors, (d) => (disabled.has(d.id) ? 0 : 1));
  }

  scan(value: unknown, enabled?: Uint8Array): DlpScanResult {
    this.prepare();
    return new Walk(this.set!, this.limits, enabled).run(value);
  }
}

class Walk {
  private readonly findings: DlpFinding[] = [];
  private readonly matches: RawMatch[] = [];
  /** The path of the value being visited. */
  private readonly path: JsonPathSegment[] = [];
  /** Per depth, the masked form of a key that held a finding: paths through it show that instead. */
  private readonly maskedKeys: (string | undefined)[] = [];
  private readonly stack: Level[] = [];
  private decodedBudget: number;
  private truncated = false;

  constructor(
    private readonly set: DetectorSet,
    private readonly limits: ScanLimits,
    private readonly enabled: Uint8Array | undefined,
  ) {
    this.decodedBudget = limits.maxDecodedChars;
  }

  run(root: unknown): DlpScanResult {
    this.visit(root, undefined);
    const stack = this.stack;
    while (stack.length > 0 && !this.truncated) {
      const level = stack[stack.length - 1]!;
      if (level.next === level.size) {
        stack.pop();
        continue;
      }
      const i = level.next++;
      const depth = stack.length - 1;
      this.path.length = depth;
      this.maskedKeys.length = depth;
      if (level.keys !== undefined) {
        const key = level.keys[i]!;
        this.path.push(key);
        this.maskedKeys.push(undefined);
        this.scanText(key, undefined, true);
        this.visit(level.object![key], key);
      } else {
        this.path.push(i);
        this.maskedKeys.push(undefined);
        this.visit(level.items![i], level.property);
      }
    }
    return { findings: this.findings, truncated: this.truncated };
  }

  /** Scans a string or large integer at the current path, or starts walking a container. */
  private visit(value: unknown, property: string | undefined): void {
    if (typeof value === 'string') {
      this.scanText(value, property, false);
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && Math.abs(value) >= NUMERIC_CANDIDATE_MIN) this.scanText(String(value), property, false);
    } else if (Array.isArray(value)) {
      if (value.length > 0) this.stack.push({ items: value, object: undefined, keys: undefined, next: 0, size: value.length, property });
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (keys.length > 0) this.stack.push({ items: undefined, object: value as Record<string, unknown>, keys, next: 0, size: keys.length, property });
    }
  }

  private scanText(text: string, property: string | undefined, inKey: boolean): void {
    if (text.length < MIN_CANDIDATE_LENGTH) return;
    const remaining = this.limits.maxFindings - this.findings.length;
    this.matches.length = 0;
    this.set.scanString(text, property, this.matches, remaining + 1, this.enabled);
    const raw = this.matches.length === 0 ? NO_MATCHES : this.matches.map((m) => ({ detector: m.detector, start: m.start, end: m.end }));
    let decodedMatches: RawMatch[] = [];
    let decoded: ReturnType<typeof decodeCandidate>;
    if (this.decodedBudget > 0 && raw.length <= remaining) {
      decoded = decodeCandidate(text, this.decodedBudget);
      if (decoded !== undefined) {
        this.decodedBudget -= decoded.text.length;
        this.matches.length = 0;
        this.set.scanString(decoded.text, property, this.matches, remaining - raw.length + 1, this.enabled);
        // A value already reported from the raw text (a token in a URL-encoded query) is not reported twice.
        const seen = new Set(raw.map((m) => `${m.detector}:${decoded!.encoding === 'url' ? urlDecode(text.slice(m.start, m.end)) : text.slice(m.start, m.end)}`));
        decodedMatches = this.matches.filter((m) => !seen.has(`${m.detector}:${decoded!.text.slice(m.start, m.end)}`));
      }
    }
    if (raw.length === 0 && decodedMatches.length === 0) return;
    if (inKey) this.maskedKeys[this.maskedKeys.length - 1] = maskValue(text);
    const location = this.path.slice();
    const path = this.pathString();
    const add = (m: { detector: number; start: number; end: number }, source: string, encoding: DlpEncoding | undefined): void => {
      if (this.findings.length >= this.limits.maxFindings) {
        this.truncated = true;
        return;
      }
      this.findings.push({
        detectorId: this.set.detectors[m.detector]!.id,
        path,
        location,
        ...(inKey ? { inKey: true as const } : {}),
        ...(encoding !== undefined ? { encoding } : {}),
        start: m.start,
        end: m.end,
        preview: maskValue(source.slice(m.start, m.end)),
      });
    };
    for (const m of raw) add(m, text, undefined);
    for (const m of decodedMatches) add(m, decoded!.text, decoded!.encoding);
  }

  private pathString(): string {
    let out = '$';
    this.path.forEach((segment, depth) => {
      const masked = this.maskedKeys[depth];
      if (masked !== undefined) out += `[${JSON.stringify(masked)}]`;
      else if (typeof segment === 'number') out += `[${segment}]`;
      else out += /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment.length > 64 ? maskValue(segment) : segment)}]`;
    });
    return out;
  }
}
