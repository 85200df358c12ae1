import type { MachineInfo } from './machine';

export type Row = {
  id: string;
  name: string;
  rps?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Responses neither 2xx nor 3xx (plus errors/timeouts), or a note such as "503: 1234". */
  bad?: number | string;
  cpuMsPerRequest?: number;
  /** Free-form value for rows that are not a load run (memory). */
  value?: string;
  goal?: string;
  pass?: boolean;
};

function num(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ms(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return num(value, value < 10 ? 2 : 1);
}

export function verdict(pass: boolean | undefined): string {
  if (pass === undefined) return '';
  return pass ? '**PASS**' : '**FAIL**';
}

export function rowsToMarkdown(rows: Row[]): string {
  const header = '| # | measurement | req/s | p50 ms | p99 ms | non-2xx/3xx | server CPU ms/req | goal | result |';
  const sep = '|---|---|---:|---:|---:|---:|---:|---|---|';
  const lines = rows.map((r) =>
    [
      '',
      r.id,
      r.name,
      r.value ?? num(r.rps, r.rps !== undefined && r.rps < 100 ? 1 : 0),
      r.value ? '' : ms(r.p50Ms),
      r.value ? '' : ms(r.p99Ms),
      r.bad === undefined ? '' : String(r.bad),
      r.cpuMsPerRequest === undefined ? '' : num(r.cpuMsPerRequest, 2),
      r.goal ?? '',
      verdict(r.pass),
      '',
    ]
      .join(' | ')
      .trim(),
  );
  return [header, sep, ...lines].join('\n');
}

export function machineToMarkdown(m: MachineInfo, extra: Record<string, string>): string {
  const entries: [string, string][] = [
    ['date', m.date],
    ['CPU', `${m.cpuModel} × ${m.cores} cores (shared: the load generator runs on the same cores)`],
    ['memory', `${m.memoryGiB} GiB`],
    ['node', m.node],
    ['kernel', m.kernel],
    ['load average at start (1/5/15 min)', m.loadAverage],
    ...Object.entries(extra),
  ];
  return entries.map(([k, v]) => `- ${k}: ${v}`).join('\n');
}
