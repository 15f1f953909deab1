import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Result } from 'lighthouse';
import sharp from 'sharp';
import { chromiumFlags, chromiumPath } from '../../web/e2e/chromium.js';
import { request } from './http.js';
import { repoRoot, run, stop, type TChild } from './processes.js';
import { createPublishedEvent } from './setup.js';
import { round } from './stats.js';

/**
 * The web part of issue 8: Lighthouse (mobile profile, simulated throttling — its defaults) on
 * the discover page and an event page, served by one API instance with `SERVE_WEB=true`, plus
 * the size of the JavaScript the built index.html loads before anything else.
 */

/** Lighthouse scores are 0–100; times in ms; script bytes as Lighthouse saw them on the wire. */
export type TWebPage = {
  name: string;
  path: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  speedIndexMs: number;
  scriptTransferKb: number;
  totalTransferKb: number;
  /** Lighthouse's measure of this machine's speed at the time (a typical desktop is ~1,000+). */
  benchmarkIndex: number;
  /** Every Lighthouse run of this page; the figures above are from the median-performance run. */
  performanceRuns: number[];
  /** Audits of the four categories that did not pass in the reported run (id: title). */
  failedAudits: string[];
  /** Runs Lighthouse itself failed and asked to be run again (e.g. NO_NAVSTART); they were. */
  rerunAfterLighthouseError?: number;
};

export type TWebFigures = {
  lighthouse: string;
  chromium: string;
  pages: TWebPage[];
  /** The module script and modulepreloads of index.html, gzipped with node:zlib at level 6. */
  initialJsGzipKb: number;
  initialJsKb: number;
  initialJsFiles: { file: string; kb: number; gzipKb: number }[];
  /** Whether the server answered an `Accept-Encoding: gzip` request for the entry with gzip. */
  isAssetCompressed: boolean;
  /** Lighthouse runs per page; each page's figures are from its median run by performance. */
  runs: number;
  durationS: number;
};

/** The issue 8 targets, shared by the report's verdicts. */
export const webTargets = {
  performance: 90,
  accessibility: 95,
  bestPractices: 95,
  initialJsGzipKb: 150,
} as const;

/** The browser tests' flags, and nothing Lighthouse does not need: the only network is localhost. */
const lighthouseFlags = [
  ...chromiumFlags,
  '--disable-default-apps',
  '--disable-extensions',
  '--no-default-browser-check',
];

/** Builds the web app into `outDir` (not web/dist, which other tools may be reading). */
export async function buildWeb(outDir: string): Promise<void> {
  await run(process.execPath, [
    path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
    'build',
    'web',
    '--outDir',
    outDir,
    '--emptyOutDir',
    '--logLevel',
    'warn',
  ]);
}

/** The JavaScript index.html loads up front: its module scripts and modulepreload links. */
export function measureInitialJs(distDir: string): Pick<
  TWebFigures,
  'initialJsGzipKb' | 'initialJsKb' | 'initialJsFiles'
