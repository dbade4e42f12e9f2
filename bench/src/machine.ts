import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { repoRoot } from './children.ts';
import type { MachineInfo } from './types.ts';

/** CPU, cores, Node and the commit the run measured. */
export function machineInfo(placement: string, loadAtStart: number): MachineInfo {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    // os.cpus(), not availableParallelism(): the harness pins itself to one core before this runs.
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    nodeVersion: process.versions.node,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    commit: git('rev-parse', 'HEAD') || 'unknown',
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    placement,
    loadAverage: { start: Math.round(loadAtStart * 100) / 100, end: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
  };
}
