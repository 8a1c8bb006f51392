import { describe, expect, it } from 'vitest';
import { analyzeBytes, readTestdata } from '../../../test/support/captures.ts';
import { exportDocument } from './documents.ts';
import { jsonReportChunks } from './report-json.ts';

describe('exportDocument', async () => {
  const result = await analyzeBytes('port-scan.pcap', readTestdata('lab', 'port-scan.pcap'));
  const all = Array.from({ length: result.connections.length }, (_, i) => i);

  it('writes the JSON report whole, as the command line does, whatever the list shows', () => {
    const doc = exportDocument(result, { kind: 'json', ids: [1] });
    expect(doc).toMatchObject({ mime: 'application/json', fileName: 'port-scan-report.json' });
    expect(doc.parts.join('')).toBe([...jsonReportChunks(result)].join(''));
    expect(JSON.parse(doc.parts.join('')).connections).toHaveLength(result.connections.length);
  });

  it('writes the CSV rows the list shows, in its order', () => {
    const doc = exportDocument(result, { kind: 'csv', ids: [3, 1] });
    const lines = doc.parts.join('').split('\r\n');
    expect(lines[0]).toMatch(/^stream,client,/);
    expect(lines.slice(1, 3).map((l) => l.split(',')[0])).toEqual(['3', '1']);
    expect(lines[3]).toBe('');
    expect(doc.fileName).toBe('port-scan-connections.csv');
  });

  it('names the filter in the Markdown report, and only when there is one', () => {
    const whole = exportDocument(result, { kind: 'md', ids: all }).parts.join('');
    expect(whole).not.toContain('**Filter:**');
    const some = exportDocument(result, { kind: 'md', ids: [2, 0], filter: 'tcp.stream in {0, 2}' }).parts.join('');
    expect(some).toContain('- **Filter:** `tcp.stream in {0, 2}` (2 of');
    expect(some.indexOf('### Connection 0')).toBeLessThan(some.indexOf('### Connection 2'));
    expect(some).not.toContain('### Connection 1:');
  });
});
