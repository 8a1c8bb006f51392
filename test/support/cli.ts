/** The command line run in this process, its output collected: what `npm run analyze -- ARGS` prints. */
import { dispatch } from '../../src/cli/dispatch.ts';
import type { Output } from '../../src/cli/run.ts';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `entry` (the whole command line by default, subcommands included) on `argv`. */
export async function runCli(argv: string[], entry: (argv: string[], io: Output) => Promise<number> = dispatch): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await entry(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}
