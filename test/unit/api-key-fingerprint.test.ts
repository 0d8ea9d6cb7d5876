import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyFingerprint } from '../../src/providers/api-key-fingerprint.js';

describe('apiKeyFingerprint', () => {
  it('names a key by 16 hex digits of a salted SHA-256, the same every time, neither the key nor its bare hash', () => {
    const key = 'DEMOKEY123456789';
    const fingerprint = apiKeyFingerprint(key);
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(apiKeyFingerprint(key)).toBe(fingerprint);
    expect(fingerprint).not.toContain(key.toLowerCase());
    expect(createHash('sha256').update(key).digest('hex')).not.toContain(fingerprint);
  });

  it('tells two keys apart', () => {
    expect(apiKeyFingerprint('KEY-ONE')).not.toBe(apiKeyFingerprint('KEY-TWO'));
  });
});
