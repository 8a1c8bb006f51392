import type { AnalysisResult } from '../analyze-api.ts';
import type { ResetVerdict } from '../model/types.ts';
import { resetListParts, rstFramesByDirection, writeConnectionHead, writeConnectionTail } from './connection-bytes.ts';
import { asciiBytes, JsonBytes } from './json-bytes.ts';
import { isRun, resetsAndRuns } from './reset-runs.ts';
import { writeVerdict } from './verdict-bytes.ts';

const CHUNK = 1 << 20;
const NONE: readonly ResetVerdict[] = [];

/**
 * The report as JSON, in UTF-8 pieces of about a megabyte, in order, written a connection at a time
 * and a connection's resets one at a time: a 1 GB capture's report is over 100 MB of text, and one
 * connection may hold a million resets, neither of which should have to exist whole next to the
 * report itself. `ids` keeps only those connections (in that order; default all).
 *
 * Each piece is the caller's (a new buffer), unless the caller hands it back: `next(true)` says the
 * piece has been written out and nothing holds it, and the next piece is written into the same
 * memory (the command line does this when stdout has taken the bytes at once).
 */
export function* jsonReportBytes(result: Pick<AnalysisResult, 'report' | 'connections'>, ids?: Iterable<number>, chunk = CHUNK): Generator<Uint8Array, void, boolean | undefined> {
  const table = result.connections;
  const w = new JsonBytes(chunk + (chunk >> 3));
  // The connections come last, after the summary: a reader of a long report sees the verdict first.
  const head = JSON.stringify({ ...result.report, connections: [] }, null, 2);
  const cut = head.indexOf('"connections": []');
  w.text(head.slice(0, cut));
  w.ascii('"connections": [');
  const list = resetListParts(4);
  const first = asciiBytes('\n    ');
  const next = asciiBytes(',\n    ');
  let written = 0;
  const rsts = rstFramesByDirection(table);
  for (const id of ids ?? allIds(table.length)) {
    w.raw(written++ ? next : first);
    writeConnectionHead(w, table, id, 4);
    // A verdict is a RST's: a connection without one has none (no lookups for it).
    const some = (rsts[2 * id]?.length ?? 0) + (rsts[2 * id + 1]?.length ?? 0) > 0;
    const full = some ? table.fullResetsOf(id) : NONE;
    const repeats = some ? table.repeatedResetsOf(id) : undefined;
    if (full.length === 0 && !repeats) w.raw(list.empty);
    else if (!repeats) {
      for (let k = 0; k < full.length; k++) {
        w.raw(k ? list.next : list.first);
        writeVerdict(w, full[k]!, list.inner);
        if (w.pos >= chunk && !(yield w.lend())) w.renew();
      }
      w.raw(list.end);
    } else {
      let n = 0;
      for (const v of resetsAndRuns(table, id)) {
        if (!isRun(v)) {
          w.raw(n++ ? list.next : list.first);
          writeVerdict(w, v, list.inner);
          if (w.pos >= chunk && !(yield w.lend())) w.renew();
          continue;
        }
        // Repeats on one line each, written from the columns: a million of them, no object apiece.
        const tail = asciiBytesOf(repeatTail(v.of));
        const { frames, times } = v.repeats;
        for (let j = v.from; j < v.to; j++) {
          w.raw(n++ ? list.next : list.first);
          w.raw(FRAME);
          w.int(frames[j]!);
          w.raw(TIME);
          w.int(times[j]!);
          w.byte(0x2c);
          w.raw(tail);
          w.byte(0x7d);
          if (w.pos >= chunk && !(yield w.lend())) w.renew();
        }
      }
      w.raw(n ? list.end : list.empty);
    }
    writeConnectionTail(w, table, id, 4, rsts);
    if (w.pos >= chunk && !(yield w.lend())) w.renew();
  }
  if (written) w.ascii('\n  ');
  w.byte(0x5d);
  w.text(head.slice(cut + '"connections": []'.length));
  w.byte(0x0a);
  yield w.lend();
}

/**
 * The same report as text, in pieces (the page's export and tests; the command line writes the
 * bytes).
 */
export function* jsonReportChunks(result: Pick<AnalysisResult, 'report' | 'connections'>, ids?: Iterable<number>): Generator<string> {
  const decoder = new (globalThis as unknown as { TextDecoder: new (label: string) => { decode(bytes: Uint8Array, options?: { stream: boolean }): string } }).TextDecoder('utf-8');
  for (const bytes of jsonReportBytes(result, ids)) yield decoder.decode(bytes, { stream: true });
  const rest = decoder.decode(new Uint8Array(0));
  if (rest) yield rest;
}

const FRAME = asciiBytes('{"frame":');
const TIME = asciiBytes(',"time":');

/** UTF-8 bytes of a JSON text (`JSON.stringify`'s output). */
function asciiBytesOf(json: string): Uint8Array {
  const w = new JsonBytes(json.length * 3 + 16);
  w.text(json);
  return w.buf.slice(0, w.pos);
}

/** What a repeat of `of` says after its frame and time: `"from":...,"repeatOf":N` (JSON). */
function repeatTail(of: ResetVerdict): string {
  const { from, flags, scenario, severity, confidence, findings } = of;
  return JSON.stringify({ from, flags, scenario, severity, confidence, findings, repeatOf: of.frame }).slice(1, -1);
}

function* allIds(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
