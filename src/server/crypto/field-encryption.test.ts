import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, FieldDecryptionError } from './field-encryption';

const key = randomBytes(32).toString('base64');

describe('field encryption (AES-256-GCM)', () => {
  it('round-trips text, including non-ASCII and empty strings', () => {
    const box = createFieldCipher(key);
    for (const text of ['', 'Rationale: stable BP, no psychosis.', 'café — naïve 😊', 'x'.repeat(10_000)]) {
      expect(box.decrypt(box.encrypt(text))).toBe(text);
    }
  });

  it('never stores the plaintext and uses a fresh IV each time', () => {
    const box = createFieldCipher(key);
    const a = box.encrypt('the same secret note');
    const b = box.encrypt('the same secret note');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
    expect(a.startsWith('v1:')).toBe(true);
  });

  it('binds the context: a value moved to another row does not decrypt', () => {
    const box = createFieldCipher(key);
    const envelope = box.encrypt('note for row 1', 'notes:1');
    expect(box.decrypt(envelope, 'notes:1')).toBe('note for row 1');
    expect(() => box.decrypt(envelope, 'notes:2')).toThrow(FieldDecryptionError);
    expect(() => box.decrypt(envelope)).toThrow(FieldDecryptionError);
  });

  it('rejects a tampered ciphertext or tag', () => {
    const box = createFieldCipher(key);
    const [v, iv, tag, ct] = box.encrypt('do not change me').split(':') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.decrypt([v, iv, tag, flipped.toString('base64url')].join(':'))).toThrow(FieldDecryptionError);
    const badTag = Buffer.from(tag, 'base64url');
    badTag[0] = badTag[0]! ^ 1;
    expect(() => box.decrypt([v, iv, badTag.toString('base64url'), ct].join(':'))).toThrow(FieldDecryptionError);
  });

  it('rejects another key and malformed envelopes', () => {
    const envelope = createFieldCipher(key).encrypt('hello');
    expect(() => createFieldCipher(randomBytes(32).toString('base64')).decrypt(envelope)).toThrow(FieldDecryptionError);
    const box = createFieldCipher(key);
    expect(() => box.decrypt('plain text')).toThrow(FieldDecryptionError);
    expect(() => box.decrypt('v2:a:b:c')).toThrow(FieldDecryptionError);
    expect(() => box.decrypt('v1:AAAA:BBBB:CCCC')).toThrow(FieldDecryptionError);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createFieldCipher(randomBytes(16).toString('base64'))).toThrow(RangeError);
  });

  it('handles null and JSON helpers', () => {
    const box = createFieldCipher(key);
    expect(box.encryptNullable(null)).toBeNull();
    expect(box.decryptNullable(null)).toBeNull();
    expect(box.decryptNullable(box.encryptNullable('x', 'c'), 'c')).toBe('x');
    const value = { phq9_1: 2, hx_cardiac: ['none'] };
    expect(box.decryptJson(box.encryptJson(value, 'r'), 'r')).toEqual(value);
  });
});
