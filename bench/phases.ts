/**
 * Where the core's time and memory go on one capture, in one process. Prints one JSON line.
 *
 * Time: the analysis' own timings (`result.timings`) — reading + decoding + tracking, joining and
 * indexing the packet columns, classifying every reset — from its one and only run, as a user
 * gets it. Issue 6 asks that classification add under 10% to reading and tracking.
 *
 * Memory kept (issue 6: at most 32 bytes per packet plus about 1 KiB per connection): what the
 * finished analysis still holds after a full garbage collection: what letting the result go frees
 * (not the code the run compiled, which stays and is the same for any capture), split into the
 * packet columns (exact: their byte lengths) and everything else per connection.
 * Then the JSON report is written as the command line writes it (`jsonReportBytes`, a megabyte of
 * UTF-8 at a time), into nothing: its size and the writer's time.
 *
 * `node --expose-gc <bundle of this file> FILE` (bench/run.ts bundles and runs it).
 */
import { analyze, type AnalysisResult } from '../src/core/analyze.ts';
import { fileSource } from '../src/cli/file-source.ts';
import { jsonReportBytes } from '../src/core/export/report-json.ts';

const path = process.argv[2];
if (!path) {
  console.error('usage: phases FILE');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
/**
 * Bytes the process holds after full collections. An ArrayBuffer's memory is given back by a sweeper
 * after the collection, not during it: counted at once, the run's garbage buffers (its read chunks,
 * the columns it outgrew) would count as kept. So it waits a little between collections.
 */
const held = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const source = await fileSource(path);
const before = await held();
let result: AnalysisResult | null = await analyze(source);
const after = await held();
await source.close();

let packetColumnBytes = 0;
for (const column of Object.values(result.packets) as ArrayBufferView[]) packetColumnBytes += column.byteLength;
// Where each connection's rows start (connStart) is connection state: it counts in the per-connection part.
const packets = result.packets.frame.length;
const connections = result.connections.length;
const resets = result.report.summary.resets;
const { read, index, classify } = result.timings;

/**
 * The JSON report written as the command line writes it to a stdout that takes each piece whole:
 * every piece's buffer handed back. In a function of its own, so that nothing of the writer (which
 * holds the result) is left in scope when the result is let go below.
 */
function writeReport(of: AnalysisResult): number {
  let bytes = 0;
  const pieces = jsonReportBytes(of);
  for (let step = pieces.next(); !step.done; step = pieces.next(true)) bytes += step.value.length;
  return bytes;
}
const t0 = performance.now();
const reportBytes = writeReport(result);
const reportSeconds = (performance.now() - t0) / 1000;

// What the result keeps is what letting it go frees. The process also grew by the code the run
// compiled (bytecode, feedback, machine code: 2-3 MB whatever the capture), which stays when the
// result goes and does not grow with connections: `grownBytes` includes it, `keptBytes` does not.
// (Measured again after the JSON: that compiles code of its own, which `empty` holds too.)
const withResult = await held();
result = null;
const empty = await held();
const keptBytes = withResult - empty;

console.log(
  JSON.stringify({
    readSeconds: read,
    indexSeconds: index,
    classifySeconds: classify,
    analyzeSeconds: read + index + classify,
    /** classify's share over reading + tracking + indexing. */
    classifyOverhead: classify / Math.max(1e-9, read + index),
    /** The command line's JSON report: its writer's time and its size. */
    reportSeconds,
    reportBytes,
    resets,
    connections,
    packets,
    gcMeasured: gc !== undefined,
    keptBytes,
    grownBytes: after - before,
    packetColumnBytesPerPacket: packets ? packetColumnBytes / packets : 0,
    keptBytesPerConnection: connections ? (keptBytes - packetColumnBytes) / connections : 0,
  }),
);
