/** `resetscope query OUT "SQL"`: DuckDB over a scan's tables (resets, connections, files), printed as CSV. */
import { existsSync } from 'node:fs';
import type { Output } from '../run.ts';
import { parseOptions } from '../options.ts';
import { partsDir } from './parts.ts';
import { queryCsv } from './tables.ts';

export const QUERY_USAGE = `usage: resetscope query OUT "SQL"

Runs SQL (DuckDB) over the tables of a scan or of queue workers in OUT and prints CSV:
  resets       one row per RST: file, sha256, frame, time, client/server ip and port, sender,
               flags, scenario, severity, confidence, explanation
  connections  one row per connection: endpoints, start, duration, state, history, packets, bytes,
               resets, service
  files        one row per capture: size, format, packets, connections, resets, warnings, error
Example: resetscope query OUT "SELECT date_trunc('hour', time) AS hour, server_ip, scenario, count(*) AS resets
  FROM resets GROUP BY ALL ORDER BY ALL"`;

export async function queryCommand(argv: string[], io: Output): Promise<number> {
  const opts = parseOptions(argv, {});
  if (opts.help) {
    await io.out(`${QUERY_USAGE}\n`);
    return 0;
  }
  if (opts.error || opts.positional.length !== 2) {
    io.err(`${opts.error ? `${opts.error}\n` : ''}${QUERY_USAGE}\n`);
    return 2;
  }
  const [out, sql] = opts.positional as [string, string];
  if (!existsSync(partsDir(out))) {
    io.err(`resetscope query: ${out} holds no scan results (run resetscope scan DIR --out ${out} first)\n`);
    return 2;
  }
  try {
    await queryCsv(out, sql, io.out);
    return 0;
  } catch (e) {
    io.err(`resetscope query: ${(e as Error).message}\n`);
    return 2;
  }
}
