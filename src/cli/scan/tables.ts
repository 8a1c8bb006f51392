/**
 * The scan's tables, through DuckDB: the parts in OUT/parts are merged into OUT/resets.parquet,
 * OUT/connections.parquet and OUT/files.parquet (again whenever parts were added since), and
 * `query` runs SQL over them.
 */
import { existsSync, readdirSync, renameSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { partsDir } from './parts.ts';

/** Every column a part's lines can have (the three tables' columns, with `t` naming the table). */
const PART_COLUMNS: Record<string, string> = {
  t: 'VARCHAR',
  file: 'VARCHAR',
  sha256: 'VARCHAR',
  size: 'BIGINT',
  format: 'VARCHAR',
  compressed: 'BOOLEAN',
  packets: 'BIGINT',
  tcp_packets: 'BIGINT',
  connections: 'BIGINT',
  resets: 'BIGINT',
  first_time_us: 'BIGINT',
  duration: 'DOUBLE',
  warnings: 'INTEGER',
  warning_messages: 'VARCHAR[]',
  error: 'VARCHAR',
  frame: 'BIGINT',
  time_us: 'BIGINT',
  offset: 'DOUBLE',
  connection: 'BIGINT',
  client_ip: 'VARCHAR',
  client_port: 'INTEGER',
  server_ip: 'VARCHAR',
  server_port: 'INTEGER',
  sender: 'VARCHAR',
  sender_ip: 'VARCHAR',
  flags: 'VARCHAR',
  scenario: 'VARCHAR',
  severity: 'VARCHAR',
  confidence: 'DOUBLE',
  explanation: 'VARCHAR',
  ip_version: 'INTEGER',
  start_us: 'BIGINT',
  state: 'VARCHAR',
  history: 'VARCHAR',
  client_packets: 'BIGINT',
  server_packets: 'BIGINT',
  client_bytes: 'BIGINT',
  server_bytes: 'BIGINT',
  service: 'VARCHAR',
};

const ts = (column: string, as: string): string => `CASE WHEN ${column} IS NULL THEN NULL ELSE make_timestamp(${column}) END AS ${as}`;

export const TABLES: Record<string, { where: string; select: string; order: string }> = {
  files: {
    where: "t = 'file'",
    select: `file, sha256, size, format, compressed, packets, tcp_packets, connections, resets, ${ts('first_time_us', 'first_time')}, duration, warnings, warning_messages, error`,
    order: 'file, sha256',
  },
  resets: {
    where: "t = 'reset'",
    select: `file, sha256, frame, ${ts('time_us', 'time')}, "offset", connection, client_ip, client_port, server_ip, server_port, sender, sender_ip, flags, scenario, severity, confidence, explanation`,
    order: 'file, sha256, frame',
  },
  connections: {
    where: "t = 'conn'",
    select: `file, sha256, connection, client_ip, client_port, server_ip, server_port, ip_version, ${ts('start_us', 'start')}, duration, state, history, packets, client_packets, server_packets, client_bytes, server_bytes, resets, service`,
    order: 'file, sha256, connection',
  },
};

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const NO_DUCKDB =
  'the tables are written and read with DuckDB, which is not installed: run npm install @duckdb/node-api (next to resetscope)';

/** DuckDB is an optional peer of the package (a native binding per platform): said plainly when absent. */
export class NoDuckDB extends Error {}

async function connect(): Promise<DuckDBConnection> {
  let duckdb: { DuckDBInstance: typeof DuckDBInstance };
  try {
    duckdb = await import('@duckdb/node-api');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new NoDuckDB(NO_DUCKDB);
  }
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  return instance.connect();
}

function listParts(out: string): string[] {
  return existsSync(partsDir(out)) ? readdirSync(partsDir(out)).filter((n) => n.endsWith('.jsonl')) : [];
}

/** True when OUT's parquet files miss parts (a part was added after the last merge). */
export function stale(out: string): boolean {
  const files = join(out, 'files.parquet');
  if (!existsSync(files) || !existsSync(partsDir(out))) return true;
  return statSync(partsDir(out)).mtimeMs >= statSync(files).mtimeMs;
}

/** Writes OUT/{files,resets,connections}.parquet from every part (each file once: a part is named by its sha256). */
export async function merge(out: string, db?: DuckDBConnection): Promise<void> {
  const conn = db ?? (await connect());
  const columns = `{${Object.entries(PART_COLUMNS)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ')}}`;
  // The parts as listed now (so the three tables hold the same files); any part added from here on
  // makes the tables stale (files.parquet is dated a little before this moment).
  const mark = (Date.now() - 2000) / 1000;
  const parts = listParts(out);
  const source = parts.length === 0
    ? `(SELECT ${Object.entries(PART_COLUMNS)
        .map(([k, v]) => `NULL::${v} AS "${k}"`)
        .join(', ')} WHERE false)`
    : `read_ndjson([${parts.map((p) => sqlString(join(partsDir(out), p))).join(', ')}], columns = ${columns})`;
  // Each table streams from the parts (sorting spills to OUT/tmp past DuckDB's memory limit).
  await conn.run(`SET temp_directory = ${sqlString(join(out, 'tmp', 'duckdb'))}`);
  const tmpSuffix = `.${process.pid}.tmp`;
  // files.parquet last: its time of change says when the merge was complete.
  for (const name of ['resets', 'connections', 'files']) {
    const t = TABLES[name]!;
    const target = join(out, `${name}.parquet`);
    await conn.run(
      `COPY (SELECT ${t.select} FROM ${source} WHERE ${t.where} ORDER BY ${t.order}) TO ${sqlString(target + tmpSuffix)} (FORMAT parquet)`,
    );
    if (name === 'files') utimesSync(target + tmpSuffix, mark, mark);
    renameSync(target + tmpSuffix, target);
  }
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Runs SQL over OUT's tables (merged first when parts were added) and returns it as CSV. */
export async function queryCsv(out: string, sql: string, write: (text: string) => void | Promise<void>): Promise<void> {
  const conn = await connect();
  if (stale(out)) await merge(out, conn);
  for (const name of Object.keys(TABLES)) {
    await conn.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${sqlString(join(out, `${name}.parquet`))})`);
  }
  const reader = await conn.runAndReadAll(sql);
  await write(`${reader.columnNames().map(csvField).join(',')}\n`);
  let text = '';
  for (const row of reader.getRows()) {
    text += `${row.map(csvField).join(',')}\n`;
    if (text.length > 1 << 20) {
      await write(text);
      text = '';
    }
  }
  await write(text);
}

/** Null when DuckDB loads, else why not (checked before a scan starts, not after its last file). */
export async function duckdbMissing(): Promise<string | null> {
  try {
    await import('@duckdb/node-api');
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND'
      ? NO_DUCKDB
      : (e as Error).message;
  }
}
