/**
 * `npm run bench [-- [--no-build] [--isolate] [FOLDER]]`: wall time from drop to "done" of the built app in
 * headless Chromium, next to its baseline, native CPython doing the same extraction and doctest work on
 * the same folder (bench/native_pipeline.py), printed side by side as a ratio. See bench/README.md.
 *
 * FOLDER defaults to this machine's CPython standard library. The app is built into a folder of its own
 * under the OS temp dir (dist/ is a developer's; other tools may be serving it); --no-build reuses it.
 * --isolate serves with COOP/COEP, so time limits interrupt instead of replacing the worker.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { runInChromium } from './appRun.ts';
import { runNative } from './nativeRun.ts';
import { report } from './report.ts';

const DIST = join(tmpdir(), 'semiverse-bench-dist');

function parseArgs(argv: string[]): { build: boolean; isolate: boolean; folder: string | null } {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  for (const flag of flags)
    if (flag !== '--no-build' && flag !== '--isolate') throw new Error(`unknown option ${flag}`);
  const folders = argv.filter((a) => !a.startsWith('--'));
  if (folders.length > 1) throw new Error('give at most one folder');
  return { build: !flags.has('--no-build'), isolate: flags.has('--isolate'), folder: folders[0] ?? null };
}

function stdlibFolder(): string {
  const script = "import sysconfig; print(sysconfig.get_paths()['stdlib'])";
  return execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const corpus = resolve(args.folder ?? stdlibFolder());
  if (!existsSync(corpus)) throw new Error(`no folder at ${corpus}`);
  if (args.build) {
    console.log(`building the app into ${DIST} ...`);
    const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
    await build({ configFile, logLevel: 'warn', build: { outDir: DIST, emptyOutDir: true } });
  } else if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`no build at ${DIST}: run without --no-build once`);
  }
  const entries = readdirSync(corpus, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  console.log(`app: ${corpus} in headless Chromium${args.isolate ? ' (cross-origin isolated)' : ''} ...`);
  const app = await runInChromium(DIST, corpus, { isolate: args.isolate });
  console.log('native: the same folder with python3 bench/native_pipeline.py ...');
  const native = await runNative(corpus);
  console.log(`\n${report({ corpus, entries, cores: availableParallelism(), isolated: args.isolate, app, native })}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
