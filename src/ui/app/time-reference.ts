/**
 * The time reference frame: set from a packet's details (its time is known there) or from a link
 * (only its number: its time is looked up in the worker once the capture is analysed). A new capture
 * forgets it; a frame that is not a TCP frame of the capture is dropped with a word to the user.
 */
import type { AppStore } from '../../state/store.ts';
import type { AnalysisEngine } from '../../worker/protocol.ts';

/** The frame's time (seconds since the first frame), when the packets hold it. */
export function frameTime(packets: { frame: ArrayLike<number>; timeNs: ArrayLike<number> } | null | undefined, frame: number): number | null {
  if (!packets) return null;
  for (let i = 0; i < packets.frame.length; i++) if (packets.frame[i] === frame) return packets.timeNs[i]! / 1e9;
  return null;
}

/** Look up a frame's time: in the shown connection, else in the connection the worker says owns it. */
export async function lookUpFrameTime(store: AppStore, engine: Pick<AnalysisEngine, 'connectionOfFrame' | 'connection'>, frame: number): Promise<number | null> {
  const shown = frameTime(store.getState().selectedDetail?.packets, frame);
  if (shown !== null) return shown;
  const owner = await engine.connectionOfFrame(frame);
  if (owner === null) return null;
  const detail = await engine.connection(owner);
  return frameTime(detail?.packets, frame);
}

/** Keep the reference in step with the capture. Returns a function that stops it. */
export function startTimeReference(
  store: AppStore,
  engine: Pick<AnalysisEngine, 'connectionOfFrame' | 'connection'>,
  onMissing: (frame: number) => void = () => {},
): () => void {
  let looking: number | null = null;
  const resolve = () => {
    const s = store.getState();
    const ref = s.timeReference;
    if (s.status !== 'done' || !ref || ref.time !== null || looking === ref.frame) return;
    const { frame } = ref;
    const { runId } = s;
    looking = frame;
    lookUpFrameTime(store, engine, frame).then(
      (time) => {
        looking = null;
        const now = store.getState();
        if (now.runId !== runId || now.timeReference?.frame !== frame) return;
        if (time === null) {
          now.setTimeReference(null);
          onMissing(frame);
        } else now.setTimeReference({ frame, time });
      },
      () => {
        looking = null;
      },
    );
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.runId !== prev.runId && s.timeReference) s.setTimeReference(null);
    else if (s.timeReference !== prev.timeReference || s.status !== prev.status) resolve();
  });
  resolve();
  return unsubscribe;
}
