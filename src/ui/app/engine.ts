/** The app's single analysis engine (a worker, spawned on first use) and the actions that use it. */
import { cancelCapture, openCapture } from '../../state/open-capture.ts';
import { appStore } from '../../state/store.ts';
import { createWorkerEngine, type AnalysisEngine } from '../../worker/analysis-client.ts';

let engine: AnalysisEngine | null = null;

function getEngine(): AnalysisEngine {
  engine ??= createWorkerEngine();
  return engine;
}

export const DEMO_URL = './demo/demo.pcap';
export const DEMO_NAME = 'demo.pcap';

export function openFile(file: Blob, name: string): void {
  void openCapture(appStore, getEngine(), file, name);
}

export async function openDemo(): Promise<void> {
  try {
    const response = await fetch(DEMO_URL);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    openFile(await response.blob(), DEMO_NAME);
  } catch (err) {
    appStore.getState().showError(`Could not load the demo capture: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A frame's decoded headers, read back from the open file by the worker. */
export function loadFrameDetail(file: Blob, name: string, fileOffset: number, frame: number, linkType: number) {
  return getEngine().frameDetail(file, name, fileOffset, frame, linkType);
}

export function cancelAnalysis(): void {
  if (engine) cancelCapture(appStore, engine);
}
