/**
 * Where the core's time goes on one capture, in one process: the whole analysis (read + decode +
 * track + classify), classify() run again on the finished result (it recomputes every verdict, so its
 * second run costs what the first did), and the JSON report's serialisation. Prints one JSON line.
 * Issue 3 asks that classification add under 10% to the time of reading the capture.
 *
 * `node <bundle of this file> FILE` (bench/run.ts bundles and runs it).
 */
import { analyze } from '../src/core/analyze.ts';
import { classify } from '../src/core/classify/index.ts';
import { fileSource } from '../src/cli/file-source.ts';

const path = process.argv[2];
if (!path) {
  console.error('usage: phases FILE');
  process.exit(2);
}
const source = await fileSource(path);
const t0 = performance.now();
const result = await analyze(source);
const t1 = performance.now();
classify(result);
const t2 = performance.now();
const json = JSON.stringify(result.report);
const t3 = performance.now();
await source.close();
const analyzeSeconds = (t1 - t0) / 1000;
const classifySeconds = (t2 - t1) / 1000;
console.log(
  JSON.stringify({
    analyzeSeconds,
    classifySeconds,
    /** classify's share over everything before it. */
    classifyOverhead: classifySeconds / Math.max(1e-9, analyzeSeconds - classifySeconds),
    stringifySeconds: (t3 - t2) / 1000,
    reportJsonBytes: json.length,
    resets: result.report.summary.resets,
    connections: result.report.connections.length,
    heapUsedBytes: process.memoryUsage().heapUsed,
  }),
);
