/**
 * The list's rows, worked out in the worker: the page sends the filters and the order as they are
 * typed and chosen, and gets back the ids to show, so filtering a million connections never holds
 * up the page. The worker keeps its own copy of the list's columns for it (the page's copy was
 * transferred away).
 */
import { selectConnectionRows } from '../core/model/connection-rows.ts';
import type { ListColumns } from '../core/model/list-columns.ts';
import type { RowsRequest } from './protocol.ts';

/** A copy of every column of `list`, sharing no buffer with it (one can be transferred, the other kept). */
export function copyList(list: ListColumns): ListColumns {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(list)) {
    if (ArrayBuffer.isView(value)) out[key] = (value as Uint8Array).slice();
    else if (value instanceof Map) out[key] = new Map([...(value as Map<string, Uint32Array>)].map(([id, ids]) => [id, ids.slice()]));
    else out[key] = value;
  }
  return out as unknown as ListColumns;
}

/** Let the messages already queued in (keys typed meanwhile) be taken in first. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Answers row requests over one list at a time. Requests queue up while one is worked out (a key
 * typed every 30 ms, a million rows filtered in a few hundred); of those, only the newest is worked
 * out and the others are answered with null at once.
 */
export class RowQueries {
  private newest = 0;

  /** The ids to show for `request` over `list` (null: no list, or a newer request came in). */
  async answer(list: () => ListColumns | null, request: RowsRequest): Promise<Uint32Array | null> {
    this.newest = Math.max(this.newest, request.generation);
    await nextTask();
    const rows = list();
    if (request.generation !== this.newest || rows === null) return null;
    const ids = selectConnectionRows(rows, request.filters, request.sort);
    // A filtered list is a view into an array for every connection: send only the rows.
    return ids.byteLength === ids.buffer.byteLength ? ids : ids.slice();
  }
}
