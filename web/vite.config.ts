import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** The API server the dev server forwards to (`npm start` runs it on port 3000). */
const apiTarget = 'http://localhost:3000';

/**
 * A plugin that runs `afterBuild` with the build's files (paths relative to the output folder,
 * with `/` separators, sorted) once the bundle is written.
 */
function afterBuildPlugin(
  name: string,
  afterBuild: (outDir: string, files: string[]) => Promise<void>,
): Plugin {
  let outDir = '';
  return {
    name,
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile())
        .map((e) =>
          path.relative(outDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'),
        )
        .sort();
      await afterBuild(outDir, files);
    },
  };
}

/**
 * Writes the build's file list and a version into the service worker (`public/sw.js`), so it
 * caches exactly this build's app shell and assets, and a new build installs a new worker.
 */
function serviceWorkerPrecache(): Plugin {
  const placeholder = "const BUILD = { version: 'dev', files: [] };";
  return afterBuildPlugin('tickitnow-service-worker-precache', async (outDir, built) => {
    // Source maps are for developers; the worker itself must never be cached by itself;
    // .br/.gz siblings are the same files in another encoding, chosen by the server.
    const files = built.filter(
      (f) => !/\.(map|br|gz)$/.test(f) && f !== 'sw.js' && !f.startsWith('.'),
    );
    const hash = createHash('sha256').update(files.join('\n'));
    hash.update(await readFile(path.join(outDir, 'index.html')));
    const swPath = path.join(outDir, 'sw.js');
    const source = await readFile(swPath, 'utf8');
    if (!source.includes(placeholder)) throw new Error('sw.js lost its BUILD placeholder');
    const build = { version: hash.digest('hex').slice(0, 16), files };
    await writeFile(swPath, source.replace(placeholder, `const BUILD = ${JSON.stringify(build)};`));
  });
}

/**
 * Writes a Brotli and a gzip sibling next to every text file of the build (`app.js.br`,
 * `app.js.gz`), so the server sends them compressed without compressing on each request
 * (@fastify/static `preCompressed`, nginx `gzip_static`/`brotli_static`). Runs after the
 * service worker plugin, whose file it compresses too (plugins' closeBundle hooks run in order).
 */
function precompressAssets(): Plugin {
  const brotli = promisify(brotliCompress);
  const gzipAsync = promisify(gzip);
  return afterBuildPlugin('tickitnow-precompress-assets', async (outDir, built) => {
    const files = built
      .filter((f) => /\.(js|css|html|svg|json|webmanifest|txt)$/.test(f))
      .map((f) => path.join(outDir, f));
    await Promise.all(
      files.map(async (file) => {
        const source = await readFile(file);
        // Below about a packet, compression saves nothing worth a second file.
        if (source.length < 1024) return;
        const [br, gz] = await Promise.all([
          brotli(source, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
          gzipAsync(source, { level: 9 }),
        ]);
        if (br.length < source.length) await writeFile(`${file}.br`, br);
        if (gz.length < source.length) await writeFile(`${file}.gz`, gz);
      }),
    );
  });
}

/**
 * React Router's package exports point at its development build in every mode (with its dev
 * warnings on: remix-run/react-router#14102); a production build takes the production one,
 * which the package ships beside it.
 */
const reactRouterProduction = fileURLToPath(
  new URL('./dist/production/index.mjs', import.meta.resolve('react-router/package.json')),
);

export default defineConfig(({ command }) => ({
  plugins: [react(), serviceWorkerPrecache(), precompressAssets()],
  resolve:
    command === 'build'
      ? { alias: [{ find: /^react-router$/, replacement: reactRouterProduction }] }
      : {},
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/files': { target: apiTarget, changeOrigin: false },
      '/fn': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP forbids inline scripts and styles, so nothing may be inlined into the HTML.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
}));
