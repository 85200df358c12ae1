import { readWebBodyCapped } from '@/lib/http/capped-body';
import { serveFlowApi } from '@/lib/http/flow-api';
import { MAX_FLOW_API_BODY_BYTES, type FlowApiRequest } from '@/lib/http/flow-api-types';
import { clientIpFrom } from '@/lib/http/client-ip';

/** A Next.js route handler's Request as a flow API request (the fallback door; see server.mjs). */
export function flowApiRequestOf(request: Request): FlowApiRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    header: (name) => request.headers.get(name),
    readBody: () => readWebBodyCapped(request, MAX_FLOW_API_BODY_BYTES),
    ip: clientIpFrom(request.headers),
  };
}

export async function serveFlowApiFromNext(request: Request): Promise<Response> {
  const answer = await serveFlowApi(flowApiRequestOf(request));
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
