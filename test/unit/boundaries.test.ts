/**
 * The product's layers import one way (docs/architecture.md, "Layers"), checked on every import of every
 * product file, type-only ones included. And test doubles (test/fakes: the scripted LLM, in-process Python)
 * never reach the product. Three checks for those:
 * no product file (src/ and workers/, tests excepted) imports test code; the import graph walked from the
 * product's entries stays inside the product; and a production build contains none of the scripted LLM's
 * markers. The build is fresh, into a temp folder (about a second here): test-results/e2e-dist is whatever
 * the last browser run built, possibly from older sources, so reading it would prove nothing about these.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { SCRIPTED_LLM_MARKER } from '../fakes/llmScenario.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const rel = (file: string): string => relative(ROOT, file).split(sep).join('/');

/** Modules a plugin in vite.config.ts provides, and the file each is built from (workers/pythonWorkerBundle.ts). */
const VIRTUAL: Record<string, string> = {
  'virtual:python-worker': 'workers/python/python.worker.ts',
  'virtual:benchmark-index': 'build/benchmarkIndexPlugin.ts',
};

/** What the scripted LLM leaves in a bundle: the marker is a runtime string, so minifying keeps it. */
const MARKERS = [SCRIPTED_LLM_MARKER, 'ScriptedLlm', 'ScriptedModelHost', 'llmScenario'];

const PARSED = /\.(ts|svelte|js|mjs)$/;

