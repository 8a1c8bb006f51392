import { dispatch } from './dispatch.ts';
import { OutputClosed, OutputFailed } from './run.ts';

/**
 * stdout with backpressure, and a reader that goes away (`| head`) ending the command quietly: the
 * pipe's EPIPE becomes `OutputClosed` at the next write instead of an unhandled 'error' event.
 */
let failure: Error | null = null;
let waiting: (() => void) | null = null;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  failure = e.code === 'EPIPE' ? new OutputClosed() : new OutputFailed(e.code ?? e.message);
  waiting?.();
});

function out(text: string | Uint8Array): void | Promise<void> {
  if (failure) throw failure;
  if (process.stdout.write(text)) return undefined;
  return new Promise<void>((resolve, reject) => {
    waiting = () => {
      waiting = null;
      if (failure) reject(failure);
      else resolve();
    };
    process.stdout.once('drain', () => waiting?.());
  });
}

/**
 * `out` for bytes, true when stdout has taken them whole before returning (a file, or a pipe with
 * room) or once it drained: then nothing holds them, and the report may write over them.
 */
function outBytes(bytes: Uint8Array): boolean | Promise<boolean> {
  const wait = out(bytes);
  if (wait === undefined) return process.stdout.writableLength === 0;
  return wait.then(() => true);
}

dispatch(process.argv.slice(2), { out, outBytes, err: (text) => process.stderr.write(text) }).then(
  async (code) => {
    // The last write may fail after `run` returned: let its error arrive before deciding.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (code === 0 && failure instanceof OutputFailed) {
      process.stderr.write(`resetscope: ${failure.message}\n`);
      code = 1;
    }
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`resetscope: internal error: ${(e as Error).message}\n`);
    process.exitCode = 3;
  },
);
