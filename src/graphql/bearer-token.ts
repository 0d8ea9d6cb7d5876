import { timingSafeEqual } from 'node:crypto';

/** `Authorization: Bearer <token>` with one of the configured tokens, compared in constant time. */
export function bearerTokenIsValid(header: string | undefined, tokens: readonly string[]): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const offered = Buffer.from(match[1]!);
  return tokens.some((token) => {
    const expected = Buffer.from(token);
    return expected.length === offered.length && timingSafeEqual(expected, offered);
  });
}
