/** A point in time in the connection list (a connection's start), as the time setting asks. */
import { formatAbsolute, formatTime, timeCaption } from '../shared/time-format.ts';
import { useTimeContext } from '../shared/use-time.ts';

export function TimeCell({ seconds }: { seconds: number }) {
  const time = useTimeContext();
  // The full date and time on hover, whatever the column shows.
  return <span title={time.clock ? formatAbsolute(time, seconds, true) : undefined}>{formatTime(time, seconds)}</span>;
}

export function StartHeader() {
  const time = useTimeContext();
  return <span title={`When the connection's first packet was seen: ${timeCaption(time)}`}>Start</span>;
}
