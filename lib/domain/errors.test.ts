import { describe, expect, it, vi } from 'vitest';
import { AppError, isAppError } from './errors';

describe('isAppError', () => {
  it('recognizes an AppError from another evaluation of the module (Next bundle vs instrumentation)', async () => {
    vi.resetModules();
    const other = await import('./errors');
    expect(other.AppError).not.toBe(AppError);
    const foreign = new other.AppError('signup.flow_not_found', { status: 404 });
    expect(foreign instanceof AppError).toBe(false);
    expect(isAppError(foreign)).toBe(true);
    expect(isAppError(new AppError('x'))).toBe(true);
  });

  it('does not take look-alikes for an AppError', () => {
    const named = Object.assign(new Error('signup.flow_not_found'), { name: 'AppError', code: 'signup.flow_not_found', status: 404 });
    expect(isAppError(named)).toBe(false);
    expect(isAppError({ code: 'x', status: 400 })).toBe(false);
    expect(isAppError(null)).toBe(false);
    expect(isAppError('AppError')).toBe(false);
  });
});
