/**
 * The scenarios of the later issues, run by `npm run bench` after the foundation's rows, each
 * with its own table: the resource server (issue 4), token exchange and PPID conversion (issue
 * 5), sign-ups (issue 3), DPoP next to bearer at the resource server and the token endpoint
 * (issue 31). Each can also run alone (`npm run bench:<name>`).
 */
import type { RunningServer } from '../tests/support/server-process';
import { rowsToMarkdown } from './lib/report';
import { DPOP_GOAL, runDpopScenario } from './dpop';
import { benchResourceServer } from './resource-server';
import { runSignUpBench, signUpRows } from './signup';
import { runTokenExchangeScenario } from './token-exchange';

export const SCENARIOS = ['resource-server', 'token-exchange', 'signup', 'dpop'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export type ScenarioOptions = { durationS: number; warmupS: number; connections: number; dist: string };

/** Markdown sections (a heading, a table, notes), in SCENARIOS order. */
export async function runScenarios(
  which: readonly Scenario[],
  server: RunningServer,
  pid: number | undefined,
  options: ScenarioOptions,
  log: (message: string) => void,
): Promise<{ markdown: string; results: Record<string, unknown> }> {
  const sections: string[] = [];
  const results: Record<string, unknown> = {};
  const run = { durationS: options.durationS, warmupS: options.warmupS };
  if (which.includes('resource-server')) {
    log('scenario: resource server (issue 4) …');
    const r = await benchResourceServer({ url: server.url, serverPid: pid, connections: options.connections, ...run, log });
    results.resourceServer = { rows: r.rows, costShare: r.costShare, cpuCostShare: r.cpuCostShare, pass: r.pass };
    sections.push(`## Resource server (issue "Region-aware sign-in…", goal: verification and rules cost < 15% of throughput)\n\n${rowsToMarkdown(r.rows)}\n\n${r.details.join('\n')}`);
  }
  if (which.includes('token-exchange')) {
    log('scenario: token exchange and PPID conversion (issue 5) …');
    const r = await runTokenExchangeScenario(server, { connections: Math.min(options.connections, 10), ...run, pid, log });
    results.tokenExchange = { rows: r.rows, costRatio: r.costRatio };
    sections.push(`## Token exchange and PPID conversion (issue "Token exchange…")\n\n${rowsToMarkdown(r.rows)}`);
  }
  if (which.includes('signup')) {
    log('scenario: sign-ups through the JSON flow API (issue 3), on its own server …');
    // Its own server: a configuration with per-IP sign-up limits lifted (every request is 127.0.0.1).
    const r = await runSignUpBench({ ...run, dist: options.dist, log });
    results.signUp = r;
    sections.push(
      `## Sign-up (issue "Global sign-up…")\n\n${rowsToMarkdown(signUpRows(r))}\n\n- server CPU per sign-up ${Math.round(r.serverCpuMsPerSignUp * 10) / 10} ms, of which one argon2id hash is ${Math.round(r.argon2CpuMsPerHash * 10) / 10} ms; ${r.completed} completed, ${r.failed} failed${r.failures.length ? ` (${r.failures.slice(0, 3).join('; ')})` : ''}.`,
    );
  }
  if (which.includes('dpop')) {
    log('scenario: DPoP next to bearer, resource server and token endpoint (issue 31) …');
    const r = await runDpopScenario({ url: server.url, serverPid: pid, connections: options.connections, ...run, log });
    results.dpop = { rows: r.rows, extraCostShare: r.extraCostShare, pass: r.pass };
    sections.push(`## DPoP (issue 31, goal: a DPoP request costs < ${DPOP_GOAL.maxExtraCostShare * 100}% more than a bearer one at the resource server)\n\n${rowsToMarkdown(r.rows)}\n\n${r.details.join('\n')}`);
  }
  return { markdown: sections.join('\n\n'), results };
}
