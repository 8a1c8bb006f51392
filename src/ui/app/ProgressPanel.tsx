import './ProgressPanel.css';
import { useAppStore } from '../../state/store.ts';
import { formatBytes, formatDuration, formatPercent, formatPlural } from '../shared/format.ts';
import { useAppActions } from './services.tsx';
import { progressFraction, secondsLeft } from './progress.ts';

export function ProgressPanel() {
  const status = useAppStore((s) => s.status);
  const progress = useAppStore((s) => s.progress);
  const fileName = useAppStore((s) => s.fileName);
  const fileSize = useAppStore((s) => s.fileSize);
  const { cancelAnalysis } = useAppActions();
  if (status !== 'running') return null;
  const fraction = progressFraction(progress);
  const left = secondsLeft(progress);
  return (
    <div className="progress" aria-live="polite">
      <div className="progress-text">
        <strong>Reading {fileName}</strong>
        <span className="muted">
          {formatBytes(progress?.bytesRead ?? 0)} of {formatBytes(progress?.totalBytes ?? fileSize)} · {formatPlural(progress?.packets ?? 0, 'packet')} ·{' '}
          {formatPlural(progress?.connections ?? 0, 'connection')}
          {left !== null ? ` · about ${formatDuration(left)} left` : ''}
        </span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={`Reading ${fileName ?? 'the capture'}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 1000) / 10}
        aria-valuetext={`${formatPercent(fraction)} read`}
      >
        <span className="progress-fill" style={{ transform: `scaleX(${fraction})` }} />
      </div>
      <button type="button" className="button" onClick={cancelAnalysis}>
        Cancel
      </button>
    </div>
  );
}
