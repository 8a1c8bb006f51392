/** The command line on a shared connection: the whole capture's frame numbers, its own reading, said so. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ReportDocument } from '../core/model/types.ts';
import { analyze } from '../core/analyze.ts';
import { bytesSource } from '../core/capture/source.ts';
import { extractBytes, extractFrames } from '../core/export/extract.ts';
import { formatSharedLink, sharedLinkOf } from '../core/export/shared-link.ts';
import { runCli } from '../../test/support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetscope-cli-shared-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads a shared connection with the whole capture’s frame numbers, and says the verdicts are its own', async () => {
  const demo = new Uint8Array(readFileSync(join(__dirname, '../../public/demo/demo.pcap')));
  const result = await analyze(bytesSource('demo.pcap', demo));
  const conn = result.connections.get(76);
  expect(conn.resets[0]).toMatchObject({ frame: 547, scenario: 'overload' });
  const meta = sharedLinkOf(result.report, conn, { file: 'demo.pcap', fingerprint: null, packets: conn.packets });
  const extract = await extractFrames(bytesSource('demo.pcap', demo), result, { connections: [76] }, { shared: { fileName: 'demo.pcap', sectionComments: [formatSharedLink(meta)] } });
  const file = join(dir, 'shared.pcapng');
  writeFileSync(file, extractBytes(extract));

  const text = await runCli([file]);
  expect(text.code).toBe(0);
  expect(text.out).toContain('One connection shared from demo.pcap (572 frames, tcp.stream 76): frame numbers are those of demo.pcap;');
  expect(text.out).toMatch(/frame 547 \[RST, ACK\] from server .*: fast-close/);

  const json = await runCli([file, '--json']);
  const report = JSON.parse(json.out) as ReportDocument;
  expect(report.shared).toEqual({ file: 'demo.pcap', fingerprint: null, frames: 572, stream: 76, omitted: 0 });
  expect(report.connections[0]).toMatchObject({ firstFrame: conn.firstFrame, lastFrame: 547 });
  expect(report.connections[0]!.resets.map((r) => r.frame)).toEqual([547]);
});
