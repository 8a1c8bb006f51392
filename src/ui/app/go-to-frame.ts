/** Go to frame: open the connection a frame belongs to, with the frame shown in the ladder. */
import { hasResetFrame } from '../../core/model/list-columns.ts';
import type { AppStore } from '../../state/store.ts';
import type { AnalysisEngine } from '../../worker/protocol.ts';

/** Resolves to null when done, or to what to tell the user (no such TCP frame). */
export async function goToFrame(store: AppStore, engine: Pick<AnalysisEngine, 'connectionOfFrame'>, frame: number): Promise<string | null> {
  const owner = await engine.connectionOfFrame(frame);
  if (owner === null) return `Frame ${frame} is not a TCP frame of this capture.`;
  const s = store.getState();
  if (owner !== s.selectedConnection) s.selectConnection(owner);
  const now = store.getState();
  if (hasResetFrame(now.list, owner, frame)) now.selectReset(frame);
  now.showFrameDetail(frame);
  now.highlightFrame(frame);
  return null;
}
