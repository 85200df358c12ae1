import { confirm } from 'oidc-provider/lib/actions/end_session.js';
import { describe, expect, it } from 'vitest';

describe('first-party logout', () => {
  it('reuses oidc-provider\'s own end-session step (an upgrade that renames or moves it fails here)', () => {
    const last = confirm[confirm.length - 1];
    expect(typeof last).toBe('function');
    expect(last?.name).toBe('endSession');
  });
});