/** Every module specifier in a source: static, type-only, re-export, side-effect, dynamic, worker URL, glob. */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"\n]+)['"]/g,
    // A side-effect import starts a statement (not `head === 'import' || ...` in code that talks about imports).
    /(?:^|[;{}])\s*import\s*['"]([^'"\n]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"\n]+)['"]/g,
    /\bnew\s+URL\s*\(\s*['"]([^'"\n]+)['"]\s*,\s*import\.meta\.url/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] ?? '');
  // A glob's folder (before its first wildcard) is what it can reach.
  for (const glob of source.matchAll(/\bimport\.meta\.glob(?:<[^>]*>)?\s*\(\s*(\[[^\]]*\]|['"][^'"]+['"])/g))
    for (const pattern of (glob[1] ?? '').matchAll(/['"]!?([^'"]+)['"]/g))
      found.push((pattern[1] ?? '').replace(/[*{[].*$/, ''));
  return found;
}

/** The file a specifier names, or null for a package or a Node built-in. */
function resolveSpecifier(specifier: string, from: string): string | null {
  const path = specifier.split('?')[0] ?? '';
  const virtual = VIRTUAL[path];
  if (virtual !== undefined) return join(ROOT, virtual);
  if (path.startsWith('.')) return withExtension(resolve(dirname(from), path));
  // Vite resolves root-absolute paths (index.html's script) against the project root.
  if (path.startsWith('/')) return withExtension(join(ROOT, path));
  return null;
}

function withExtension(path: string): string {
  for (const candidate of [path, `${path}.ts`, join(path, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return path;
}

const PACKAGES = ((): Set<string> => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, object>;
  return new Set([...Object.keys(manifest['dependencies'] ?? {}), ...Object.keys(manifest['devDependencies'] ?? {})]);
})();

/** A bare specifier this walk may leave alone: a dependency or a Node built-in, not an alias it cannot see. */
function isPackage(specifier: string): boolean {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return specifier.startsWith('node:') || builtinModules.includes(name) || PACKAGES.has(name);
}

function isTestCode(file: string): boolean {
  const path = rel(file);
  return /^(test|bench)\//.test(path) || path.endsWith('.test.ts') || path.startsWith('..');
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((name) => join(ROOT, dir, name))
    .filter((file) => PARSED.test(file) && !file.includes(`${sep}node_modules${sep}`) && statSync(file).isFile());
}

const productFiles = (): string[] => [...filesUnder('src'), ...filesUnder('workers')].filter((f) => !isTestCode(f));

/**
 * The layer of a product file, and what each layer may import. ui → state → core → domain: a layer may use
 * the ones below it (lib anywhere); adapters implement core's ports (and own the workers they start); only
 * the composition root (app/services.ts) picks adapters; workers run apart and share only domain types.
 */
type Layer = 'app' | 'root' | 'ui' | 'state' | 'core' | 'domain' | 'lib' | 'adapters' | 'workers';

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  root: ['app', 'ui', 'state', 'core', 'domain', 'lib', 'adapters'],
  app: ['app', 'root', 'ui', 'state', 'core', 'domain', 'lib'],
  ui: ['ui', 'state', 'core', 'domain', 'lib'],
  state: ['state', 'core', 'domain', 'lib'],
  core: ['core', 'domain', 'lib'],
  domain: ['domain'],
  lib: ['lib'],
  adapters: ['adapters', 'core', 'domain', 'lib', 'workers'],
  workers: ['workers', 'domain', 'lib'],
};

export function layerOf(path: string): Layer | null {
  if (path === 'src/app/services.ts') return 'root';
  if (path === 'src/main.ts') return 'app';
  const match = /^(?:src\/(app|ui|state|core|domain|lib|adapters)\/|(workers)\/)/.exec(path);
  return (match?.[1] ?? match?.[2] ?? null) as Layer | null;
}

/** Every import against the direction: "file imports target (a → b)". */
function layerOffences(files: string[]): string[] {
  const offences: string[] = [];
  for (const file of files) {
    const from = layerOf(rel(file));
    if (from === null) continue;
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(specifier, file);
      const to = target === null ? null : layerOf(rel(target));
      if (to !== null && !MAY_IMPORT[from].includes(to))
        offences.push(`${rel(file)} imports ${rel(target!)} (${from} → ${to})`);
    }
  }
  return offences;
}

describe('layers import one way', () => {
  it('no product file imports against the direction of the layers', () => {
    expect(layerOffences(productFiles())).toEqual([]);
  });

  it('…which it would catch, naming the file and the import', () => {
    const dir = mkdtempSync(join(ROOT, 'src', 'state', '.boundary-probe-'));
    try {
      const probe = join(dir, 'probe.ts');
      writeFileSync(
        probe,
        "import { DexieStore } from '../../adapters/storage/dexieStore.ts';\nimport type { Services } from '../../app/services.ts';\n",
      );
      const probeUi = join(dir, 'probe.svelte');
      writeFileSync(
        probeUi,
        '<script lang="ts">\n  import type { FunctionDetail } from \'../../adapters/storage/reads.ts\';\n</script>\n',
      );
      const name = rel(dir);
      expect(layerOffences([probe, probeUi])).toEqual([
        `${name}/probe.ts imports src/adapters/storage/dexieStore.ts (state → adapters)`,
        `${name}/probe.ts imports src/app/services.ts (state → root)`,
        `${name}/probe.svelte imports src/adapters/storage/reads.ts (state → adapters)`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(layerOf('src/ui/review/FunctionDetail.svelte')).toBe('ui');
    expect(layerOf('workers/python/runner.ts')).toBe('workers');
    expect(layerOf('test/fakes/scriptedLlm.ts')).toBeNull();
  });

  it('app/ is a shell: only its composition root touches adapters, and nothing imports the root but the shell', () => {
    const offences = productFiles().flatMap((file) =>
      specifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
        const target = resolveSpecifier(specifier, file);
        return target !== null && rel(target) === 'src/app/services.ts' && layerOf(rel(file)) !== 'app'
          ? [`${rel(file)} imports the composition root`]
          : [];
      }),
    );
    expect(offences).toEqual([]);
  });
});

describe('test doubles are unreachable from the product', () => {
  it('finds every kind of import (so the checks below could fail)', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type {\n  B,\n  C,\n} from '../b.ts';",
      "import D, { type E } from '../../test/fakes/d.ts';",
      "export * from './f.ts';",
      "export { g } from './g.ts';",
      "import './side.css';",
      "const h = await import('./h.ts');",
      "const i = await import(\n  '../i.ts', { with: {} });",
      "new Worker(new URL('./j.worker.ts', import.meta.url), { type: 'module' });",
      "const k = import.meta.glob('../k/*.py', { eager: true });",
      'import source from "virtual:python-worker";',
      "const notAnImport = 'from ./x.ts'; py.pyimport('semiverse_api');",
      "const alsoNot = head === 'import' || head === 'from';",
    ].join('\n');
    expect(specifiers(source)).toEqual([
      ...['./a.ts', '../b.ts', '../../test/fakes/d.ts', './f.ts', './g.ts', 'virtual:python-worker'],
      ...['./side.css', './h.ts', '../i.ts', './j.worker.ts', '../k/'],
    ]);
    expect(isTestCode(resolveSpecifier('../../test/fakes/d.ts', join(ROOT, 'src/app/x.ts')) ?? '')).toBe(true);
    expect(isTestCode(resolveSpecifier('../../test/fakes/d.ts', join(ROOT, 'src/app/deep/x.ts')) ?? '')).toBe(false);
    expect(isTestCode(resolveSpecifier('./walk.test.ts', join(ROOT, 'src/core/ingest/walk.ts')) ?? '')).toBe(true);
  });

  it('no file under src/ or workers/ (tests aside) imports test code or a module this check cannot follow', () => {
    const files = productFiles();
    expect(files.map(rel)).toEqual(expect.arrayContaining(['src/main.ts', 'workers/python/python.worker.ts']));
    const offences: string[] = [];
    for (const file of files)
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        const target = resolveSpecifier(specifier, file);
        if (target === null && !isPackage(specifier)) offences.push(`${rel(file)}: unknown module "${specifier}"`);
        if (target !== null && isTestCode(target)) offences.push(`${rel(file)} imports ${rel(target)}`);
      }
    expect(offences).toEqual([]);
  });

  it('the import graph from the product’s entries stays inside the product', () => {
    const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
    const entries = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => resolveSpecifier(m[1] ?? '', ROOT));
    const reached = new Set<string>();
    const queue = entries.filter((entry): entry is string => entry !== null);
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      if (reached.has(file)) continue;
      reached.add(file);
      if (!PARSED.test(file) || !existsSync(file)) continue;
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        const target = resolveSpecifier(specifier, file);
        if (target !== null) queue.push(target);
      }
    }
    const paths = [...reached].map(rel);
    // The walk goes deep: through the app into the Python worker the virtual module builds.
    expect(paths).toEqual(expect.arrayContaining(['src/main.ts', 'src/core/ports.ts', 'workers/python/runner.ts']));
    expect(paths.filter((path) => isTestCode(join(ROOT, path)))).toEqual([]);
  });

  it('a production build contains no trace of the scripted LLM', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'semiverse-boundary-'));
    try {
      await build({
        configFile: join(ROOT, 'vite.config.ts'),
        logLevel: 'error',
        build: { outDir, emptyOutDir: true },
      });
      const files = (await readdir(outDir, { recursive: true, encoding: 'utf8' }))
        // pyodide/ is copied verbatim from node_modules: no source of ours can end up there.
        .filter((name) => /\.(js|mjs|html|css)$/.test(name) && !name.startsWith(`pyodide${sep}`));
      expect(files.filter((name) => name.endsWith('.js')).length).toBeGreaterThan(0);
      const traces: string[] = [];
      for (const name of files) {
        const text = await readFile(join(outDir, name), 'utf8');
        for (const marker of MARKERS) if (text.includes(marker)) traces.push(`${name}: ${marker}`);
      }
      expect(traces).toEqual([]);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it('…where a minified bundle of the scripted LLM would show its marker', async () => {
    const result = await build({
      configFile: false,
      logLevel: 'error',
      build: {
        write: false,
        minify: true,
        target: 'es2022',
        lib: { entry: join(ROOT, 'test/fakes/scriptedModelHost.ts'), formats: ['es'] },
        rollupOptions: { external: [/^node:/] },
      },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const code = outputs
      .flatMap((output) => output.output)
      .map((chunk) => (chunk.type === 'chunk' ? chunk.code : ''))
      .join('\n');
    expect(code).toContain(SCRIPTED_LLM_MARKER);
  });
});
