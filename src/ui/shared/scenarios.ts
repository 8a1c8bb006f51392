/**
 * How the UI names and colours the scenario ids of SCENARIOS.md. Display only: the classifier
 * decides the scenario and its severity; an id missing here still shows, under its own name.
 */
import type { Severity } from '../../core/model/types.ts';

export interface ScenarioDisplay {
  title: string;
  /** Mid-tone colour, legible on the light and the dark theme (charts and badges). */
  color: string;
}

export const SCENARIO_DISPLAY: Record<string, ScenarioDisplay> = {
  refused: { title: 'Connection refused', color: '#e8590c' },
  'firewall-reject': { title: 'Rejected by a firewall', color: '#d9480f' },
  'port-scan': { title: 'Port scan', color: '#9c36b5' },
  abort: { title: 'Connection aborted', color: '#e03131' },
  'fast-close': { title: 'Fast close', color: '#2f9e44' },
  'data-after-close': { title: 'Data after close', color: '#f08c00' },
  stale: { title: 'Stale connection', color: '#868e96' },
  unexpected: { title: 'Unexpected segment', color: '#7048e8' },
  'idle-timeout': { title: 'Idle timeout', color: '#1c7ed6' },
  'retransmission-timeout': { title: 'Retransmission timeout', color: '#c2255c' },
  'rst-not-received': { title: 'Reset not received', color: '#0c8599' },
  injected: { title: 'Injected reset', color: '#ae3ec9' },
  'out-of-window': { title: 'Out-of-window reset', color: '#5f3dc4' },
  overload: { title: 'Server overload', color: '#f76707' },
  'app-error': { title: 'Reset after an application error', color: '#fa5252' },
  unknown: { title: 'Unexplained reset', color: '#748ffc' },
};

/** The display of a scenario id, own entries only (an id may come from a link: `constructor`). */
function displayOf(id: string): ScenarioDisplay | undefined {
  return Object.hasOwn(SCENARIO_DISPLAY, id) ? SCENARIO_DISPLAY[id] : undefined;
}

export function scenarioTitle(id: string): string {
  return displayOf(id)?.title ?? id;
}

export function scenarioColor(id: string): string {
  return displayOf(id)?.color ?? '#748ffc';
}

/** Each severity's name on screen, in the order the page lists them (most pressing first). */
export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  problem: 'Problem',
  suspicious: 'Suspicious',
  normal: 'Normal',
};

export const SEVERITIES = Object.keys(SEVERITY_LABEL) as readonly Severity[];
