import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { abaRoutingValid } from '../../../../../main/core/guard/dlp/validators/aba.js';
import { base58CheckValid } from '../../../../../main/core/guard/dlp/validators/base58check.js';
import { bech32Encode, bech32Variant, convertBits } from '../../../../../main/core/guard/dlp/validators/bech32.js';
import { characterClasses, looksRandom, shannonEntropy } from '../../../../../main/core/guard/dlp/validators/entropy.js';
import { ibanValid, mod97 } from '../../../../../main/core/guard/dlp/validators/iban.js';
import { jwtValid } from '../../../../../main/core/guard/dlp/validators/jwt.js';
import { luhnValid } from '../../../../../main/core/guard/dlp/validators/luhn.js';
import { isPlaceholder } from '../../../../../main/core/guard/dlp/validators/placeholder.js';
import { ssnValid } from '../../../../../main/core/guard/dlp/validators/ssn.js';
import { base62, crc32Base62Valid } from '../../../../../main/core/guard/dlp/validators/token-checksum.js';
import { verhoeffValid } from '../../../../../main/core/guard/dlp/validators/verhoeff.js';

describe('Luhn', () => {
  test('accepts numbers whose check digit is right and refuses a changed digit', () => {
    assert.ok(luhnValid('4539148803436467'));
    assert.ok(luhnValid('79927398713'));
    assert.ok(!luhnValid('4539148803436468'));
    assert.ok(!luhnValid('79927398710'));
    assert.ok(!luhnValid(''));
    assert.ok(!luhnValid('4539-1488'));
  });
});

describe('IBAN mod-97', () => {
  test('accepts printed and electronic forms with the country length', () => {
    assert.ok(ibanValid('GB82 WEST 1234 5698 7654 32'));
    assert.ok(ibanValid('DE89370400440532013000'));
    assert.ok(ibanValid('fr1420041010050500013m02606'));
  });

  test('refuses a wrong check, a wrong length and an unknown country', () => {
    assert.ok(!ibanValid('GB83 WEST 1234 5698 7654 32'));
    assert.ok(!ibanValid('DE8937040044053201300'));
    assert.ok(!ibanValid('XX82WEST12345698765432'));
    assert.equal(mod97('3214282912345698765432161182'), 1);
  });
});

describe('US SSN area rules', () => {
  test('refuses area 000, 666 and 9xx, group 00, serial 0000 and famous examples', () => {
    assert.ok(ssnValid('219456789'));
    for (const bad of ['000456789', '666456789', '912456789', '219006789', '219450000', '078051120', '123456789']) assert.ok(!ssnValid(bad), bad);
  });
});

describe('entropy', () => {
  test('tells generated keys from words, masks and single-alphabet hashes', () => {
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.ok(Math.abs(shannonEntropy('abcd') - 2) < 1e-9);
    assert.equal(characterClasses('aB3-'), 4);
    assert.ok(looksRandom('k3J9sP2mQ8xV7nR4tL6wY1zA', { minEntropy: 4, minClasses: 3 }));
    assert.ok(!looksRandom('internationalization', { minEntropy: 3.5, minClasses: 2 }));
    assert.ok(!looksRandom('XXXXXXXXXXXXXXXXXXXX', { minEntropy: 3, minClasses: 1 }));
  });
});

describe('placeholders', () => {
  test('recognise documentation examples, masks and templates', () => {
    for (const p of ['AKIAIOSFODNN7EXAMPLE', 'xxxxxxxxxxxxxxxx', '********', '${API_KEY}', '{{ token }}', '<your-token>', 'sk-your-key-here', 'aaaaaaaaaaaaaaaaaaaa', 'changeme123']) assert.ok(isPlaceholder(p), p);
    assert.ok(!isPlaceholder('k3J9sP2mQ8xV7nR4tL6wY1zA'));
  });
});

describe('JWT structure', () => {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  test('needs a JSON header naming its algorithm and a JSON object payload', () => {
    assert.ok(jwtValid(`${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: '1' })}.c2lnbmF0dXJl`));
    assert.ok(!jwtValid(`${part({ typ: 'JWT' })}.${part({ sub: '1' })}.c2lnbmF0dXJl`));
    assert.ok(!jwtValid(`${part({ alg: 'HS256' })}.${part([1, 2])}.c2lnbmF0dXJl`));
    assert.ok(!jwtValid('eyJub3QganNvbg.eyJhIjoxfQ.c2ln'));
  });
});

describe('GitHub and npm token checksums', () => {
  test('match the published example and refuse a changed character', () => {
    assert.equal(base62(0, 6), '000000');
    const random = 'fIkRGaBu5PeKsznMzXQOg3kETH1Sgx';
    assert.ok(crc32Base62Valid(`ghp_${random}2oIfSC`, 4));
    assert.ok(!crc32Base62Valid(`ghp_${random}2oIfSD`, 4));
    assert.ok(!crc32Base62Valid(`npm_${random.replace('f', 'g')}2oIfSC`, 4));
  });
});

describe('Verhoeff, ABA, Base58Check and Bech32', () => {
  test('Verhoeff accepts the textbook number and refuses a transposition', () => {
    assert.ok(verhoeffValid('2363'));
    assert.ok(!verhoeffValid('2336'));
  });

  test('ABA routing numbers need the 3-7-1 checksum and a Federal Reserve prefix', () => {
    assert.ok(abaRoutingValid('011000015'));
    assert.ok(!abaRoutingValid('011000016'));
    assert.ok(!abaRoutingValid('991000015'));
  });

  test('Base58Check accepts the genesis address and refuses a changed character', () => {
    assert.ok(base58CheckValid('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'));
    assert.ok(!base58CheckValid('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'));
  });

  test('Bech32 and Bech32m round-trip and detect a typo', () => {
    assert.equal(bech32Variant('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')?.variant, 'bech32');
    const data = convertBits([...Buffer.alloc(32, 7)], 8, 5, true)!;
    const key = bech32Encode('age-secret-key-', data, 'bech32').toUpperCase();
    assert.equal(bech32Variant(key)?.hrp, 'age-secret-key-');
    assert.equal(bech32Variant(`${key.slice(0, -1)}${key.endsWith('Q') ? 'P' : 'Q'}`), undefined);
    assert.equal(bech32Variant(bech32Encode('bc', [1, ...data], 'bech32m'))?.variant, 'bech32m');
  });
});
