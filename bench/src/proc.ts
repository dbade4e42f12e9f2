import { readFileSync } from 'node:fs';

/** Linux clock ticks per second for /proc times (`getconf CLK_TCK`; 100 on every Linux we run on). */
const CLK_TCK = 100;

/**
 * user + system CPU ticks from the text of `/proc/<pid>/stat` (fields 14 and 15). The command name in
 * parentheses may contain spaces, so fields are counted after the last `)`.
 *
 * @example
 * parseProcStatTicks('42 (node) S 1 ... 14 15 ...');
 */
export function parseProcStatTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('Unreadable /proc stat line');
  return utime + stime;
}

/** Cumulative CPU time (user + system, all threads) of a process in microseconds (10 ms resolution). */
export function processCpuMicros(pid: number): number {
  return (parseProcStatTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1_000_000) / CLK_TCK;
}
