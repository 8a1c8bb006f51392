/**
 * The subcommands (`scan`, `query`, `queue`, `worker`), each loaded only when asked for, so that
 * `resetscope FILE` starts as fast as before; anything else is the single-file analysis (run.ts).
 */
import { run, type Output } from './run.ts';

export const SUBCOMMANDS = `
Many captures:
  resetscope scan DIR... --out OUT           analyse every capture under the folders, on all cores
  resetscope query OUT "SQL"                 SQL over the results (tables resets, connections, files)
  resetscope queue add DIR... --redis URL    one job per capture on a Redis queue
  resetscope queue status --redis URL        waiting, active, done and failed jobs
  resetscope worker --redis URL --out OUT    take jobs from the queue (any number, any machine)
Each prints its own help with --help.
`;

export async function dispatch(argv: string[], io: Output): Promise<number> {
  const tty = Boolean(process.stderr.isTTY);
  switch (argv[0]) {
    case 'scan':
      return (await import('./scan/scan.ts')).scanCommand(argv.slice(1), io, tty);
    case 'query':
      return (await import('./scan/query.ts')).queryCommand(argv.slice(1), io);
    case 'queue':
      return (await import('./queue/queue.ts')).queueCommand(argv.slice(1), io);
    case 'worker':
      return (await import('./queue/worker.ts')).workerCommand(argv.slice(1), io);
  }
  const code = await run(argv, io);
  if (argv.includes('--help') || argv.includes('-h')) await io.out(SUBCOMMANDS);
  return code;
}
