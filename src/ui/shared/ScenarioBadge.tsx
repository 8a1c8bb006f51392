import type { CSSProperties } from 'react';
import type { Severity } from '../../core/model/types.ts';
import { SEVERITY_LABEL, scenarioColor, scenarioTitle } from './scenarios.ts';

export function ScenarioBadge({ scenario, count }: { scenario: string; count?: number }) {
  return (
    <span className="badge" style={{ '--badge-color': scenarioColor(scenario) } as CSSProperties} title={scenarioTitle(scenario)}>
      {scenario}
      {count !== undefined && count > 1 ? <span className="badge-count">×{count}</span> : null}
    </span>
  );
}

export function SeverityTag({ severity }: { severity: Severity }) {
  return <span className={`severity severity-${severity}`}>{SEVERITY_LABEL[severity]}</span>;
}
