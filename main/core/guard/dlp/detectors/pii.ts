// Personal data: email addresses, phone numbers, national identifiers.
import type { Detector, MatchContext } from '../detector.js';
import { ssnValid } from '../validators/ssn.js';
import { verhoeffValid } from '../validators/verhoeff.js';

// Reserved for documentation (RFC 2606, RFC 6761) and common stand-ins.
const EXAMPLE_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|domain\.com|email\.com|yourcompany\.com|company\.com|acme\.com)$/i;
const FILE_EXTENSION = /^(?:png|jpe?g|gif|svg|webp|ico|bmp|js|mjs|cjs|ts|tsx|jsx|css|scss|html?|json|ya?ml|md|txt|py|rb|go|rs|java|kt|swift|c|h|cpp|zip|gz|tgz|tar|lock|map|wasm|pdf)$/i;

function emailValid(value: string): boolean {
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local === 'git' || /^[._-]|[._-]$|\.\./.test(local)) return false;
  if (EXAMPLE_DOMAIN.test(domain)) return false;
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  return !FILE_EXTENSION.test(tld) && !/^\d/.test(domain.split('.').at(-2) ?? '');
}

function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

function phoneValid(value: string, context: MatchContext): boolean {
  const digits = digitsOf(value);
  // Part of something longer: 1.415.555.0132.7, 10:415-555-0132.
  if (/\d[.:/]$/.test(context.text.slice(Math.max(0, context.start - 2), context.start)) || /^[.:/]\d/.test(context.text.slice(context.end, context.end + 2))) return false;
  if (new Set(digits).size < 4) return false;
  if (value.startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  if (digits.length !== 10 && !(digits.length === 11 && digits.startsWith('1'))) return false;
  const national = digits.length === 11 ? digits.slice(1) : digits;
  // NANP: area code and exchange start 2-9 and are not N11; 555-0100..0199 is reserved for fiction.
  if (/^.11/.test(national) || /^\d{3}[01]/.test(national) || /^\d{4}11/.test(national)) return false;
  return !/^...55501\d\d$/.test(national);
}

function ninoValid(value: string): boolean {
  const compact = value.replace(/ /g, '');
  return !/^(?:BG|GB|NK|KN|TN|NT|ZZ)/.test(compact) && !/^.[O]/.test(compact);
}

function aadhaarValid(value: string, context: MatchContext): boolean {
  const digits = digitsOf(value);
  if (!verhoeffValid(digits) || new Set(digits).size < 4) return false;
  // Printed numbers come in groups of four; a bare twelve-digit number needs the word nearby.
  if (/[ -]/.test(value)) return true;
  return /aadhaa?r|uidai/i.test(context.text.slice(Math.max(0, context.start - 48), context.start));
}

export const PII_DETECTORS: readonly Detector[] = [
  {
    id: 'email-address',
    title: 'Email address',
    category: 'pii',
    defaultAction: 'log',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
    maxLength: 600,
    triggers: [{ source: '@', before: 66 }],
    validate: emailValid,
  },
  {
    id: 'us-ssn',
    title: 'US Social Security number',
    category: 'pii',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![0-9-])[0-9]{3}([- ])[0-9]{2}[- ][0-9]{4}(?![0-9-])/g,
    maxLength: 11,
    triggers: [{ source: '[^0-9-]\\d\\d\\d[- ]\\d\\d[- ]\\d', at: 1 }],
    validate: (value) => value[3] === value[6] && ssnValid(digitsOf(value)),
  },
  {
    id: 'phone-number',
    title: 'Phone number',
    category: 'pii',
    defaultAction: 'log',
    confidence: 'medium',
    // International (+44 20 7946 0958, +14155550132) and North American ((415) 555-0132, 415-555-0132).
    pattern:
      /(?<![0-9A-Za-z+])(?:\+[1-9][0-9]{0,2}(?:[ .-]?\([0-9]{1,4}\))?(?:[ .-][0-9]{1,10}){1,5}|\+[1-9][0-9]{7,14}|\([2-9][0-9]{2}\)[ .-]?[2-9][0-9]{2}[ .-][0-9]{4}|[2-9][0-9]{2}[ .-][2-9][0-9]{2}[ .-][0-9]{4})(?![0-9])/g,
    maxLength: 32,
    triggers: [
      { source: '+[1-9]', at: 0 },
      { source: '([2-9]\\d\\d)', at: 0 },
      { source: '[^0-9][2-9]\\d\\d[ .-][2-9]\\d\\d[ .-]', at: 1 },
    ],
    validate: phoneValid,
  },
  {
    id: 'uk-national-insurance-number',
    title: 'UK National Insurance number',
    category: 'pii',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?![A-Za-z0-9])/g,
    maxLength: 13,
    triggers: [
      { source: '[^A-Za-z0-9][A-Z][A-Z]\\d\\d', at: 1 },
      { source: '[^A-Za-z0-9][A-Z][A-Z] \\d\\d', at: 1 },
    ],
    validate: ninoValid,
  },
  {
    id: 'in-aadhaar',
    title: 'Indian Aadhaar number',
    category: 'pii',
    defaultAction: 'block',
    confidence: 'medium',
    // Not inside longer runs of digits or letters (UUIDs, part numbers).
    pattern: /(?<![0-9][ -]?)(?<![A-Za-z])[2-9][0-9]{3}[ -]?[0-9]{4}[ -]?[0-9]{4}(?![ -]?[0-9])(?![A-Za-z])/g,
    maxLength: 14,
    triggers: [
      { source: '[^0-9A-Za-z][2-9]\\d\\d\\d\\d\\d\\d\\d', at: 1 },
      { source: '[^0-9A-Za-z][2-9]\\d\\d\\d[ -]\\d\\d\\d\\d', at: 1 },
    ],
    validate: aadhaarValid,
  },
];
