/**
 * First-load JavaScript of the web app, built for the sample project (its page is a lazy chunk,
 * the route console is in the first load): a production `vite build` into a given directory, then
 * the gzipped size of every script `index.html` loads up front (entry and modulepreloads). Lazy
 * chunks are reported apart; they cost nothing until used.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { webViteSettings } from '../packages/web/vite-settings';
import { SAMPLE_CONFIG } from '../scripts/bundle-lambda';

export interface BundleFigures {
  firstLoadJsBytes: number;
  firstLoadJsGzipBytes: number;
  lazyJsGzipBytes: number;
  cssGzipBytes: number;
  buildMs: number;
}

export const WEB_ROOT = fileURLToPath(new URL('../packages/web/', import.meta.url));

export async function buildAndMeasureWebBundle(outDir: string): Promise<BundleFigures> {
  const started = performance.now();
  const settings = webViteSettings({ configFile: SAMPLE_CONFIG });
  await build({
    ...settings,
    build: { ...settings.build, outDir, emptyOutDir: true, sourcemap: false },
    logLevel: 'warn',
  });
  const figures: BundleFigures = {
    firstLoadJsBytes: 0,
    firstLoadJsGzipBytes: 0,
    lazyJsGzipBytes: 0,
    cssGzipBytes: 0,
    buildMs: performance.now() - started,
  };
  const html = await readFile(join(outDir, 'index.html'), 'utf8');
  const firstLoad = new Set(
    [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map(
      (match) => match[1] as string,
    ),
  );
  if (firstLoad.size === 0) throw new Error('index.html loads no script; the build output changed shape');
  for (const name of await readdir(join(outDir, 'assets'))) {
    const asset = `assets/${name}`;
    const bytes = await readFile(join(outDir, asset));
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    if (asset.endsWith('.css')) figures.cssGzipBytes += gzipped;
    else if (!asset.endsWith('.js')) continue;
    else if (firstLoad.has(asset)) {
      figures.firstLoadJsBytes += bytes.length;
      figures.firstLoadJsGzipBytes += gzipped;
    } else figures.lazyJsGzipBytes += gzipped;
  }
  return figures;
}
