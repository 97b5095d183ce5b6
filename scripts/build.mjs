// Bundles the CLI (and the demo and benchmark scripts) into dist/ so that a hook-invoked
// `continuum` starts without resolving node_modules; commands stay in lazily loaded chunks.

import { existsSync } from 'node:fs';
import { chmod, readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const entryPoints = Object.fromEntries(
  Object.entries({
    continuum: 'src/cli/index.ts',
    demo: 'scripts/demo.ts',
    bench: 'bench/bench.ts',
    soak: 'bench/soak.ts',
  }).filter(([, path]) => existsSync(path)),
);

const { version } = JSON.parse(await readFile('package.json', 'utf8'));

// Chunk names carry content hashes: without a clean dist/, every build would leave the old ones
// behind and the npm package would ship them all.
await rm('dist', { recursive: true, force: true });

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    // Bundled CommonJS dependencies may call require() or read __filename; give them both.
    js: [
      "import { createRequire as __continuumCreateRequire } from 'node:module';",
      "import { fileURLToPath as __continuumFileURLToPath } from 'node:url';",
      'const require = __continuumCreateRequire(import.meta.url);',
      'const __filename = __continuumFileURLToPath(import.meta.url);',
    ].join(' '),
  },
  define: { CONTINUUM_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
await chmod('dist/continuum.js', 0o755);
