import { dispatch } from './dispatch.ts';

dispatch(process.argv.slice(2), {
  out: (text) =>
    process.stdout.write(text) ? undefined : new Promise<void>((resolve) => process.stdout.once('drain', () => resolve())),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`resetscope: ${(e as Error).message}\n`);
    process.exitCode = 2;
  },
);
