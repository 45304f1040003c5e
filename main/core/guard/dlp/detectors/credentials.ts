// Credentials written into text or configuration: passwords, URLs with passwords, HTTP
// Authorization headers, and keys assigned to names like api_key or client_secret.
import type { Detector, MatchContext } from '../detector.js';
import { characterClasses, looksRandom } from '../validators/entropy.js';
import { isPlaceholder } from '../validators/placeholder.js';

// Words that follow "password:" in code and prose without being passwords.
const NOT_A_PASSWORD = /^(?:string|number|boolean|null|none|nil|undefined|true|false|required|optional|object|any|str|int|bytes|secret|password|passwd|hidden|empty|unset|default|prompt|env|redacted|masked|changeit|changeme|text|value|input|field|type)$/i;

/** Looks like a password someone typed: not a placeholder, a type name or a call, and of two kinds of characters or more. */
export function plausiblePassword(value: string, context?: MatchContext): boolean {
  if (value.length < 6 || isPlaceholder(value) || NOT_A_PASSWORD.test(value)) return false;
  if (/^(?:process\.env|os\.environ|env\.|ENV\[|getenv|vault:|secret:|ref\+|arn:)/i.test(value)) return false;
  if (/^\$[A-Za-z_{(]/.test(value) || /^%[A-Za-z_]+%$/.test(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  // A call, a member, or the start of a template: getPassword(), cfg.password, pypi-<token>.
  const next = context === undefined ? '' : context.text.charAt(context.end);
  if ('(.[<{$%'.includes(next) && next !== '') return false;
  return characterClasses(value) >= 2;
}

/** A generated secret: long, random-looking, not a placeholder or a plain identifier. */
export function plausibleSecret(value: string): boolean {
  if (isPlaceholder(value) || /^[a-z]+(?:[_-][a-z]+)*$/i.test(value)) return false;
  // Code and names, not values: settings.SECRET_KEY, tokenizer.next_token, MY_SECRET_NAME.
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return false;
  return looksRandom(value, { minEntropy: 3.5, minClasses: 2 });
}

function basicCredentials(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon < decoded.length - 1 && /^[\x20-\x7e]+$/.test(decoded) && !isPlaceholder(decoded.slice(colon + 1));
}

const HARMLESS_TOKEN_LABEL = /(?:page|cursor|continuation|sync|csrf|xsrf|next|prev)[_-]?token["']?[ \t]*(?:[:=]|=>)[ \t]*["']?$/i;
const PASSWORD_WORDS = ['password', 'passwd', 'passphrase', 'pwd'];
const KEY_WORDS = ['api_key', 'api-key', 'apikey', 'api_secret', 'secret', 'token', 'access_key', 'private_key'];

export const CREDENTIAL_DETECTORS: readonly Detector[] = [
  {
    id: 'password-assignment',
    title: 'Password in text or configuration',
    category: 'credential',
    defaultAction: 'block',
    confidence: 'medium',
    pattern: /(?<![A-Za-z0-9])(?:password|passwd|passphrase|pwd|pass)["']?[ \t]{0,3}(?:[:=]|=>)[ \t]{0,3}["']?([^\s"'`,;<>{}()[\]]{6,128})/dgi,
    valueGroup: 1,
    maxLength: 160,
    triggers: [...PASSWORD_WORDS, 'pass'].map((source) => ({ source, ignoreCase: true, after: 2 })),
    validate: plausiblePassword,
    generic: true,
  },
  {
    id: 'password-field',
    title: 'Password in a password field',
    category: 'credential',
    defaultAction: 'block',
    confidence: 'medium',
    // The whole value of a property named like a password ({"db_password": "..."}).
    pattern: /^[^\s]{6,128}$/g,
    maxLength: 128,
    triggers: [],
    context: { words: [], window: 0, property: /(?:password|passwd|passphrase|pwd)$/i },
    validate: plausiblePassword,
    generic: true,
  },
  {
    id: 'connection-string-password',
    title: 'Password in a connection string or URL',
    category: 'credential',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:@/?#"'<>]{0,64}:([^\s@/?#"'<>]{1,128})@[A-Za-z0-9[\].-]{1,253}/dg,
    valueGroup: 1,
    maxLength: 470,
    // The '@' that ends the credentials is rarer than '://' in ordinary text.
    triggers: [{ source: '@', before: 220 }],
    validate: (value) => !isPlaceholder(value) && !/^(?:pass(?:word)?|pwd|secret|\*+|x+)$/i.test(decodeSafe(value)),
    supersedes: ['email-address'],
    generic: true,
  },
  {
    id: 'http-basic-auth',
    title: 'HTTP Basic credentials',
    category: 'credential',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9])[Bb]asic[ \t]{1,3}([A-Za-z0-9+/]{8,512}={0,2})(?![A-Za-z0-9+/=])/dg,
    valueGroup: 1,
    maxLength: 530,
    triggers: [{ source: 'basic ', ignoreCase: true, after: 3 }],
    validate: basicCredentials,
  },
  {
    id: 'bearer-token',
    title: 'Bearer token',
    category: 'credential',
    defaultAction: 'block',
    confidence: 'medium',
    pattern: /(?<![A-Za-z0-9])[Bb]earer[ \t]{1,3}([A-Za-z0-9._~+/-]{20,2048}={0,2})(?![A-Za-z0-9._~+/=-])/dg,
    valueGroup: 1,
    maxLength: 2070,
    triggers: [{ source: 'bearer ', ignoreCase: true, after: 3 }],
    validate: plausibleSecret,
    generic: true,
  },
  {
    id: 'generic-api-key',
    title: 'API key or secret assigned in text',
    category: 'credential',
    defaultAction: 'block',
    confidence: 'low',
    pattern:
      /(?<![A-Za-z0-9])(?:[a-z0-9]{1,20}[_-])?(?:api[_-]?key|api[_-]?secret|apikey|secret[_-]?key|secret|access[_-]?token|auth[_-]?token|access[_-]?key|private[_-]?token|private[_-]?key|token)["']?[ \t]{0,3}(?:[:=]|=>)[ \t]{0,3}["']?([A-Za-z0-9_\-.+/=~]{16,256})/dgi,
    valueGroup: 1,
    maxLength: 320,
    triggers: KEY_WORDS.map((source) => ({ source, ignoreCase: true, before: source.length + 21, after: 2 })),
    // Pagination and CSRF tokens are random by design and harmless.
    validate: (value, context) => plausibleSecret(value) && !HARMLESS_TOKEN_LABEL.test(context.text.slice(Math.max(0, context.start - 48), context.start)),
    generic: true,
  },
  {
    id: 'generic-secret-field',
    title: 'Secret in a key or token field',
    category: 'credential',
    defaultAction: 'block',
    confidence: 'low',
    // The whole value of a property named like a credential ({"clientSecret": "..."}), but not
    // pagination or CSRF tokens, which are random and harmless.
    pattern: /^[A-Za-z0-9_\-.+/=~]{16,512}$/g,
    maxLength: 512,
    triggers: [],
    context: {
      words: [],
      window: 0,
      property: /(?:api[_-]?key|apikey|secret(?:[_-]?key)?|(?<!page|cursor|continuation|sync|csrf|xsrf|next|prev|previous|query|request|max|num|id)[_-]?token|credentials?|private[_-]?key|access[_-]?key)$/i,
    },
    validate: plausibleSecret,
    generic: true,
  },
];

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
