import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy, pwaOptions } from './src/pwa/vite-options.ts';

export default defineConfig({
  // Relative asset URLs, so dist/ works from any subfolder or straight from a static host.
  base: './',
  plugins: [react(), VitePWA(pwaOptions), contentSecurityPolicy()],
  // Module workers, so the worker can import the core as ES modules.
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { port: 4317, host: '127.0.0.1' },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'eslint-rules/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
