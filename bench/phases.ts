/**
 * Where the core's time and memory go on one capture, in one process. Prints one JSON line.
 *
 * Time: the analysis' own timings (`result.timings`) — reading + decoding + tracking, joining and
 * indexing the packet columns, classifying every reset — from its one and only run, as a user
 * gets it. Issue 6 asks that classification add under 10% to reading and tracking.
 *
 * Memory kept (issue 6: at most 32 bytes per packet plus about 1 KiB per connection): what the
 * finished analysis still holds after a full garbage collection, over what the process held before
 * it, split into the packet columns (exact: their byte lengths) and everything else per connection.
 * Then the JSON report is produced a connection at a time, as the command line writes it.
 *
 * `node --expose-gc <bundle of this file> FILE` (bench/run.ts bundles and runs it).
 */
import { analyze } from '../src/core/analyze.ts';
import { fileSource } from '../src/cli/file-source.ts';

const path = process.argv[2];
if (!path) {
  console.error('usage: phases FILE');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
const held = (): number => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const source = await fileSource(path);
const before = held();
const result = await analyze(source);
const after = held();
await source.close();

let packetColumnBytes = 0;
for (const column of Object.values(result.packets) as ArrayBufferView[]) packetColumnBytes += column.byteLength;
// Where each connection's rows start (connStart) is connection state: it counts in the per-connection part.
const packets = result.packets.frame.length;
const connections = result.connections.length;
const keptBytes = after - before;

const t0 = performance.now();
let reportJsonBytes = 0;
for (const c of result.connections) reportJsonBytes += JSON.stringify(c).length;
const stringifySeconds = (performance.now() - t0) / 1000;

const { read, index, classify } = result.timings;
console.log(
  JSON.stringify({
    readSeconds: read,
    indexSeconds: index,
    classifySeconds: classify,
    analyzeSeconds: read + index + classify,
    /** classify's share over reading + tracking + indexing. */
    classifyOverhead: classify / Math.max(1e-9, read + index),
    stringifySeconds,
    reportJsonBytes,
    resets: result.report.summary.resets,
    connections,
    packets,
    gcMeasured: gc !== undefined,
    keptBytes,
    packetColumnBytesPerPacket: packets ? packetColumnBytes / packets : 0,
    keptBytesPerConnection: connections ? (keptBytes - packetColumnBytes) / connections : 0,
  }),
);
