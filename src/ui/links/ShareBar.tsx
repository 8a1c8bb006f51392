import './ShareBar.css';
import { useState } from 'react';
import { isFiltered } from '../../core/model/connection-rows.ts';
import { appStore, useAppStore } from '../../state/store.ts';
import { useEngine } from '../app/services.tsx';
import { SelectionFilters } from '../connections/SelectionFilters.tsx';
import { LINK_LIMIT, downloadConnection, downloadFiltered, packetLink } from './share.ts';
import { displayOf } from './url-sync.ts';

type ShareState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'copied'; url: string; copied: boolean; size: number }
  | { kind: 'too-big'; size: number }
  | { kind: 'error'; message: string };

const kib = (n: number) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;

/** "Copy link with this connection", its payload checkbox, and the downloads, for the selection. */
export function ShareBar() {
  const done = useAppStore((s) => s.status === 'done' && s.file !== null);
  const selected = useAppStore((s) => s.selectedConnection);
  const filtered = useAppStore((s) => isFiltered(s.filters));
  const engine = useEngine();
  const [payloads, setPayloads] = useState(false);
  const [state, setState] = useState<ShareState>({ kind: 'idle' });
  const [forConnection, setForConnection] = useState<number | null>(null);
  if (!done) return null;
  if (forConnection !== selected && state.kind !== 'idle') {
    // The selection moved on: what was shown was about another connection.
    setForConnection(selected);
    setState({ kind: 'idle' });
  }

  const copy = async (id: number) => {
    setForConnection(id);
    setState({ kind: 'busy' });
    try {
      const state = appStore.getState();
      const link = await packetLink(engine, id, payloads, state.file, displayOf(state, true));
      if (!link.ok) {
        setState({ kind: 'too-big', size: link.size });
        return;
      }
      let copied = true;
      try {
        await navigator.clipboard.writeText(link.url);
      } catch {
        copied = false; // no clipboard permission: the link is shown to copy by hand
      }
      setState({ kind: 'copied', url: link.url, copied, size: link.size });
    } catch (err) {
      setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
  const download = (run: () => Promise<void>) => {
    run().catch((err: unknown) => setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
  };

  return (
    <div className="share-actions" data-testid="share-bar">
      {selected !== null ? (
        <>
          <button type="button" className="button" disabled={state.kind === 'busy'} onClick={() => void copy(selected)} data-testid="copy-link">
            Copy link with this connection
          </button>
          <label title="Headers only by default: payloads may hold private data">
            <input type="checkbox" checked={payloads} onChange={(e) => setPayloads(e.target.checked)} data-testid="link-payloads" />
            with payloads
          </label>
          <button type="button" className="button" onClick={() => download(() => downloadConnection(engine, appStore.getState(), selected))}
            title="Payloads included. Each packet keeps its frame number in its comment, which Wireshark shows; opened here, the file shows this analysis"
            data-testid="download-connection"
          >
            Download .pcapng
          </button>
          <SelectionFilters />
        </>
      ) : null}
      {filtered ? (
        <button type="button" className="button" onClick={() => download(() => downloadFiltered(engine, appStore.getState()))} data-testid="download-filtered">
          Download filtered list
        </button>
      ) : null}
      {state.kind === 'busy' ? <span>Preparing the link…</span> : null}
      {state.kind === 'copied' ? (
        <span className="pwa-share-result" data-testid="share-result">
          {state.copied ? 'Link copied' : 'Copy this link'} ({kib(state.size)} of packets and verdicts, nothing sent anywhere):{' '}
          <input readOnly value={state.url} onFocus={(e) => e.target.select()} data-testid="share-link" aria-label="Link with this connection" />
        </span>
      ) : null}
      {state.kind === 'too-big' ? (
        <span className="pwa-share-result" data-testid="share-too-big">
          This connection needs {kib(state.size)} in a link; links carry at most {kib(LINK_LIMIT)}.
          {payloads ? ' Untick “with payloads”, or' : ''} download it as a .pcapng instead and send the file.
        </span>
      ) : null}
      {state.kind === 'error' ? <span className="pwa-share-result" role="alert">{state.message}</span> : null}
    </div>
  );
}
