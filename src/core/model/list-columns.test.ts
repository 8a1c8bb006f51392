import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { bytesSource } from '../capture/source.ts';
import { listOf } from './list-columns.ts';

describe('listOf', () => {
  it('builds the same list from the connection table heads as from whole connections', async () => {
    // The demo capture: every scenario, so resets, findings and every Zeek state are in it.
    const bytes = new Uint8Array(readFileSync('public/demo/demo.pcap'));
    const result = await analyze(bytesSource('demo.pcap', bytes));
    const table = result.connections;
    const fromHeads = listOf(table.heads(), table.length);
    const fromConnections = listOf(table.all());
    expect(fromHeads.count).toBe(table.length);
    expect(fromHeads.resetStart[fromHeads.count]).toBe(result.report.summary.resets);
    expect(fromHeads.findings.size).toBeGreaterThan(0);
    expect(fromHeads).toEqual(fromConnections);
  });
});
