/**
 * `--stream N`: the command line's Follow TCP Stream. The same core as the page's view, a page of
 * 4 MiB at a time, so a huge connection is printed without being held.
 */
import type { AnalysisResult } from '../core/analyze-api.ts';
import type { ByteSource } from '../core/capture/source.ts';
import { endpointText } from '../core/model/endpoint.ts';
import { capturePayloadReader, materializeStream, planConnectionStream } from '../core/stream/follow.ts';
import { formatStreamChunks, formatStreamHeading } from '../core/stream/format.ts';

const PAGE = 4 << 20;

/** Stream `id` as text, in pieces; null when the capture has no such stream. */
export function followedStreamText(source: ByteSource, result: AnalysisResult, id: number): AsyncGenerator<string> | null {
  const plan = planConnectionStream(result, id);
  if (!plan) return null;
  const conn = result.connections.get(id);
  const read = capturePayloadReader(source, result);
  return (async function* () {
    let from = 0;
    do {
      const page = await materializeStream(plan, read, { from, maxBytes: PAGE });
      if (from === 0) {
        yield formatStreamHeading(page, { mode: 'text', stream: id, client: endpointText(conn.client), server: endpointText(conn.server) });
        yield '\n';
      }
      yield formatStreamChunks(page, 'text');
      from = page.to;
    } while (from < plan.total);
  })();
}
