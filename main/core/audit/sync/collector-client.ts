// Sends one encoded batch to the company's collector and says what the outbox should do next.
// Only answers that can change by waiting are retried (network failures, 429, 502, 503, 504);
// anything else the collector refused is parked with its words, because retrying a 400 or a 500
// forever would hold every later batch hostage behind one the collector will never take.
// Reasons end up in the log and the UI, so they never carry header values (API keys, tokens), even
// when a collector echoes them back in an error page.
import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';

export type DeliveryOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'parked'; status: number; reason: string };

export interface DeliverOptions {
  url: string;
  body: string;
  contentType: string;
  /** Extra headers from policy (secrets already resolved). A content-type here is ignored. */
  headers: Readonly<Record<string, string>>;
  dispatcher?: Dispatcher;
  /** Covers the whole exchange: connecting, waiting for the answer, reading its body. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** For Retry-After given as an HTTP date; Date.now by default. */
  now?: () => number;
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;
/** Enough bytes for the quoted excerpt even when the body opens with markup and whitespace. */
const EXCERPT_BYTES = 4096;
const EXCERPT_CHARS = 300;
/** Shorter header values are too likely to occur in ordinary text to be scrubbed without mangling it. */
const MIN_SCRUBBED_CHARS = 4;
const MIN_SCRUBBED_TOKEN_CHARS = 8;
const REDACTED = '[redacted]';

export async function deliverBatch(options: DeliverOptions): Promise<DeliveryOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  const scrub = scrubber(Object.values(options.headers));
  let response: Dispatcher.ResponseData;
  try {
    response = await request(options.url, {
      method: 'POST',
      body: options.body,
      headers: requestHeaders(options),
      signal,
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
  } catch (error) {
    return { kind: 'retry', reason: scrub(unreachable(error, options, timeout)) };
  }

  const status = response.statusCode;
  if (status >= 200 && status < 300) {
    // The collector has taken the batch; a body that fails to arrive changes nothing.
    await response.body.dump().catch(() => undefined);
    return { kind: 'delivered' };
  }
  const excerpt = cut(printable(scrub(await readExcerpt(response.body), { cutOff: true })), EXCERPT_CHARS);
  const reason = scrub(`the collector answered ${status}${statusText(status)}${excerpt === '' ? ' with no body' : `: ${excerpt}`}`);
  if (RETRYABLE_STATUSES.has(status)) {
    const retryAfter = retryAfterMs(response.headers['retry-after'], (options.now ?? Date.now)());
    return retryAfter === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: retryAfter };
  }
  return { kind: 'parked', status, reason };
}

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 5 * 60 * 1000;

/**
 * The wait before retry number `attempt` (1 for the first retry): exponential from 1 s, capped at
 * 5 minutes, with full jitter so a fleet of laptops coming back online does not hit the collector in
 * step. `random` returns [0, 1) and is injected so tests can pin it. Pure, so an outbox that keeps
 * its attempt count on disk picks up where it left off after a restart.
 */
export function backoffMs(attempt: number, random: () => number): number {
  const step = Number.isNaN(attempt) ? 0 : Math.min(Math.max(Math.floor(attempt), 1) - 1, 30);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** step);
  return Math.floor(random() * ceiling);
}

function requestHeaders(options: DeliverOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers)) {
    if (name.toLowerCase() !== 'content-type') headers[name] = value;
  }
  headers['content-type'] = options.contentType;
  return headers;
}

function unreachable(error: unknown, options: DeliverOptions, timeout: AbortSignal): string {
  if (options.signal?.aborted) return 'the delivery was cancelled before the collector answered';
  if (timeout.aborted) return `the collector did not answer within ${options.timeoutMs} ms`;
  const code = errorCode(error);
  const message = printable(error instanceof Error ? error.message : String(error));
  return `could not reach the collector${code === undefined ? '' : ` (${code})`}: ${message}`;
}

/** Node and undici put the useful code (ECONNREFUSED, CERT_HAS_EXPIRED…) on the error or its cause. */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= EXCERPT_BYTES) break;
    }
  } catch {
    // A body cut short (reset, our timeout) still leaves the status to go by.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
}

function statusText(status: number): string {
  const text = STATUS_CODES[status];
  return text === undefined ? '' : ` ${text}`;
}

/** Delta-seconds or an HTTP date, clamped to [0, 1 hour]; undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    // Date.parse also takes bare numbers such as "1.5"; an HTTP date always has a month name.
    const at = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** Control, format and other invisible characters become spaces: the text is shown in a terminal. */
function printable(text: string): string {
  return text.replace(/\p{C}+/gu, ' ').replace(/\s+/g, ' ').trim();
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Removes header values, whole and by token (a body may echo just the token of "Bearer <token>"),
 * and the start of one cut off where the excerpt ends. Runs before the excerpt is shortened, so
 * shortening cannot leave half a secret behind.
 */
function scrubber(values: readonly string[]): (text: string, options?: { cutOff: boolean }) => string {
  const secrets = new Set<string>();
  for (const value of values) {
    if (value.length >= MIN_SCRUBBED_CHARS) secrets.add(value);
    for (const token of value.split(/[\s,;]+/)) {
      if (token.length >= MIN_SCRUBBED_TOKEN_CHARS) secrets.add(token);
    }
  }
  const longestFirst = [...secrets].sort((a, b) => b.length - a.length);
  return (text, options) => {
    let scrubbed = longestFirst.reduce((current, secret) => current.split(secret).join(REDACTED), text);
    if (options?.cutOff !== true) return scrubbed;
    for (const secret of longestFirst) {
      for (let length = secret.length - 1; length >= MIN_SCRUBBED_CHARS; length--) {
        if (scrubbed.endsWith(secret.slice(0, length))) {
          scrubbed = `${scrubbed.slice(0, -length)}${REDACTED}`;
          break;
        }
      }
    }
    return scrubbed;
  };
}
