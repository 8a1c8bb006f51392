/**
 * Runs a command as a child process and measures its wall time and peak resident memory: through
 * GNU time (`/usr/bin/time -v`, "Maximum resident set size") when it is installed, else by polling
 * VmHWM in /proc/<pid>/status (Linux) while it runs.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface Measurement {
  wallSeconds: number;
  /** Peak resident set size in bytes (null when it could not be measured). */
  peakRssBytes: number | null;
  exitCode: number | null;
  /** The command's stderr (without GNU time's report), cut to 4 KiB. */
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);

/** Runs `command args` with stdout sent to /dev/null. */
export function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measurement> {
  const devnull = openSync('/dev/null', 'w');
  const useTime = hasGnuTime;
  const [cmd, argv] = useTime ? [GNU_TIME, ['-v', command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const child = spawn(cmd, argv, { stdio: ['ignore', devnull, 'pipe'], env });
  closeSync(devnull);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr += d;
    if (stderr.length > 1 << 20) stderr = stderr.slice(-65536);
  });
  let polled = 0;
  const poll = useTime
    ? null
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polled = Math.max(polled, Number(m[1]) * 1024);
        } catch {
          // The process has just exited.
        }
      }, 20);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (poll) clearInterval(poll);
      let peak: number | null = polled || null;
      let exitCode = code;
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        peak = m ? Number(m[1]) * 1024 : null;
        const status = /Exit status: (\d+)/.exec(stderr);
        if (status) exitCode = Number(status[1]);
        const cut = stderr.indexOf('\tCommand being timed:');
        if (cut >= 0) stderr = stderr.slice(0, cut);
        stderr = stderr.replace(/^Command exited with non-zero status \d+\n/m, '');
      }
      resolve({ wallSeconds, peakRssBytes: peak, exitCode, stderr: stderr.slice(0, 4096) });
    });
  });
}
