import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { detect, matched } from './detect.js';

const s = new Synth(17);

test('finds card numbers that pass Luhn for their brand, grouped or not', () => {
  for (const brand of ['visa', 'mastercard', 'amex', 'discover', 'jcb'] as const) {
    const card = s.card(brand);
    assert.deepEqual(matched(`card ${card} ok`), [card], brand);
  }
  const visa = s.card('visa').replace(/\D/g, '');
  assert.deepEqual(matched(`${visa.replace(/(\d{4})(?=\d)/g, '$1 ')} 12/27`), [visa.replace(/(\d{4})(?=\d)/g, '$1 ')], 'an expiry after it is not part of it');
});

test('ignores Luhn failures, published test cards, wrong lengths and epoch timestamps', () => {
  for (const text of ['card 4539 1488 0343 6468', 'card 4111 1111 1111 1111', 'card 4242424242424242', 'card 4539 1488 0343 646', 'order 1763769600000']) assert.deepEqual(detect(text), [], text);
});

test('finds a card number sent as a JSON number', () => {
  assert.deepEqual(detect({ card: Number(s.card('visa').replace(/\D/g, '')) }), ['payment-card']);
});

test('finds IBANs with the right length and mod-97, not the documentation examples', () => {
  const iban = s.iban('DE');
  assert.deepEqual(matched(`IBAN ${iban} BIC`), [iban]);
  for (const text of ['IBAN GB82 WEST 1234 5698 7654 32', 'IBAN DE00 1234 5678 9012 3456 78', 'ref ES2022 NOVEMBER']) assert.deepEqual(detect(text), [], text);
});

test('finds routing numbers next to the word and Bitcoin addresses by checksum', () => {
  assert.deepEqual(detect(`routing number ${s.routingNumber()}`), ['us-routing-number']);
  assert.deepEqual(detect(`order ${s.routingNumber()}`), []);
  assert.deepEqual(detect(`send to ${s.bitcoinAddress()}`), ['bitcoin-address']);
  assert.deepEqual(detect('send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'), []);
});
