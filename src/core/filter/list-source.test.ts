import { describe, expect, it } from 'vitest';
import { listOf } from '../model/list-columns.ts';
import { analyzeBytes, readTestdata } from '../../../test/support/captures.ts';
import { compileFilter, listFilterSource, parseFilter, tableFilterSource } from './index.ts';

const EXPRESSIONS = [
  'tcp.flags.reset == 1 && ip.src == 10.99.1.10',
  'tcp.flags.reset == 1 && tcp.srcport == 9999',
  'ip.dst == 10.99.1.10',
  'rst.scenario == port-scan || conn.state == SF',
  'conn.rtt > 0 and conn.bytes > 0',
  'conn.service or rst.severity == suspicious',
  'tcp.port in {22, 80, 443} && !(ip.addr == 10.99.2.0/24)',
  'conn.duration >= 0.5 or conn.history contains "R"',
  'conn.name or conn.state == REJ',
];

describe('the page list and the connection table filter alike', () => {
  for (const file of ['port-scan.pcap', 'rst-not-received.pcap', 'overload.pcap', 'normal.pcap', 'injected.pcap']) {
    it(file, async () => {
      const result = await analyzeBytes(file, readTestdata('lab', file));
      const table = result.connections;
      const fromHeads = listOf(table.heads(), table.length);
      const fromObjects = listOf(Array.from({ length: table.length }, (_, id) => table.get(id)));
      let matched = 0;
      for (const expr of EXPRESSIONS) {
        const parsed = parseFilter(expr);
        if (!parsed.ok) throw new Error(parsed.error.message);
        const want = Array.from({ length: table.length }, (_, id) => id).filter(compileFilter(parsed.expr, tableFilterSource(table)));
        for (const list of [fromHeads, fromObjects]) {
          const keep = compileFilter(parsed.expr, listFilterSource(list));
          expect(Array.from({ length: list.count }, (_, id) => id).filter(keep), expr).toEqual(want);
        }
        matched += want.length;
      }
      expect(matched).toBeGreaterThan(0);
    });
  }
});
