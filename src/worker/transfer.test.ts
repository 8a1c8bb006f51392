import { describe, expect, it } from 'vitest';
import { listOf } from '../core/model/list-columns.ts';
import { PacketTable } from '../core/model/packet-table.ts';
import { makeConnection, makeReset } from '../../test/support/connections.ts';
import { transferables } from './transfer.ts';

describe('transferables', () => {
  it('lists every packet column buffer once, and skips empty ones', () => {
    const table = new PacketTable(16);
    table.push();
    const { packets } = table.trimmed();
    const connStart = new Uint32Array(2);
    const buffers = transferables({ packets, connStart, text: new Map([[1, 'x']]) });
    // A table of one interface keeps no interface column: that one is empty, and skipped.
    const columns = (Object.values(packets) as ArrayBufferView[]).filter((c) => c.byteLength > 0).length;
    expect(columns).toBe(Object.keys(packets).length - 1);
    expect(buffers).toHaveLength(columns + 1);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(transferables({ packets, connStart: new Uint32Array(0) })).toHaveLength(columns);
  });

  it('finds the list columns and the findings inside them, once per buffer', () => {
    const list = listOf([
      makeConnection(0, { resets: [makeReset({ frame: 3, findings: ['scan-1'] })] }),
      makeConnection(1),
    ]);
    const buffers = transferables(list, list);
    const views = Object.values(list).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v));
    expect(buffers).toHaveLength(views.length + list.findings.size);
    expect(new Set(buffers).size).toBe(buffers.length);
  });

  it('transfers the views of one buffer as that buffer', () => {
    const whole = new Uint8Array(32);
    expect(transferables([whole.subarray(0, 8), whole.subarray(8)])).toEqual([whole.buffer]);
  });
});
