/**
 * The analysis engine and the actions over it, handed to the views by React context (main.tsx makes
 * them once; a test can hand in a fake engine), so no component imports a module-level worker.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { AnalysisEngine } from '../../worker/protocol.ts';
import type { AppActions } from './actions.ts';

export interface AppServices {
  engine: AnalysisEngine;
  actions: AppActions;
}

const ServicesContext = createContext<AppServices | null>(null);

export function AppServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('AppServicesProvider is missing above this component');
  return services;
}

export function useEngine(): AnalysisEngine {
  return useServices().engine;
}

export function useAppActions(): AppActions {
  return useServices().actions;
}
