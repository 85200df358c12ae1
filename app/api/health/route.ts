export const dynamic = 'force-dynamic';

/** Liveness probe; also the benchmark's reference for the framework's own ceiling. */
export function GET() {
  return Response.json({ status: 'ok' });
}
