/** Display-edge formatting: the only place where numbers become text for people. */
import { endpointText } from '../../core/model/endpoint.ts';

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** 1234567 -> "1.2 MB" (decimal units, as network tools count). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  let unit = 0;
  let value = n;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Seconds -> a short human duration: "850 µs", "12.3 ms", "4.20 s", "3 min 05 s", "2 h 04 min", "1 d 02 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '−' : '';
  if (s === 0) return '0 s';
  if (s < 1e-3) return `${sign}${Math.round(s * 1e6)} µs`;
  if (s < 1) return `${sign}${trim(s * 1e3)} ms`;
  if (s < 60) return `${sign}${s.toFixed(s < 10 ? 2 : 1)} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${sign}${m} min ${String(Math.floor(s - m * 60)).padStart(2, '0')} s`;
  }
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    return `${sign}${h} h ${String(Math.floor((s - h * 3600) / 60)).padStart(2, '0')} min`;
  }
  // Days, not "26936 h 09 min": hours matter beside days, nothing smaller does.
  const d = Math.floor(s / 86400);
  if (d >= 365) return `${sign}${formatCount(d)} d`;
  return `${sign}${d} d ${String(Math.floor((s - d * 86400) / 3600)).padStart(2, '0')} h`;
}

/** A round trip in seconds: "85 µs", "12.3 ms", "1.20 s"; blank when there is none (NaN). */
export function formatRtt(seconds: number): string {
  return Number.isNaN(seconds) ? '' : formatDuration(seconds);
}

/** A time offset in seconds with µs precision, as Wireshark's relative time column: "12.345678". */
export function formatOffset(seconds: number): string {
  return seconds.toFixed(6);
}

const COUNT = new Intl.NumberFormat('en-US');

/** 1234567 -> "1,234,567" (one formatter: `toLocaleString` makes a new one per call). */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** 1 -> "1 packet", 2 -> "2 packets" (with thousands separators). */
export function formatPlural(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/** 0.834 -> "83%". */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** An endpoint as people write it: "10.0.0.1:80", "[2001:db8::1]:443". */
export function formatEndpoint(ip: string, port: number): string {
  return endpointText({ ip, port });
}

function trim(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
