import { describe, expect, it } from 'vitest';
import { createEmailCodes } from './email-codes';

describe('email codes', () => {
  const codes = createEmailCodes(['secret-a', 'secret-old']);
  const input = { flowId: 'flow-1', purpose: 'signup', code: '042917' };

  it('generates 6 digits', () => {
    for (let i = 0; i < 50; i += 1) expect(codes.generate()).toMatch(/^\d{6}$/);
  });

  it('stores a keyed hash tagged with flow and purpose', () => {
    const hash = codes.hash(input);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(codes.matches(hash, input)).toBe(true);
    expect(codes.matches(hash, { ...input, code: '042918' })).toBe(false);
    expect(codes.matches(hash, { ...input, flowId: 'flow-2' })).toBe(false);
    expect(codes.matches(hash, { ...input, purpose: 'reset' })).toBe(false);
    expect(createEmailCodes(['another-key']).matches(hash, input)).toBe(false);
  });

  it('still verifies codes hashed with a retired key (rotation)', () => {
    const old = createEmailCodes(['secret-old']).hash(input);
    expect(codes.matches(old, input)).toBe(true);
  });
});
