import { analyze, NotACaptureError } from '../core/analyze.ts';
import { fileSource } from './file-source.ts';
import { formatReport } from './format.ts';

const USAGE = `usage: npm run analyze -- <capture.pcap|.pcapng|.gz> [--json]

Reads a packet capture, tracks every TCP connection and explains every reset.
  --json    print one JSON document (the full report) instead of the readable summary
Exit status: 0 when the file was read (warnings allowed), 2 when it is not a capture or cannot be read.`;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const files = argv.filter((a) => !a.startsWith('--'));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (files.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const path = files[0]!;
  let source;
  try {
    source = await fileSource(path);
  } catch (e) {
    process.stderr.write(`resetscope: cannot open ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  try {
    const result = await analyze(source);
    if (json) process.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
    else process.stdout.write(formatReport(result.report));
    return 0;
  } catch (e) {
    if (e instanceof NotACaptureError) {
      process.stderr.write(`resetscope: ${source.name}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`resetscope: ${source.name}: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await source.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`resetscope: ${(e as Error).message}\n`);
    process.exitCode = 2;
  },
);
