/**
 * A process and its descendants, read from /proc (Linux): CPU time and resident memory. Elsewhere every reader
 * returns NaN (the benchmarks then print null-ish numbers rather than guess).
 */
import fs from 'node:fs';

/** The pid and every descendant's pid (children of every thread, recursively). Empty when the pid is gone. */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number): void => {
    let tids: string[];
    try {
      tids = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    out.push(p);
    for (const tid of tids) {
      let children: string[] = [];
      try {
        children = fs.readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean);
      } catch {
        // the thread ended meanwhile
      }
      for (const c of children) visit(Number(c));
    }
  };
  visit(pid);
  return out;
}

/** CPU time (user + system) of a process and its descendants so far, in ms; NaN when unreadable. */
export function treeCpuMs(pid: number): number {
  let ms = 0;
  const pids = processTree(pid);
  if (pids.length === 0) return Number.NaN;
  for (const p of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
    } catch {
      // ended between the listing and the read
    }
  }
  return ms;
}

/** One `Vm…:  N kB` field of /proc/<pid>/status, in bytes; NaN when unreadable. */
export function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process and all its descendants now (sum of VmRSS), in bytes; NaN when unreadable. */
export function treeRssBytes(pid: number): { bytes: number; processes: number } {
  let bytes = 0;
  let processes = 0;
  for (const p of processTree(pid)) {
    const b = statusBytes(p, 'VmRSS');
    if (Number.isNaN(b)) continue;
    bytes += b;
    processes++;
  }
  return { bytes: processes === 0 ? Number.NaN : bytes, processes };
}

/**
 * Samples a process tree's resident memory every `everyMs` until stopped: the peak sum, and the most processes seen
 * at once (1 = the process alone: no child process ever showed up).
 */
export function sampleTreeRss(pid: number, everyMs: number): { stop: () => { peakBytes: number; maxProcesses: number; samples: number } } {
  let peakBytes = 0;
  let maxProcesses = 0;
  let samples = 0;
  const take = (): void => {
    const { bytes, processes } = treeRssBytes(pid);
    if (Number.isNaN(bytes)) return;
    samples++;
    if (bytes > peakBytes) peakBytes = bytes;
    if (processes > maxProcesses) maxProcesses = processes;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      take();
      clearInterval(timer);
      return { peakBytes, maxProcesses, samples };
    },
  };
}
