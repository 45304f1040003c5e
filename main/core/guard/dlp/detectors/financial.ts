// Financial identifiers: payment cards, IBANs, US routing numbers, Bitcoin addresses.
import type { Detector } from '../detector.js';
import { abaRoutingValid } from '../validators/aba.js';
import { base58CheckValid, base58Decode } from '../validators/base58check.js';
import { bech32Variant } from '../validators/bech32.js';
import { ibanValid } from '../validators/iban.js';
import { luhnValid } from '../validators/luhn.js';

// Test numbers published by card networks and payment providers: valid Luhn, nobody's card.
const PUBLISHED_TEST_CARDS = new Set([
  '378282246310005', '371449635398431', '378734493671000', '30569309025904', '38520000023237', '6011000990139424',
  '3530111333300000', '3566002020360505', '5105105105105100', '4012888888881881', '4222222222222', '4000056655665556',
  '5200828282828210', '6200000000000005', '3056930009020004', '36227206271667', '6011981111111113', '2223003122003222',
]);
const PUBLISHED_EXAMPLE_IBANS = new Set(['GB82WEST12345698765432', 'DE89370400440532013000', 'GB29NWBK60161331926819', 'GB33BUKB20201555555555']);

/** Card brands by issuer prefix, with the lengths they issue. */
function brandLengths(digits: string): readonly number[] {
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return [13, 16, 19];
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return [16];
  if (two === 34 || two === 37) return [15];
  if ((four >= 3000 && four <= 3059) || two === 36 || two === 38 || two === 39) return [14, 15, 16, 17, 18, 19];
  if (four >= 3528 && four <= 3589) return [16, 17, 18, 19];
  if (digits[0] === '6') return [16, 17, 18, 19];
  return [];
}

/** Separators, when present, are all the same and group the digits as cards are printed. */
function groupingValid(value: string): boolean {
  const groups = value.split(/[ -]/);
  if (groups.length === 1) return true;
  if (new Set(value.replace(/\d/g, '')).size !== 1) return false;
  const lengths = groups.map((g) => g.length).join(',');
  return /^4,6,[45]$/.test(lengths) || /^(?:4,){2,4}[1-4]$/.test(lengths);
}

function cardNumberValid(value: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  if (!brandLengths(digits).includes(digits.length) || !groupingValid(value)) return false;
  if (new Set(digits).size < 4 || PUBLISHED_TEST_CARDS.has(digits)) return false;
  return luhnValid(digits);
}

/** The longest valid card at the start of a grouped match: "4111 ... 1111 12/27" may end with an expiry group. */
function cardNumberLength(value: string): boolean | number {
  if (cardNumberValid(value)) return true;
  let shorter = value;
  for (let cut = shorter.search(/[ -][0-9]{1,4}$/); cut > 0; cut = shorter.search(/[ -][0-9]{1,4}$/)) {
    shorter = shorter.slice(0, cut);
    if (cardNumberValid(shorter)) return shorter.length;
  }
  return false;
}

function bitcoinAddressValid(value: string): boolean {
  if (value.startsWith('bc1')) {
    const decoded = bech32Variant(value);
    if (decoded === undefined || decoded.hrp !== 'bc' || decoded.data.length === 0) return false;
    return decoded.data[0] === 0 ? decoded.variant === 'bech32' : decoded.variant === 'bech32m';
  }
  const bytes = base58Decode(value);
  return bytes !== undefined && bytes.length === 25 && (bytes[0] === 0 || bytes[0] === 5) && base58CheckValid(value);
}

export const FINANCIAL_DETECTORS: readonly Detector[] = [
  {
    id: 'payment-card',
    title: 'Payment card number',
    category: 'financial',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![0-9][ -]?)(?<![A-Za-z])[2-6][0-9]{3}(?:[ -]?[0-9]){9,15}(?![ -]?[0-9])(?![A-Za-z])/g,
    maxLength: 25,
    triggers: [
      { source: '[^0-9A-Za-z][2-6]\\d\\d\\d\\d\\d\\d\\d', at: 1 },
      { source: '[^0-9A-Za-z][2-6]\\d\\d\\d[ -]\\d\\d\\d\\d', at: 1 },
    ],
    validate: cardNumberLength,
    supersedes: ['phone-number', 'in-aadhaar'],
  },
  {
    id: 'iban',
    title: 'IBAN (international bank account number)',
    category: 'financial',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
    maxLength: 42,
    triggers: [{ source: '[^A-Za-z0-9][A-Z][A-Z]\\d\\d', at: 1 }],
    validate: (value) => ibanValid(value) && !PUBLISHED_EXAMPLE_IBANS.has(value.replace(/ /g, '')),
    supersedes: ['uk-national-insurance-number'],
  },
  {
    id: 'us-routing-number',
    title: 'US bank routing number',
    category: 'financial',
    defaultAction: 'log',
    confidence: 'medium',
    pattern: /(?<![0-9])[0-9]{9}(?![0-9])/g,
    maxLength: 9,
    triggers: [],
    context: { words: ['routing', 'aba', 'rtn', 'transit'], window: 40, property: /routing|(?:^|_)aba|rtn$/i },
    validate: (value) => abaRoutingValid(value) && new Set(value).size >= 4,
  },
  {
    id: 'bitcoin-address',
    title: 'Bitcoin address',
    category: 'financial',
    defaultAction: 'log',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9])(?:[13][a-km-zA-HJ-NP-Z1-9]{25,34}|bc1[02-9ac-hj-np-z]{11,71})(?![A-Za-z0-9])/g,
    maxLength: 74,
    triggers: [
      // Within three characters, a letter that hex ids and timestamps (T, Z) never have: about 97% of addresses.
      { source: '[^A-Za-z0-9][13][A-HJ-NP-SU-Yg-km-z]', at: 1 },
      { source: '[^A-Za-z0-9][13][1-9a-f][A-HJ-NP-SU-Yg-km-z]', at: 1 },
      { source: '[^A-Za-z0-9][13][1-9a-f][1-9a-f][A-HJ-NP-SU-Yg-km-z]', at: 1 },
      { source: 'bc1q' },
      { source: 'bc1p' },
    ],
    validate: bitcoinAddressValid,
  },
];
