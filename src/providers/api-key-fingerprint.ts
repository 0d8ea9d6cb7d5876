import { createHash } from 'node:crypto';

/**
 * A short stable name for an upstream API key that does not reveal it (a salted SHA-256
 * prefix): what store keys name a key by, never the key itself.
 */
export function apiKeyFingerprint(apiKey: string): string {
  return createHash('sha256').update(`wheel-graphql upstream key\n${apiKey}`).digest('hex').slice(0, 16);
}
