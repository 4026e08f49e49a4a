import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Links that act without an account (manage a consultation booking, accept a portal
 * invitation) carry `<id>.<value>.<HMAC>`: HMAC-SHA-256 keyed by APP_SECRET over the
 * purpose, id and value, so a link for one purpose never works for another and nobody
 * can forge one without the key. What the value means (a link version, an expiry) is
 * checked by the caller against the database.
 */
function mac(secret: string, purpose: string, id: string, value: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64')).update(`${purpose}:${id}:${value}`).digest('base64url');
}

export function signToken(secret: string, purpose: string, id: string, value: string | number): string {
  return `${id}.${value}.${mac(secret, purpose, id, String(value))}`;
}

/** The id and value of a well-signed token for this purpose, or null. */
export function verifyToken(secret: string, purpose: string, token: string): { id: string; value: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [id, value, sig] = parts as [string, string, string];
  if (!/^[0-9a-f-]{36}$/.test(id) || !/^\d{1,15}$/.test(value)) return null;
  const expected = Buffer.from(mac(secret, purpose, id, value));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { id, value };
}
