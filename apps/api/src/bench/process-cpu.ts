import { readdirSync, readFileSync } from "node:fs";

/** Linux reports process CPU time in clock ticks of 10 ms (USER_HZ is 100 on every mainstream build). */
const MS_PER_TICK = 10;

interface ProcStat {
  pid: number;
  ppid: number;
  name: string;
  cpuMs: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid … utime stime …": the name may hold spaces and parentheses, so split after the last ")".
    const close = raw.lastIndexOf(")");
    const name = raw.slice(raw.indexOf("(") + 1, close);
    const fields = raw.slice(close + 2).split(" ");
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, ppid, name, cpuMs: (utime + stime) * MS_PER_TICK };
  } catch {
    return null; // gone meanwhile, or no /proc (not Linux)
  }
}

/**
 * CPU time (ms) used so far by the process trees under `roots`, summed per process name (`node`, `anvil`,
 * `postgres`, …): where a benchmark's work goes, whatever else the machine is doing. Empty off Linux.
 */
export function cpuByProcessName(roots: readonly number[]): Map<string, number> {
  const all: ProcStat[] = [];
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat) all.push(stat);
    }
  } catch {
    return new Map();
  }
  const children = new Map<number, ProcStat[]>();
  for (const stat of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const byName = new Map<string, number>();
  const seen = new Set<number>();
  const visit = (stat: ProcStat) => {
    if (seen.has(stat.pid)) return;
    seen.add(stat.pid);
    byName.set(stat.name, (byName.get(stat.name) ?? 0) + stat.cpuMs);
    for (const child of children.get(stat.pid) ?? []) visit(child);
  };
  for (const root of roots) {
    const stat = all.find((candidate) => candidate.pid === root);
    if (stat) visit(stat);
  }
  return byName;
}

/** `after - before` per name (names only in `after` count from zero). */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([name, ms]) => [name, ms - (before.get(name) ?? 0)]));
}
