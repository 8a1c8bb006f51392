/**
 * The whole capture's expert list as the worker serves it: the items are collected on the first
 * request (one pass over the packet columns), then each kind's frame order is sorted once, and the
 * page gets the counts and one page of rows at a time, never the whole list.
 */
import type { AnalysisResult } from '../core/analyze-api.ts';
import { tableExpertContext } from '../core/expert/context.ts';
import { collectExpertItems, EXPERT_KINDS, expertCounts, expertKindCode, expertOrder, type ExpertItems } from '../core/expert/expert.ts';
import { isFromClient } from '../core/model/packet-table.ts';
import type { ExpertPage, ExpertRequest, ExpertRow } from './protocol.ts';

/** Most rows one page may ask for. */
export const MAX_EXPERT_PAGE = 1000;

export class ExpertPages {
  private items: ExpertItems | null = null;
  private readonly orders = new Map<number | null, Uint32Array>();

  constructor(private readonly result: Pick<AnalysisResult, 'packets' | 'connStart' | 'connections'>) {}

  private all(): ExpertItems {
    return (this.items ??= collectExpertItems(this.result.packets, this.result.connStart, tableExpertContext(this.result.connections)));
  }

  page(request: ExpertRequest): ExpertPage {
    const items = this.all();
    const code = request.kind === null ? null : expertKindCode(request.kind);
    const counts = expertCounts(items);
    if (code === -1) return { counts, total: 0, offset: 0, items: [] };
    let order = this.orders.get(code);
    if (!order) this.orders.set(code, (order = expertOrder(items, code)));
    const offset = Math.max(0, Math.min(Math.floor(request.offset) || 0, order.length));
    const limit = Math.max(0, Math.min(Math.floor(request.limit) || 0, MAX_EXPERT_PAGE));
    const { packets } = this.result;
    const rows: ExpertRow[] = [];
    for (let k = offset; k < Math.min(order.length, offset + limit); k++) {
      const i = order[k]!;
      const row = items.row[i]!;
      rows.push({
        frame: items.frame[i]!,
        connection: items.conn[i]!,
        kind: EXPERT_KINDS[items.kind[i]!]!.id,
        fromClient: isFromClient(packets, row),
        time: packets.timeNs[row]! * 1e-9,
      });
    }
    return { counts, total: order.length, offset, items: rows };
  }
}
