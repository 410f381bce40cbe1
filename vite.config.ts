import { defineConfig } from 'vite';
import { precacheServiceWorker } from './scripts/precache-plugin';

// The app lives in web/; workers and engine code come from src/. Output: web-dist/.
export default defineConfig({
  root: 'web',
  base: './',
  publicDir: 'public',
  build: {
    outDir: '../web-dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    sourcemap: true,
    rollupOptions: {
      // harness/ is a test-only page that drives the workers directly.
      input: { main: 'web/index.html', harness: 'web/harness/index.html' },
    },
  },
  worker: { format: 'es' },
  plugins: [precacheServiceWorker('web/public', /(^|\/)harness[-/]/)],
  server: { host: '127.0.0.1' },
});
