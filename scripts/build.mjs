// Bundles the CLI into dist/ so that a hook-invoked `continuum` starts without resolving
// node_modules; commands stay in lazily loaded chunks. The demo, benchmark and soak scripts go to
// dist-tools/, which the npm package does not ship.

import { existsSync } from 'node:fs';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
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
};

// Chunk names carry content hashes: without clean output directories, every build would leave the
// old ones behind and the npm package would ship them all.
await rm('dist', { recursive: true, force: true });
await rm('dist-tools', { recursive: true, force: true });

const cli = await build({
  ...common,
  entryPoints: { continuum: 'src/cli/index.ts' },
  outdir: 'dist',
  // Source maps stay out of the package (they doubled its size and Node ignores them without
  // --enable-source-maps); the bundle is not minified, so stack traces stay readable.
  sourcemap: false,
  metafile: true,
});
await chmod('dist/continuum.js', 0o755);
await writeFile('dist/THIRD-PARTY-LICENSES.txt', await bundledLicenses(cli.metafile));

const tools = Object.fromEntries(
  Object.entries({ demo: 'scripts/demo.ts', bench: 'bench/bench.ts', soak: 'bench/soak.ts' }).filter(
    ([, path]) => existsSync(path),
  ),
);
if (Object.keys(tools).length > 0) {
  await build({ ...common, entryPoints: tools, outdir: 'dist-tools', sourcemap: 'linked' });
}

/**
 * The licence text of every package the CLI bundle contains: bundling copies their code into
 * dist/, and their licences (MIT and alike) ask that the notice travels with it.
 */
async function bundledLicenses(metafile) {
  const packages = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (match) packages.add(match[1]);
  }
  const sections = [];
  for (const name of [...packages].sort()) {
    const directory = join('node_modules', name);
    const manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8'));
    const licenceFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'license']
      .map((file) => join(directory, file))
      .find((path) => existsSync(path));
    // A package that ships no licence file still names its licence in package.json.
    const text = licenceFile
      ? (await readFile(licenceFile, 'utf8')).trim()
      : `(the package ships no licence file; its package.json says: ${manifest.license})`;
    sections.push(`${name}@${manifest.version} (${manifest.license})\n\n${text}\n`);
  }
  return `continuum bundles the following packages into dist/continuum.js and its chunks.\n\n${sections.join('\n----\n\n')}`;
}
