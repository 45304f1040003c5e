// CPU time per process, so the throughput table can say where the two cores went: the load client,
// the upstream and Gatehouse compete for the same CPUs, and calls/s alone cannot tell which one
// became the bottleneck.
import { readFileSync } from 'node:fs';

/** user + system CPU of a process, in ms; undefined where there is no procfs. */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  // Linux reports clock ticks; USER_HZ is 100 on every architecture Node supports.
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10 : undefined;
}

export function selfCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export type CpuProbe = Record<string, () => number | undefined>;

export function readCpu(probe: CpuProbe): Record<string, number | undefined> {
  return Object.fromEntries(Object.entries(probe).map(([name, read]) => [name, read()]));
}
