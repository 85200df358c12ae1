import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Process facts from /proc (Linux only). startServer() does not expose the server's pid, so it
 * is found from the listening port: `ss -ltnpH` first, then a scan of /proc/net/tcp{,6} inodes
 * against /proc/<pid>/fd when ss shows no process (e.g. no permission).
 */
export function findListeningPid(port: number): number {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    if (match?.[1]) return Number(match[1]);
  } catch {
    // ss missing or failed: fall back to /proc
  }
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const state = cols[3];
      const inode = cols[9];
      if (!local || !inode || state !== '0A') continue; // 0A = LISTEN
      if (parseInt(local.split(':')[1] ?? '', 16) === port) inodes.add(inode);
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  throw new Error(`no process found listening on port ${port}`);
}

/** VmRSS of a process, in MiB. */
export function readRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

/** Direct and indirect children of a process (to notice if the server ever forks workers). */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // process exited meanwhile
    }
  }
  const result: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent === current) {
        result.push(child);
        queue.push(child);
      }
    }
  }
  return result;
}

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU time a process has used so far, in milliseconds (10 ms resolution). */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "(comm) ", field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / ticksPerSecond();
}

/**
 * CPU time of a process's threads from /proc/<pid>/task/<tid>/schedstat (nanoseconds, unlike
 * /proc/<pid>/stat's 10 ms ticks): the main (JavaScript) thread apart from all the others
 * (libuv pool — argon2id, crypto —, V8's GC and compiler threads).
 */
export function readThreadCpuNs(pid: number): { mainNs: number; otherNs: number } {
  let mainNs = 0;
  let otherNs = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let ns = 0;
    try {
      ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      continue; // thread ended meanwhile
    }
    if (Number(tid) === pid) mainNs += ns;
    else otherNs += ns;
  }
  return { mainNs, otherNs };
}

/** The machine's CPU time counters from /proc/stat's first line (all CPUs, in ticks). */
export type CpuTimes = { total: number; steal: number };

function readCpuTimes(): CpuTimes {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user).
  const total = fields.slice(0, 8).reduce((t, v) => t + v, 0);
  return { total, steal: fields[7] ?? 0 };
}

/**
 * Steal time: the share of this VM's CPU time that the hypervisor gave to other guests between
 * `from` and `to` (now by default). With no `from`, the counters to start from (share 0).
 */
export function readStealShare(from?: CpuTimes, to: CpuTimes = readCpuTimes()): { share: number; times: CpuTimes } {
  if (!from) return { share: 0, times: to };
  const total = to.total - from.total;
  return { share: total > 0 ? (to.steal - from.steal) / total : 0, times: to };
}

/** CPU time used so far by each of a set of processes (ms by pid): a server, or a database's backends. */
export type CpuReading = Map<number, number>;

/** CPU used between two readings: processes that appeared in between count whole (they started during the run). */
export function cpuSpentMs(before: CpuReading, after: CpuReading): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

export function readProcessCpu(pid: number): CpuReading {
  return new Map([[pid, readCpuMs(pid)]]);
}

/**
 * CPU time of the PostgreSQL backends serving `database` on this machine: the processes whose
 * title (update_process_title, on by default) reads `postgres: [cluster: ]<user> <database> <host>(<port>) …`.
 * Shared processes (checkpointer, WAL writer, background writer) are left out: they serve every
 * database of the cluster, and other work shares it. A backend that exits between two readings
 * loses its share (the server's pool keeps its connections for the whole run).
 */
export function readPostgresBackendsCpu(database: string): CpuReading {
  const result: CpuReading = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!title.startsWith('postgres: ')) continue;
      const words = title.trim().split(/\s+/);
      const hostAt = words.findIndex((w) => /\(\d+\)$/.test(w) || w === '[local]');
      if (hostAt >= 2 && words[hostAt - 1] === database) result.set(Number(entry), readCpuMs(Number(entry)));
    } catch {
      // process exited meanwhile, or not ours to read
    }
  }
  return result;
}

/**
 * Waits until a process is idle (under 5% of a core over 500 ms, at most 30 s): requests that a
 * finished run left in flight (the generator dropped its connections, the server still completes
 * them) must not eat into the next run. False when it did not become idle.
 */
export async function waitUntilIdle(pid: number): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const before = readCpuMs(pid);
    await new Promise((r) => setTimeout(r, 500));
    if (readCpuMs(pid) - before < 25) return true;
  }
  return false;
}
