// Bundle the fuzzer (fuzz/main.ts) so `npm run fuzz` runs without a TypeScript loader.
import { build } from 'esbuild';

await build({ entryPoints: ['fuzz/main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: 'dist/fuzz.js', logLevel: 'warning' });
