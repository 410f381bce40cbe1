// Bundle the CLI into one ESM file so `npx porthole` starts fast and needs no TypeScript at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/cli.js',
  sourcemap: true,
  logLevel: 'warning',
});
