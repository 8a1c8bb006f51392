import './Welcome.css';
import { OpenButtons } from './OpenButtons.tsx';

export function Welcome() {
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <div className="welcome-card">
        <svg className="welcome-art" viewBox="0 0 120 80" aria-hidden="true">
          <line x1="20" y1="6" x2="20" y2="74" />
          <line x1="100" y1="6" x2="100" y2="74" />
          <path className="a" d="M20 16 L98 24" />
          <path className="a" d="M100 30 L22 38" />
          <path className="a" d="M20 44 L98 52" />
          <path className="r" d="M100 58 L22 66" />
        </svg>
        <h1 id="welcome-title">Why was that connection reset?</h1>
        <p>
          Drop a <code>.pcap</code>, <code>.pcapng</code> or gzip-compressed capture anywhere on this page. Resetscope finds every TCP
          connection, draws its packets as a ladder and explains each reset: the likely cause, the evidence frames and what to check next.
        </p>
        <OpenButtons large />
        <p className="muted small">The file is read in your browser and never uploaded.</p>
      </div>
    </section>
  );
}
