import { describe, expect, it } from 'vitest';
import type { PageResult } from '../core/analyze-api.ts';
import { PacketTable } from '../core/model/packet-table.ts';
import { columnBuffers } from './transfer.ts';

describe('columnBuffers', () => {
  it('lists every column buffer once, and skips empty ones', () => {
    const table = new PacketTable(16);
    table.push();
    const { packets } = table.trimmed();
    const result = {
      packets,
      connStart: new Uint32Array(2),
      rstPayloadText: new Map(),
    } as unknown as PageResult;
    const buffers = columnBuffers(result);
    // A table of one interface keeps no interface column: that one is empty, and skipped.
    const columns = (Object.values(packets) as ArrayBufferView[]).filter((c) => c.byteLength > 0).length;
    expect(columns).toBe(Object.keys(packets).length - 1);
    expect(buffers).toHaveLength(columns + 1);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(columnBuffers({ ...result, connStart: new Uint32Array(0) })).toHaveLength(columns);
  });
});
