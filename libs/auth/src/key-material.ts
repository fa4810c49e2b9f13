import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret key (32 random bytes) and its public id. The key is shown once and never stored. */
export function generateKey(): { id: string; key: string } {
  return { id: `key_${randomBytes(8).toString('hex')}`, key: `vlk_${randomBytes(32).toString('base64url')}` };
}

/** What is stored and compared: SHA-256 of the key (enough for 256-bit random keys). */
export function digestOf(key: string): Buffer<ArrayBuffer> {
  // A digest is never on shared memory; the narrower type is what Prisma's Bytes fields take.
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Constant-time comparison of two digests of equal length. */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
