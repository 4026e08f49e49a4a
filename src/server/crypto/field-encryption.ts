import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for free-text fields (notes, rationale, answers): AES-256-GCM with a
 * random 96-bit IV per value. The stored envelope is text, portable across SQLite and
 * PostgreSQL:
 *
 *     v1:<iv base64url>:<auth tag base64url>:<ciphertext base64url>
 *
 * The optional `context` is bound as additional authenticated data (AAD): a ciphertext
 * copied into another row or column (different context) fails to decrypt instead of
 * silently showing the wrong patient's text. Use e.g. `eligibility_decisions.rationale:<id>`.
 *
 * Usage: `const box = createFieldCipher(deps.config.secrets.dataEncryptionKey);`
 *        `box.encrypt(text, ctx)` → envelope; `box.decrypt(envelope, ctx)` → text.
 */
export interface FieldCipher {
  encrypt(plaintext: string, context?: string): string;
  decrypt(envelope: string, context?: string): string;
  encryptNullable(plaintext: string | null | undefined, context?: string): string | null;
  decryptNullable(envelope: string | null | undefined, context?: string): string | null;
  /** JSON convenience: encrypts JSON.stringify(value). */
  encryptJson(value: unknown, context?: string): string;
  decryptJson<T>(envelope: string, context?: string): T;
}

export class FieldDecryptionError extends Error {
  override name = 'FieldDecryptionError';
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyFrom(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new RangeError('the data encryption key must be base64 of exactly 32 bytes');
  return key;
}

export function createFieldCipher(base64Key: string): FieldCipher {
  const key = keyFrom(base64Key);

  const encrypt = (plaintext: string, context = ''): string => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(':');
  };

  const decrypt = (envelope: string, context = ''): string => {
    const parts = envelope.split(':');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new FieldDecryptionError('not an encrypted field envelope');
    const iv = Buffer.from(parts[1]!, 'base64url');
    const tag = Buffer.from(parts[2]!, 'base64url');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new FieldDecryptionError('malformed encrypted field envelope');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Wrong key, wrong context or a tampered value: never return garbage.
      throw new FieldDecryptionError('encrypted field failed authentication (wrong key, wrong context or tampered)');
    }
  };

  return {
    encrypt,
    decrypt,
    encryptNullable: (plaintext, context) => (plaintext === null || plaintext === undefined ? null : encrypt(plaintext, context)),
    decryptNullable: (envelope, context) => (envelope === null || envelope === undefined ? null : decrypt(envelope, context)),
    encryptJson: (value, context) => encrypt(JSON.stringify(value), context),
    decryptJson: <T>(envelope: string, context?: string) => JSON.parse(decrypt(envelope, context)) as T,
  };
}

const ciphers = new Map<string, FieldCipher>();
/** One cipher per key (keys come from validated config: `deps.config.secrets.dataEncryptionKey`). */
export function fieldCipherFor(base64Key: string): FieldCipher {
  let cipher = ciphers.get(base64Key);
  if (!cipher) {
    cipher = createFieldCipher(base64Key);
    ciphers.set(base64Key, cipher);
  }
  return cipher;
}
