/**
 * The time display setting (one select, as Wireshark's View › Time Display Format), the zone for
 * absolute times, and the reference frame when one is set.
 */
import { useId } from 'react';
import { TIME_FORMATS, type TimeFormat, type TimeZoneChoice } from '../../state/display-slice.ts';
import { useAppStore } from '../../state/store.ts';
import { TIME_FORMAT_LABEL, formatZone, parseCaptureClock, timeCaption } from '../shared/time-format.ts';
import { browserZoneOffset, useTimeContext } from '../shared/use-time.ts';

export function TimeControls() {
  const id = useId();
  const format = useAppStore((s) => s.timeFormat);
  const zone = useAppStore((s) => s.timeZone);
  const reference = useAppStore((s) => s.timeReference);
  const setTimeFormat = useAppStore((s) => s.setTimeFormat);
  const setTimeZone = useAppStore((s) => s.setTimeZone);
  const setTimeReference = useAppStore((s) => s.setTimeReference);
  const clock = parseCaptureClock(useAppStore((s) => s.result?.report.firstTime ?? null));
  const time = useTimeContext();
  const localZone = formatZone('local', browserZoneOffset(clock ? clock.sec * 1000 : 0));

  return (
    <div className="time-controls" role="group" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} htmlFor={`${id}-format`} className="time-controls-label">
        Times
      </label>
      <select
        id={`${id}-format`}
        data-testid="time-format"
        value={format}
        onChange={(e) => setTimeFormat(e.target.value as TimeFormat)}
      >
        {TIME_FORMATS.map((f) => (
          <option key={f} value={f}>
            {TIME_FORMAT_LABEL[f]}
          </option>
        ))}
      </select>
      {/* On paper, the setting as words. */}
      <span className="print-only">{timeCaption(time)}</span>
      {format === 'absolute' ? (
        <select aria-label="Time zone" data-testid="time-zone" value={zone} onChange={(e) => setTimeZone(e.target.value as TimeZoneChoice)}>
          <option value="utc">UTC</option>
          <option value="local">Local time ({localZone})</option>
        </select>
      ) : null}
      {reference ? (
        <span className="time-reference" data-testid="time-reference" data-frame={reference.frame}>
          Reference: frame {reference.frame}
          <button type="button" className="button button-icon" aria-label={`Clear the time reference (frame ${reference.frame})`} onClick={() => setTimeReference(null)}>
            ×
          </button>
        </span>
      ) : format === 'reference' ? (
        <span className="muted time-reference-hint">No reference frame yet: open a packet and choose “Set as time reference”.</span>
      ) : null}
    </div>
  );
}
