/** What the page's controls do with a capture, over one store and one analysis engine. */
import { cancelCapture, openCapture } from '../../state/open-capture.ts';
import type { AppStore } from '../../state/store.ts';
import type { AnalysisEngine, CaptureInput } from '../../worker/protocol.ts';

export const DEMO_URL = './demo/demo.pcap';
export const DEMO_NAME = 'demo.pcap';

export interface AppActions {
  /** Analyse a file (dropped, chosen, launched or downloaded), replacing whatever was open. */
  openFile(file: CaptureInput, name: string): void;
  openDemo(): Promise<void>;
  cancelAnalysis(): void;
}

export function createAppActions(store: AppStore, engine: AnalysisEngine): AppActions {
  const openFile = (file: CaptureInput, name: string): void => void openCapture(store, engine, file, name);
  return {
    openFile,
    async openDemo() {
      try {
        const response = await fetch(DEMO_URL);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        openFile(await response.blob(), DEMO_NAME);
      } catch (err) {
        store.getState().showError(`Could not load the demo capture: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    cancelAnalysis: () => cancelCapture(store, engine),
  };
}
