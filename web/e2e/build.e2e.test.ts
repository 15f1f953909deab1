import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';

const assets = path.resolve(import.meta.dirname, '../dist/assets');

/** Every source file bundled into the built app, read from its source maps. */
async function bundledSources(): Promise<string[]> {
  const maps = (await readdir(assets)).filter((f) => f.endsWith('.js.map'));
  const sources = await Promise.all(
    maps.map(
      async (f) =>
        (JSON.parse(await readFile(path.join(assets, f), 'utf8')) as { sources: string[] }).sources,
    ),
  );
  return sources.flat();
}

test('the built app carries the production builds of React and React Router', async () => {
  const sources = await bundledSources();
  const reactRouter = sources.filter((s) => s.includes('node_modules/react-router/'));
  expect(reactRouter.length).toBeGreaterThan(0);
  expect(reactRouter.filter((s) => s.includes('/dist/development/'))).toEqual([]);
  const reactDom = sources.filter((s) => s.includes('node_modules/react-dom/'));
  expect(reactDom.length).toBeGreaterThan(0);
  expect(reactDom.filter((s) => s.includes('development'))).toEqual([]);
});
