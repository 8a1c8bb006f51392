import { useId, useRef } from 'react';
import { useAppActions } from './services.tsx';

/** "Open capture" (a real file input behind a label) and "Try the demo". */
export function OpenButtons({ large = false }: { large?: boolean }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const { openDemo, openFile } = useAppActions();
  return (
    <div className={`open-buttons${large ? ' is-large' : ''}`}>
      <input
        ref={input}
        id={id}
        className="file-input"
        type="file"
        accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz,application/vnd.tcpdump.pcap"
        data-testid="file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) openFile(file, file.name);
          // Let the same file be chosen again.
          e.target.value = '';
        }}
      />
      <label htmlFor={id} className="button button-primary">
        Open capture…
      </label>
      <button type="button" className="button" onClick={() => void openDemo()} data-testid="demo-button">
        Try the demo
      </button>
    </div>
  );
}
