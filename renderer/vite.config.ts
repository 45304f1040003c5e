// Builds the prompts UI into renderer/dist: `npm run build:ui` (for the published package), or in
// memory by the headless UI server when it runs from a checkout (main/headless/ui/ui-assets.ts).
// The output must run under the host's CSP (script-src 'self', style-src 'self'): no inline script,
// no inline style, no data: URLs.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