> & {
  entry: string;
} {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const urls = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const isModuleScript = tag.startsWith('<script') && /\btype="module"/.test(tag);
    const isPreload = tag.startsWith('<link') && /\brel="modulepreload"/.test(tag);
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if ((isModuleScript || isPreload) && url) urls.add(url);
  }
  const files = [...urls].map((url) => {
    const bytes = readFileSync(path.join(distDir, url.replace(/^\//, '')));
    return {
      file: url,
      kb: round(bytes.length / 1024, 1),
      gzipKb: round(gzipSync(bytes).length / 1024, 1),
      bytes: bytes.length,
      gzipBytes: gzipSync(bytes).length,
    };
  });
  return {
    entry: files[0]?.file ?? '',
    initialJsKb: round(files.reduce((n, f) => n + f.bytes, 0) / 1024, 1),
    initialJsGzipKb: round(files.reduce((n, f) => n + f.gzipBytes, 0) / 1024, 1),
    initialJsFiles: files.map(({ file, kb, gzipKb }) => ({ file, kb, gzipKb })),
  };
}

/** Starts headless Chromium with a fresh profile; resolves with its DevTools port. */
async function launchChromium(profileDir: string) {
  const proc = spawn(
    chromiumPath,
    [
      ...lighthouseFlags,
      `--user-data-dir=${profileDir}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${output}`)), 30_000);
    proc.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-5000);
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code}:\n${output}`));
    });
    proc.once('error', reject);
  });
  const close = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { port, close };
}

const categoryIds = ['performance', 'accessibility', 'best-practices', 'seo'];

/**
 * One Lighthouse navigation with its default settings (mobile, simulated throttling), through
 * its CLI in a plain Node process: under the tsx loader Lighthouse's page functions carry
 * esbuild's `__name` helper, which does not exist in the page.
 */
async function auditPage(url: string, port: number, reportDir: string | undefined) {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'tin-bench-lighthouse-'));
  try {
    const name = new URL(url).pathname.replace(/\W+/g, '_').replace(/^_|_$/g, '') || 'discover';
    const outBase = path.join(workDir, name);
    await run(process.execPath, [
      path.join(repoRoot, 'node_modules/lighthouse/cli/index.js'),
      url,
      `--port=${port}`,
      '--hostname=127.0.0.1',
      `--only-categories=${categoryIds.join(',')}`,
      '--output=json',
      '--output=html',
      `--output-path=${outBase}`,
      '--no-enable-error-reporting',
      '--disable-full-page-screenshot',
      '--quiet',
    ]);
    const lhr = JSON.parse(readFileSync(`${outBase}.report.json`, 'utf8')) as Result;
    if (reportDir) {
      const stamp = Date.now();
      copyFileSync(`${outBase}.report.html`, path.join(reportDir, `${name}-${stamp}.html`));
      copyFileSync(`${outBase}.report.json`, path.join(reportDir, `${name}-${stamp}.json`));
    }
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
    return summarize(lhr);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function summarize(lhr: Result) {
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? 0;
  const summary = lhr.audits['resource-summary']?.details;
  const items =
    summary && 'items' in summary
      ? (summary.items as { resourceType?: string; transferSize?: number }[])
      : [];
  const transferKb = (type: string) =>
    round((items.find((i) => i.resourceType === type)?.transferSize ?? 0) / 1024, 1);
  const failedAudits = categoryIds.flatMap((id) =>
    (lhr.categories[id]?.auditRefs ?? [])
      .map((ref) => lhr.audits[ref.id])
      .filter(
        (a) =>
          a &&
          a.score !== null &&
          a.score < 0.9 &&
          !['informative', 'notApplicable', 'manual'].includes(a.scoreDisplayMode),
      )
      .map((a) => `${a?.id ?? ''}: ${a?.title ?? ''}`),
  );
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    fcpMs: round(numeric('first-contentful-paint')),
    lcpMs: round(numeric('largest-contentful-paint')),
    tbtMs: round(numeric('total-blocking-time')),
    cls: round(numeric('cumulative-layout-shift'), 3),
    speedIndexMs: round(numeric('speed-index')),
    scriptTransferKb: transferKb('script'),
    totalTransferKb: transferKb('total'),
    failedAudits: [...new Set(failedAudits)],
    benchmarkIndex: round(lhr.environment.benchmarkIndex),
    lighthouseVersion: lhr.lighthouseVersion,
  };
}

/**
 * Audits each page `runs` times (pages interleaved, one browser, a fresh profile) and keeps the
 * run with the median performance score: simulated throttling still measures real CPU time for
 * TBT, and other processes share the machine.
 */
export async function runLighthouse(
  baseUrl: string,
  pages: { name: string; path: string }[],
  options: { runs: number; reportDir?: string | undefined },
): Promise<{ pages: TWebPage[]; lighthouse: string; chromium: string }> {
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'tin-bench-chromium-'));
  const chromium = await launchChromium(profileDir);
  try {
    const results = pages.map(() => [] as Awaited<ReturnType<typeof auditPage>>[]);
    const reruns = pages.map(() => 0);
    // A run Lighthouse itself could not record ("Something went wrong with recording the trace
    // … Please run Lighthouse again.", NO_NAVSTART) is its failure, not the page's: run it again,
    // at most twice, and count it.
    const audit = async (n: number, url: string) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await auditPage(url, chromium.port, options.reportDir);
        } catch (error) {
          if (attempt > 2 || !/run Lighthouse again/.test(String(error))) throw error;
          reruns[n] = (reruns[n] ?? 0) + 1;
        }
      }
    };
    for (let i = 0; i < options.runs; i++)
      for (const [n, page] of pages.entries())
        results[n]?.push(await audit(n, `${baseUrl}${page.path}`));
    let lighthouseVersion = '';
    // The user agent says 156.0.0.0 (reduced); the binary names its build.
    const chromiumVersion = /[\d.]+/.exec(await run(chromiumPath, ['--version']))?.[0] ?? '';
    const out = pages.map((page, n) => {
      const runs = [...(results[n] ?? [])].sort((a, b) => a.performance - b.performance);
      const median = runs[Math.floor((runs.length - 1) / 2)];
      if (!median) throw new Error(`no Lighthouse run for ${page.path}`);
      const { lighthouseVersion: v, ...figures } = median;
      lighthouseVersion = v;
      return {
        name: page.name,
        path: page.path,
        ...figures,
        performanceRuns: (results[n] ?? []).map((r) => r.performance),
        ...(reruns[n] ? { rerunAfterLighthouseError: reruns[n] } : {}),
      };
    });
    return { pages: out, lighthouse: lighthouseVersion, chromium: chromiumVersion };
  } finally {
    await chromium.close();
    // Chromium's helper processes may still be writing to the profile for a moment.
    try {
      rmSync(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      process.stderr.write(`could not remove ${profileDir}\n`);
    }
  }
}

/** A 1600×900 gradient PNG like the demo seed's, so cards and the event page carry real images. */
function makeEventImage(seed: number): Promise<Buffer> {
  const hue = (seed * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,25%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},85%,60%)"/></linearGradient></defs>
<rect width="1600" height="900" fill="url(#g)"/><circle cx="${(seed * 211) % 1600}" cy="${(seed * 97) % 900}" r="240" fill="#fff" fill-opacity="0.12"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function uploadImage(baseUrl: string, token: string, eventId: string, seed: number) {
  const res = await fetch(`${baseUrl}/api/v1/events/${eventId}/image`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
    body: await makeEventImage(seed),
  });
  if (res.status !== 200) throw new Error(`upload image: ${res.status} ${await res.text()}`);
}

/**
 * Demo-like pages on the bench's own catalogue: one more published event with two ticket types
 * (the event page), and an image on every event of the discover page's first screen.
 */
async function preparePages(baseUrl: string, ownerToken: string, organizerId: string) {
  const event = await createPublishedEvent(baseUrl, ownerToken, organizerId, 300, {
    capacity: 200,
    priceCents: 1800,
    maxPerOrder: 10,
  });
  const vip = await request(baseUrl, 'POST', `/api/v1/events/${event.eventId}/ticket-types`, {
    token: ownerToken,
    body: {
      name: 'Table for two',
      currency: 'EUR',
      capacity: 12,
      priceCents: 6000,
      maxPerOrder: 2,
    },
  });
  if (vip.status !== 201) throw new Error(`create ticket type: ${vip.status}`);
  const list = await request(baseUrl, 'GET', '/api/v1/events?limit=12');
  const listed = (list.body as { items?: { id: string }[] }).items ?? [];
  const ids = new Set([event.eventId, ...listed.map((e) => e.id)]);
  let seed = 1;
  for (const id of ids) await uploadImage(baseUrl, ownerToken, id, seed++);
  return [
    { name: 'discover', path: '/' },
    { name: 'event', path: `/events/${event.slug}` },
  ];
}

/**
 * Builds the web app, starts one API instance serving it (`startServer` adds `SERVE_WEB` and
 * `WEB_DIST` to the bench's usual environment), prepares the pages through the API and runs
 * Lighthouse. Set BENCH_LIGHTHOUSE_REPORTS=<dir> to keep the HTML reports.
 */
export async function measureWeb(options: {
  baseUrl: string;
  startServer: (env: Record<string, string>) => Promise<TChild>;
  ownerToken: string;
  organizerId: string;
  runs?: number;
  log: (message: string) => void;
}): Promise<TWebFigures> {
  const started = Date.now();
  const distDir = mkdtempSync(path.join(os.tmpdir(), 'tin-bench-web-'));
  const reportDir = process.env['BENCH_LIGHTHOUSE_REPORTS'];
  if (reportDir) mkdirSync(reportDir, { recursive: true });
  let server: TChild | undefined;
  try {
    await buildWeb(distDir);
    const initialJs = measureInitialJs(distDir);
    options.log(
      `web: initial JS ${initialJs.initialJsGzipKb} KB gzipped (${initialJs.initialJsFiles.length} files)`,
    );
    server = await options.startServer({ SERVE_WEB: 'true', WEB_DIST: distDir });
    const pages = await preparePages(options.baseUrl, options.ownerToken, options.organizerId);
    const probe = await fetch(`${options.baseUrl}${initialJs.entry}`, {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    await probe.arrayBuffer();
    const isAssetCompressed = /gzip|br/.test(probe.headers.get('content-encoding') ?? '');
    // Lighthouse's own advice: the median of several runs (its scores vary run to run). Three per
    // page add about 40 s; BENCH_LIGHTHOUSE_RUNS=1 for a quick look.
    const runs = options.runs ?? (Number(process.env['BENCH_LIGHTHOUSE_RUNS']) || 3);
    const lighthouseResult = await runLighthouse(options.baseUrl, pages, { runs, reportDir });
    for (const p of lighthouseResult.pages)
      options.log(
        `web: ${p.path} performance ${p.performance} (runs ${p.performanceRuns.join(', ')}), accessibility ${p.accessibility}, best practices ${p.bestPractices}, SEO ${p.seo}; LCP ${p.lcpMs} ms, TBT ${p.tbtMs} ms`,
      );
    return {
      lighthouse: lighthouseResult.lighthouse,
      chromium: lighthouseResult.chromium,
      pages: lighthouseResult.pages,
      initialJsGzipKb: initialJs.initialJsGzipKb,
      initialJsKb: initialJs.initialJsKb,
      initialJsFiles: initialJs.initialJsFiles,
      isAssetCompressed,
      runs,
      durationS: round((Date.now() - started) / 1000),
    };
  } finally {
    if (server) await stop(server);
    rmSync(distDir, { recursive: true, force: true });
  }
}
