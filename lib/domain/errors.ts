/**
 * The one error type of the domain. `code` is dotted and doubles as the message key
 * (`signin.invalid_credentials`); `cause` is for logs and never reaches a response.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, string | number> | undefined;

  constructor(code: string, options: { status?: number; cause?: unknown; details?: Record<string, string | number> } = {}) {
    super(code, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 400;
    this.details = options.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
