import { notFound } from 'next/navigation';
import { getEnv } from '@/lib/config/env';

/**
 * The demo relying party (/demo) and the demo and bench API (/api/demo) are not part of a
 * production deployment: outside demo mode (see `demoMode` in lib/config/env.ts) they answer
 * 404. Call first in each of their pages and route handlers.
 */
export function requireDemoMode(): void {
  if (!getEnv().demoMode) notFound();
}
