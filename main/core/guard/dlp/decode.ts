// Values that hide text inside an encoding: base64 (also base64url and data: URLs) and URL
// encoding (%XX). Each is decoded once, never recursively, and only when the result is mostly
// printable text; a base64 image decodes to binary and is left alone. Inside longer text, only
// base64 that encodes a PEM block is looked for (a Kubernetes Secret's tls.key), by its prefix.

export type DlpEncoding = 'base64' | 'url';

export interface Decoded {
  encoding: DlpEncoding;
  text: string;
}

const MIN_BASE64_LENGTH = 16;
const NOT_BASE64 = /[^A-Za-z0-9+/=_\r\n-]/;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;
const PROBE_CHARS = 1024;

/** The decoded form of `text` when it is URL-encoded or base64 text, within `budget` characters. */
export function decodeCandidate(text: string, budget: number): Decoded | undefined {
  if (text.length < MIN_BASE64_LENGTH && !text.includes('%')) return undefined;
  if (text.includes('%') && PERCENT_ESCAPE.test(text)) {
    if (text.length > budget) return undefined;
    const decoded = urlDecode(text);
    return decoded === text ? undefined : { encoding: 'url', text: decoded };
  }
  const body = base64Body(text) ?? embeddedPem(text);
  if (body === undefined || body.length > budget * 2) return undefined;
  // Probe the start before decoding it all: most base64 in arguments is binary (images, archives).
  const probe = body.replace(/[\r\n]/g, '').slice(0, PROBE_CHARS);
  if (!mostlyPrintable(Buffer.from(probe.slice(0, probe.length - (probe.length % 4)), 'base64').toString('utf8'))) return undefined;
  const decoded = Buffer.from(body, 'base64').toString('utf8');
  return mostlyPrintable(decoded) ? { encoding: 'base64', text: decoded } : undefined;
}

/** base64 of "-----BEGIN ": where a PEM block was base64-encoded as a whole. */
const PEM_IN_BASE64 = 'LS0tLS1CRUdJTi';
const MAX_EMBEDDED = 256 * 1024;

function embeddedPem(text: string): string | undefined {
  const at = text.indexOf(PEM_IN_BASE64);
  if (at < 0) return undefined;
  let end = at;
  while (end < text.length && end - at < MAX_EMBEDDED && isBase64Char(text.charCodeAt(end))) end++;
  return text.slice(at, end);
}

function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
}

function base64Body(text: string): string | undefined {
  let body = text.trim();
  if (body.startsWith('data:')) {
    const comma = body.indexOf(',');
    if (comma < 0 || !body.slice(0, comma).endsWith(';base64')) return undefined;
    body = body.slice(comma + 1);
  }
  if (body.length < MIN_BASE64_LENGTH || NOT_BASE64.test(body)) return undefined;
  const padding = body.indexOf('=');
  if (padding >= 0 && !/^={1,2}[\r\n]*$/.test(body.slice(padding))) return undefined;
  return body;
}

/** Decodes each run of %XX escapes; a run that is not UTF-8 reads as Latin-1. */
export function urlDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return Buffer.from(run.replace(/%/g, ''), 'hex').toString('latin1');
    }
  });
}

/** At least 90% of characters are printable or whitespace, and the text is not empty. */
export function mostlyPrintable(text: string): boolean {
  if (text.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xfffd || (c >= 0x80 && c < 0xa0)) bad++;
  }
  return bad <= text.length * 0.1;
}
