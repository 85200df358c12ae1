import { AppError } from '../errors';
import type { PairwiseSubjects, SubjectNamespace } from './pairwise-subjects';

/**
 * PPID conversion: a caller translates another client's subject identifiers into its own.
 * Rules, in order:
 * 1. 1 to MAX_CONVERSION_BATCH subjects, each a non-empty string of at most 255 characters
 *    → else `ppid.invalid_request` (400);
 * 2. a permission lists the caller with that source → else `ppid.conversion_not_permitted`
 *    (403); an unknown source gets the same answer, so the API does not reveal which exist;
 * 3. each subject is looked up in the source's namespace: unknown, never issued, or belonging
 *    to a disabled or deleted account → `target: null`, never an error;
 * 4. the others get the caller's subject for the same account (recorded like any PPID);
 * 5. the answer follows the request's order, duplicates included.
 */

export const MAX_CONVERSION_BATCH = 1000;
export const MAX_SUBJECT_LENGTH = 255;

export type ConversionPermission = { caller: string; sources: readonly string[] };

export type ConversionDeps = {
  permissions: readonly ConversionPermission[];
  /** Namespace of a client id or resource server identifier; undefined when unknown. */
  namespaceOf(id: string): SubjectNamespace | undefined;
  subjects: PairwiseSubjects;
};

export type ConversionRequest = { caller: string; source: string; subjects: readonly unknown[] };
export type ConvertedSubject = { source: string; target: string | null };

export function isConversionPermitted(permissions: readonly ConversionPermission[], caller: string, source: string): boolean {
  return permissions.some((p) => p.caller === caller && p.sources.includes(source));
}

export async function convertSubjects(deps: ConversionDeps, request: ConversionRequest): Promise<ConvertedSubject[]> {
  const { subjects } = request;
  if (subjects.length === 0 || subjects.length > MAX_CONVERSION_BATCH) {
    throw new AppError('ppid.invalid_request', { status: 400, details: { max: MAX_CONVERSION_BATCH } });
  }
  if (!subjects.every((s): s is string => typeof s === 'string' && s.length > 0 && s.length <= MAX_SUBJECT_LENGTH)) {
    throw new AppError('ppid.invalid_request', { status: 400 });
  }
  const from = deps.namespaceOf(request.source);
  const to = deps.namespaceOf(request.caller);
  if (!from || !to || !isConversionPermitted(deps.permissions, request.caller, request.source)) {
    throw new AppError('ppid.conversion_not_permitted', { status: 403 });
  }
  const accounts = await deps.subjects.accountIdsFor(from, subjects);
  const accountIds = [...new Set(accounts.values())];
  const targets = await deps.subjects.subjectsFor(to, accountIds);
  const targetOf = new Map(accountIds.map((id, i) => [id, targets[i]!]));
  return subjects.map((source) => {
    const accountId = accounts.get(source);
    return { source, target: accountId === undefined ? null : (targetOf.get(accountId) ?? null) };
  });
}
