// Transpiles src/, test/, bench/ and scripts/*.ts into build/ as `npm run compile-tests` lays them
// out, without type checking: esbuild does it in well under a second where tsc takes seconds,
// which keeps `npm run test:fast` fast. `npm run typecheck` (and `npm test`) check the types.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Every .ts file under `directory`, recursively; `recursive` false for the top level only. */
function typeScriptFiles(directory, recursive = true) {
  return readdirSync(directory, { withFileTypes: true, recursive }).flatMap((entry) =>
    entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')
      ? [join(entry.parentPath ?? entry.path, entry.name)]
      : [],
  );
}

// A test file that was moved or deleted must not run from an old build.
rmSync('build', { recursive: true, force: true });
await build({
  entryPoints: [
    ...typeScriptFiles('src'),
    ...typeScriptFiles('test'),
    ...typeScriptFiles('bench'),
    ...typeScriptFiles('scripts', false),
  ],
  outdir: 'build',
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
