import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Tokens at rest: AES-256-GCM (node:crypto) with a fresh 96-bit nonce per value. The stored form is
 * `v1.<nonce>.<tag>.<ciphertext>` (base64url). `context` (e.g. the installation's key) is bound as
 * additional authenticated data, so a ciphertext copied onto another row does not decrypt.
 */
export interface TokenCipher {
  encrypt(plain: string, context: string): string;
  /** Throws when the key is wrong or the value was tampered with. */
  decrypt(stored: string, context: string): string;
}

const VERSION = 'v1';

/** A cipher over a 32-byte key (TOKEN_ENCRYPTION_KEY). */
export function createTokenCipher(key: Buffer): TokenCipher {
  if (key.length !== 32) throw new Error('the token key must be 32 bytes');
  return {
    encrypt(plain, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, nonce, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    decrypt(stored, context) {
      const [version, nonce, tag, body] = stored.split('.');
      if (version !== VERSION || !nonce || !tag || body === undefined) throw new Error('not an encrypted token');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
