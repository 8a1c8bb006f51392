import { analyze, NotACaptureError } from '../core/analyze.ts';
import type { AnalysisResult, AnalyzeOptions } from '../core/analyze-api.ts';
import { fileSource } from './file-source.ts';
import { outputChunks, parseCliArgs } from './outputs.ts';
import { followedStreamText } from './stream.ts';
import { rangeRunner } from './ranges/range-pool.ts';

export const USAGE = `usage: npm run analyze -- <capture.pcap|.pcapng|.gz> [--format text|json|csv|md] [--filter EXPR]

Reads a packet capture, tracks every TCP connection and explains every reset.
  --format json  one JSON document (the full report); --json is the same
  --format csv   the connection list, one row per connection
  --format md    a Markdown report for a ticket: verdict, findings, every reset explained
  --filter EXPR  keep the connections EXPR matches, in Wireshark's display-filter syntax
                 ("tcp.port == 80 && rst.scenario == refused"; fields in the README)
  --stream N     instead of a report, TCP stream N (Wireshark's tcp.stream) followed: both sides'
                 bytes in order as text, gaps, FINs and RSTs marked
  --threads N    threads that read the file (default 1: the main thread alone; the output is the
                 same either way; gzip-compressed files are read by one)
Exit status: 0 when the file was read (warnings allowed), 2 when it is not a capture or cannot be read,
1 when the report cannot be written, 3 on an internal error (a bug: please report it).`;

export interface Output {
  /**
   * May return a promise that settles when the text is flushed (backpressure). Throws (or rejects
   * with) `OutputClosed` once the reader has gone away: the command then stops quietly.
   */
  out(text: string): void | Promise<void>;
  /**
   * UTF-8 bytes, the same way (the JSON report is written as bytes); without it they are decoded and
   * given to `out`. The bytes are the callee's to keep, unless it returns (or resolves to) true: it
   * has written them out and holds nothing of them, and the report writes its next piece into the
   * same memory.
   */
  outBytes?(bytes: Uint8Array): void | boolean | Promise<void | boolean>;
  err(text: string): void;
}

/** The reader of the output went away (`| head`): not an error, the command just stops. */
export class OutputClosed extends Error {
  constructor() {
    super('output closed');
    this.name = 'OutputClosed';
  }
}

/** Writing the output failed for another reason than its reader leaving (a full disk). */
export class OutputFailed extends Error {
  constructor(readonly reason: string) {
    super(`cannot write the report: ${reason}`);
    this.name = 'OutputFailed';
  }
}

/** The command line, minus the process: returns the exit status. */
export async function run(argv: string[], io: Output): Promise<number> {
  try {
    return await runOrThrow(argv, io);
  } catch (e) {
    if (e instanceof OutputClosed) return 0;
    if (e instanceof OutputFailed) {
      io.err(`resetscope: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function runOrThrow(argv: string[], io: Output): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    await io.out(`${USAGE}\n`);
    return 0;
  }
  const args = parseCliArgs(argv);
  if (!args.ok || args.options.files.length !== 1) {
    io.err(args.ok ? `${USAGE}\n` : `${args.message}\n${args.usage ? `${USAGE}\n` : ''}`);
    return 2;
  }
  const path = args.options.files[0]!;
  let source;
  try {
    source = await fileSource(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`resetscope: cannot open ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}\n`);
    return 2;
  }
  try {
    let result: AnalysisResult;
    try {
      result = await analyze(source, readOptions(path, args.options.threads));
    } catch (e) {
      if (e instanceof NotACaptureError) {
        io.err(`resetscope: ${source.name}: ${e.message}\n`);
        return 2;
      }
      // An error from the file system (EIO on a bad disk, a file cut while read) is the file's.
      if (isSystemError(e)) {
        io.err(`resetscope: ${source.name}: cannot be read: ${e.message}\n`);
        return 2;
      }
      return internalError(io, source.name, e);
    }
    if (args.options.stream !== null) {
      const pieces = followedStreamText(source, result, args.options.stream);
      if (!pieces) {
        io.err(`resetscope: ${source.name}: no TCP stream ${args.options.stream} (the capture has ${result.connections.length}, from 0)\n`);
        return 2;
      }
      try {
        for await (const piece of pieces) await io.out(piece);
      } catch (e) {
        if (e instanceof OutputClosed || e instanceof OutputFailed) throw e;
        return internalError(io, source.name, e);
      }
      return 0;
    }
    try {
      const decoder = io.outBytes ? null : new TextDecoder();
      const pieces = outputChunks(result, args.options);
      try {
        // Bytes handed back (written out at once) are written over by the next piece: no new buffer each.
        let back = false;
        for (let next = pieces.next(); !next.done; next = pieces.next(back)) {
          const piece = next.value;
          back = false;
          if (typeof piece === 'string') await io.out(piece);
          else if (io.outBytes) back = (await io.outBytes(piece)) === true;
          else await io.out(decoder!.decode(piece, { stream: true }));
        }
      } finally {
        pieces.return();
      }
      const rest = decoder?.decode();
      if (rest) await io.out(rest);
    } catch (e) {
      if (e instanceof OutputClosed || e instanceof OutputFailed) throw e;
      return internalError(io, source.name, e);
    }
    return 0;
  } finally {
    await source.close();
  }
}

/**
 * How to read: `--threads N`, else RESETSCOPE_THREADS (the same, for scripts that run the command
 * line in process), else the main thread alone: reading on threads gives the same output but is not
 * faster yet (the main thread's tracking is the critical path), and costs memory.
 */
function readOptions(path: string, asked: number | null): AnalyzeOptions {
  const fromEnv = Number(process.env.RESETSCOPE_THREADS);
  const forced = asked ?? (Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : null);
  const threads = forced ?? 1;
  if (threads <= 1) return {};
  return { ranges: rangeRunner(path, threads) };
}

function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** A bug, not a property of the file: said so, with its own exit status. */
function internalError(io: Output, name: string, e: unknown): number {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  io.err(`resetscope: ${name}: internal error: ${message} (a bug in resetscope, not a problem with the file)\n`);
  return 3;
}
