/**
 * Build-time configuration of the offline app: the web app manifest, the service worker's precache
 * (every file of dist/, the analysis worker and the demo capture included) and the Content-Security-
 * Policy written into the built index.html. Imported by vite.config.ts only; runs in Node at build.
 */
import type { Plugin } from 'vite';
import type { VitePWAOptions } from 'vite-plugin-pwa';

export const THEME_COLOR = '#1f2937';

/**
 * Nothing but the app's own files, plus captures the user asks for by URL (`#url=`), which can live
 * on any host. React sets styles through the CSSOM, but recharts and the ladder write `style`
 * attributes, hence 'unsafe-inline' for styles only. No inline script exists to allow.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self' https: http:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/**
 * The policy goes into the built page only: the dev server injects inline scripts (React refresh)
 * that a strict policy would block.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'resetscope-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

const CAPTURE_TYPES = {
  'application/vnd.tcpdump.pcap': ['.pcap', '.cap'],
  'application/x-pcapng': ['.pcapng'],
  'application/gzip': ['.gz'],
};

export const pwaOptions: Partial<VitePWAOptions> = {
  registerType: 'prompt',
  // Registered from src/pwa (virtual:pwa-register), so no inline script lands in index.html.
  injectRegister: false,
  manifest: {
    id: './',
    name: 'Resetscope',
    short_name: 'Resetscope',
    description: 'Open a packet capture in the browser and learn why every TCP reset happened. Nothing leaves your machine.',
    start_url: './',
    scope: './',
    display: 'standalone',
    theme_color: THEME_COLOR,
    background_color: THEME_COLOR,
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      { src: 'icons/icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    file_handlers: [{ action: './', accept: CAPTURE_TYPES }],
    launch_handler: { client_mode: ['focus-existing', 'auto'] },
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,pcap,pcapng,gz,wasm}'],
    // Source maps are for developers; they need not take room offline.
    globIgnores: ['**/*.map'],
    // No navigation fallback: the app has one page, and the precache already answers its own
    // addresses (the folder, through its index.html, and index.html itself; views live in the
    // fragment, which is never part of a request). A fallback would answer every navigation in
    // the worker's scope with this app, another app's /other/page.html included when dist/ is at a
    // site root; no allowlist can name "this app's folder" at build time, as dist/ may be served
    // from any folder.
    navigateFallback: null,
    // The app's own address with a query (a tracking parameter on a shared link) is still the app.
    ignoreURLParametersMatching: [/.*/],
    maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
    cleanupOutdatedCaches: true,
  },
};
