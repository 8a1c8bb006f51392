/**
 * What went wrong while reading that changes what the analysis means, in a sentence each, for the
 * place the verdict is read: a file cut short says "no reset" only about what was there.
 */
import type { PageReport } from '../../worker/protocol.ts';

export interface ReadingNotice {
  /** Stable key (for tests and React). */
  kind: 'truncated' | 'damaged' | 'bad-gzip' | 'unsupported-link' | 'not-gzip';
  text: string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many.replace('#', n.toLocaleString('en-US')));

export function readingNotices(report: Pick<PageReport, 'warnings' | 'file'>, fileName: string | null): ReadingNotice[] {
  const count = (...codes: string[]) => report.warnings.filter((w) => codes.includes(w.code)).length;
  const notices: ReadingNotice[] = [];
  if (count('truncated') > 0) {
    notices.push({ kind: 'truncated', text: 'The file ends in the middle of a frame: it was cut short, and the analysis covers only what is there.' });
  }
  if (count('bad-gzip') > 0) {
    notices.push({ kind: 'bad-gzip', text: 'The gzip compression is damaged: frames after the damage are missing from the analysis.' });
  }
  const damaged = count('bad-record', 'bad-block', 'resync');
  if (damaged > 0) {
    notices.push({
      kind: 'damaged',
      text: `${plural(damaged, 'One part', '# parts')} of the file could not be read: frames there are missing from the analysis.`,
    });
  }
  if (count('unsupported-link') > 0) {
    notices.push({
      kind: 'unsupported-link',
      text: 'Some frames use a link layer Resetscope cannot decode: their connections and resets are not in the analysis.',
    });
  }
  if (fileName !== null && /\.gz$/i.test(fileName) && !report.file.compressed) {
    notices.push({ kind: 'not-gzip', text: 'The file is named .gz but is not gzip-compressed: it was read as a plain capture.' });
  }
  return notices;
}
