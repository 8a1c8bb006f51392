/** Opening, replacing and cancelling an analysis: the store's side effects, kept out of components. */
import { CancelledError, type AnalysisEngine, type CaptureInput } from '../worker/protocol.ts';
import type { AppStore } from './store.ts';

/** Analyse `file`, replacing whatever was open. Resolves when the run ends, however it ends. */
export async function openCapture(store: AppStore, engine: AnalysisEngine, file: CaptureInput, name: string): Promise<void> {
  if (store.getState().status === 'running') engine.cancel();
  const runId = store.getState().beginCapture(
    file,
    name,
    (id) => engine.connection(id),
    (query) => engine.connectionRows(query),
  );
  if (file.size === 0) {
    store.getState().failCapture(runId, `“${name}” is empty (0 bytes): there is nothing to analyse.`);
    return;
  }
  try {
    const result = await engine.analyze(file, name, {
      onProgress: (p) => store.getState().setProgress(runId, p),
      onList: (list) => store.getState().setList(runId, list),
    });
    // The final list's first rows, before the analysis is marked done: the list never shows the
    // provisional rows against the final count, and "done" means the list shows the analysis.
    const { filters, sort } = store.getState();
    const ids = await engine.connectionRows({ filters, sort });
    const now = store.getState();
    if (ids !== null && now.runId === runId && now.status === 'running') now.showRows({ list: result.list, filters, sort, ids });
    store.getState().finishCapture(runId, result);
  } catch (err) {
    if (err instanceof CancelledError) return; // cancelCapture already updated the store
    const reason = err instanceof Error ? err.message : String(err);
    store.getState().failCapture(runId, `Could not read “${name}”: ${sentence(firstLine(reason))}`);
  }
}

export function cancelCapture(store: AppStore, engine: AnalysisEngine): void {
  const { status, runId } = store.getState();
  if (status !== 'running') return;
  store.getState().markCancelled(runId);
  engine.cancel();
}

/** End a reason with a full stop, so the message reads as a sentence. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line === '' ? 'unknown error' : line;
}
