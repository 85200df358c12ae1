// A registered symbol, not the class: the Next.js bundles and instrumentation.ts (server.mjs's
// direct handlers) each evaluate this module, so an AppError thrown by the process-wide service
// may come from another copy of the class.
const APP_ERROR = Symbol.for('meridian.AppError');

/**
 * The one error type of the domain. `code` is dotted and doubles as the message key
 * (`signin.invalid_credentials`); `cause` is for logs and never reaches a response.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, string | number> | undefined;
  readonly [APP_ERROR] = true;

  constructor(code: string, options: { status?: number; cause?: unknown; details?: Record<string, string | number> } = {}) {
    super(code, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 400;
    this.details = options.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError || (typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[APP_ERROR] === true);
}
