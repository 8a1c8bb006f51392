/**
 * Connections cross from the worker in bounded batches, each taken in by the page in a task of its
 * own: a connection with 100,000 RSTs (~1.3 kB of verdict each) would otherwise arrive as one
 * structured clone and freeze the page for seconds.
 */
import type { Connection, ResetVerdict } from '../core/model/types.ts';

export type ReportBatch =
  /** Whole connections, in id order (a connection's resets may continue in `resets` batches). */
  | { kind: 'connections'; connections: Connection[] }
  /** More resets of connection `conn`, appended in order. */
  | { kind: 'resets'; conn: number; resets: ResetVerdict[] };

/** Rough bytes of a connection without its resets, and of one reset verdict, once cloned. */
export const CONNECTION_COST = 600;
export const RESET_COST = 1300;

/** Split connections into batches of about `budget` bytes each, keeping id order. */
export function* reportBatches(connections: Iterable<Connection>, budget = 2_000_000): Generator<ReportBatch> {
  const perBatch = Math.max(1, Math.floor(budget / RESET_COST));
  let pending: Connection[] = [];
  let cost = 0;
  for (const c of connections) {
    const own = CONNECTION_COST + c.resets.length * RESET_COST;
    if (own <= budget) {
      if (cost + own > budget && pending.length > 0) {
        yield { kind: 'connections', connections: pending };
        pending = [];
        cost = 0;
      }
      pending.push(c);
      cost += own;
      continue;
    }
    // A connection with more resets than a batch holds: its shell and first resets, then the rest.
    if (pending.length > 0) {
      yield { kind: 'connections', connections: pending };
      pending = [];
      cost = 0;
    }
    yield { kind: 'connections', connections: [{ ...c, resets: c.resets.slice(0, perBatch) }] };
    for (let i = perBatch; i < c.resets.length; i += perBatch) {
      yield { kind: 'resets', conn: c.id, resets: c.resets.slice(i, i + perBatch) };
    }
  }
  if (pending.length > 0) yield { kind: 'connections', connections: pending };
}

/** Rebuilds the connections on the page's side, batch by batch. */
export class ReportAssembler {
  readonly connections: Connection[] = [];

  add(batch: ReportBatch): void {
    if (batch.kind === 'connections') {
      for (const c of batch.connections) this.connections.push(c);
      return;
    }
    // A connection's further resets follow it directly.
    const conn = this.connections[this.connections.length - 1];
    if (!conn || conn.id !== batch.conn) throw new Error(`resets for connection ${batch.conn} before the connection`);
    for (const r of batch.resets) conn.resets.push(r);
  }
}
