import { execFileSync } from 'node:child_process';
import type { ReportDocument as Report } from '../src/core/model/types.ts';

const cache = new Map<string, Report>();

/**
 * What the command line says about a capture (`npm run analyze -- FILE --json`): the numbers the
 * page must show. Run through tsx directly, as the npm script does, once per file.
 */
export function commandLineReport(path: string): Report {
  let report = cache.get(path);
  if (!report) {
    const out = execFileSync('node_modules/.bin/tsx', ['src/cli/main.ts', path, '--json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    report = JSON.parse(out) as Report;
    cache.set(path, report);
  }
  return report;
}

/** The first connection with a reset, and that reset, as the command line reports them. */
export function firstReset(report: Report) {
  for (const conn of report.connections) {
    const reset = conn.resets[0];
    if (reset) return { conn, reset };
  }
  throw new Error(`${report.file.name}: the command line reports no reset`);
}
