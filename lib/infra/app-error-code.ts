// Test support (not a test file).
import { isAppError } from '../domain/errors';

/** 'ok' when `promise` resolves, the AppError's code when it rejects with one; other errors propagate. */
export async function appErrorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
}
