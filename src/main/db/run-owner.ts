/**
 * Who runs a scan or a cleanup: the process id and the process's start as the OS reports it. The pid alone is not
 * enough (pids are reused: after a crash and a reboot the app may come back with the pid of its dead self); the
 * start tells a reused pid apart. No host name: the database is in WAL mode, which SQLite supports only for
 * processes on one host, so every owner is a process of this machine.
 *
 * The start is read from the OS for our own process and for the process being checked, the same way, so the two
 * compare as strings: Linux reads /proc (boot id + start tick), other Unix systems ask `ps` (in UTC, C locale).
 * Windows has neither: the start is null there, and a live pid counts as the owner (a run is never interrupted
 * under a live process; at worst a crashed run stays `running` until its pid is gone).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export interface RunOwner {
  pid: number;
  start: string | null;
}

/** How a process's start is read; exported for tests (Linux can do both). */
export type StartProbe = 'proc' | 'ps' | 'none';

export function defaultStartProbe(platform: NodeJS.Platform = process.platform): StartProbe {
  if (platform === 'linux') return 'proc';
  if (platform === 'win32') return 'none';
  return 'ps';
}

let bootId: string | null | undefined;
function linuxBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/**
 * The start of process `pid` as the OS reports it, or null when the process does not exist or the OS cannot tell.
 * `/proc/<pid>/stat` field 22 is the start in clock ticks since boot; the command name (field 2) may hold spaces
 * and parentheses, so fields are counted from the last `)`.
 */
export function processStart(pid: number, probe: StartProbe = defaultStartProbe()): string | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    if (probe === 'proc') {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      if (!ticks || !/^\d+$/.test(ticks)) return null;
      return `${linuxBootId() ?? 'boot?'}/${ticks}`;
    }
    if (probe === 'ps') {
      const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
        encoding: 'utf8',
        timeout: 5000,
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
      }).trim();
      return out === '' ? null : out.replace(/\s+/g, ' ');
    }
  } catch {
    // No such process (ENOENT, ps exit 1), or not readable: cannot tell.
  }
  return null;
}

let self: RunOwner | undefined;

/** This process as a run owner (read once). */
export function currentRunOwner(): RunOwner {
  self ??= { pid: process.pid, start: processStart(process.pid) };
  return self;
}

/** True when `pid` names a live process (one we may not be allowed to signal counts too). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OwnerColumns {
  owner_pid: number | null;
  owner_start: string | null;
}

/** The columns a run row stores for its owner. */
export function ownerColumns(owner: RunOwner = currentRunOwner()): { owner_pid: number; owner_start: string | null } {
  return { owner_pid: owner.pid, owner_start: owner.start };
}

/**
 * Whether the process that owns a run is gone: no owner recorded (a row from before migration 0004), no such pid,
 * or a pid now used by another process (a different start). When the start cannot be compared, a live pid is
 * taken for the owner: better a crashed run left `running` than a live one marked interrupted.
 */
export function isOwnerGone(row: OwnerColumns, probe: StartProbe = defaultStartProbe()): boolean {
  if (row.owner_pid === null) return true;
  if (!pidAlive(row.owner_pid)) return true;
  if (row.owner_start === null) return false;
  const now = row.owner_pid === process.pid && probe === defaultStartProbe() ? currentRunOwner().start : processStart(row.owner_pid, probe);
  if (now === null) return false;
  return now !== row.owner_start;
}

/** isOwnerGone over many rows, asking the OS once per distinct owner. */
export function ownerGoneChecker(probe: StartProbe = defaultStartProbe()): (row: OwnerColumns) => boolean {
  const seen = new Map<string, boolean>();
  return (row) => {
    const key = `${row.owner_pid ?? ''}|${row.owner_start ?? ''}`;
    let gone = seen.get(key);
    if (gone === undefined) {
      gone = isOwnerGone(row, probe);
      seen.set(key, gone);
    }
    return gone;
  };
}
