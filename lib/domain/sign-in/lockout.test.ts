import { describe, expect, it } from 'vitest';
import { eventsPerWindowPolicy, lockStateAt, nextFailureState, retryAfterSeconds, type LockoutPolicy } from './lockout';

const policy: LockoutPolicy = { maxFailures: 3, windowSeconds: 60, baseLockoutSeconds: 10, maxLockoutSeconds: 40 };
const t0 = new Date('2030-01-01T00:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe('nextFailureState', () => {
  const fresh = { failures: 0, windowStartedAt: t0, lockedUntil: null, lockouts: 0 };

  it('counts failures in the window and locks at maxFailures', () => {
    let s = nextFailureState(fresh, at(1), policy);
    expect(s.outcome).toEqual({ locked: false });
    s = nextFailureState(s.state, at(2), policy);
    s = nextFailureState(s.state, at(3), policy);
    expect(s.outcome).toEqual({ locked: true, retryAfterSeconds: 10 });
    expect(s.state).toMatchObject({ failures: 0, lockouts: 1, lockedUntil: at(13) });
  });

  it('does not count failures while locked', () => {
    const locked = { failures: 0, windowStartedAt: at(0), lockedUntil: at(10), lockouts: 1 };
    expect(nextFailureState(locked, at(4), policy)).toEqual({ state: locked, outcome: { locked: true, retryAfterSeconds: 6 } });
  });

  it('starts a new window once the old one expired', () => {
    const s = nextFailureState({ ...fresh, failures: 2 }, at(61), policy);
    expect(s.outcome.locked).toBe(false);
    expect(s.state).toMatchObject({ failures: 1, windowStartedAt: at(61) });
  });

  it('forgets lockouts after a quiet period longer than the longest lockout', () => {
    const afterLock = { failures: 0, windowStartedAt: at(0), lockedUntil: at(40), lockouts: 3 };
    expect(nextFailureState(afterLock, at(70), policy).state.lockouts).toBe(3);
    expect(nextFailureState(afterLock, at(81), policy).state.lockouts).toBe(0);
  });

  it('doubles the lockout after each lock, up to maxLockoutSeconds', () => {
    const lockedAfter = (lockouts: number) => nextFailureState({ failures: 2, windowStartedAt: at(0), lockedUntil: null, lockouts }, at(1), policy).outcome;
    expect([0, 1, 2, 3].map(lockedAfter)).toEqual([10, 20, 40, 40].map((s) => ({ locked: true, retryAfterSeconds: s })));
  });
});

describe('lockStateAt', () => {
  it('is locked until the instant the lock ends, with whole seconds to wait', () => {
    expect(lockStateAt(null, at(0))).toEqual({ locked: false });
    expect(lockStateAt(at(10), at(0.5))).toEqual({ locked: true, retryAfterSeconds: 10 });
    expect(lockStateAt(at(10), at(9.999))).toEqual({ locked: true, retryAfterSeconds: 1 });
    expect(lockStateAt(at(10), at(10))).toEqual({ locked: false });
  });

  it('never reports less than one second to wait', () => {
    expect(retryAfterSeconds(at(1), at(1))).toBe(1);
  });
});

describe('eventsPerWindowPolicy', () => {
  it('lets `limit` events pass per window and refuses the next for one window', () => {
    const perHour = eventsPerWindowPolicy(2, 3600);
    let s = nextFailureState({ failures: 0, windowStartedAt: t0, lockedUntil: null, lockouts: 0 }, at(0), perHour);
    s = nextFailureState(s.state, at(1), perHour);
    expect(s.outcome).toEqual({ locked: false });
    s = nextFailureState(s.state, at(2), perHour);
    expect(s.outcome).toEqual({ locked: true, retryAfterSeconds: 3600 });
    s = nextFailureState(s.state, at(3602), perHour);
    expect(s.outcome).toEqual({ locked: false });
  });
});
