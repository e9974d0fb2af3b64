/**
 * Vite plugin: `import source from 'virtual:python-worker'` gives the Python worker
 * (workers/python/python.worker.ts) as the text of one self-contained classic script. The sandboxed iframe
 * can only start classic workers from blob: URLs (docs/sandbox.md, "Shape"; measured: a module blob worker
 * fails there with an empty error), so the worker cannot be an ordinary Vite worker chunk, in dev or in a
 * build.
 */
import { fileURLToPath } from 'node:url';
import { build, type Plugin, type Rolldown } from 'vite';

const ID = 'virtual:python-worker';
const RESOLVED = '\0' + ID;
const ENTRY = fileURLToPath(new URL('./python/python.worker.ts', import.meta.url));

export function pythonWorkerBundle(extraPlugins: () => Plugin[]): Plugin {
  let cached: Promise<string> | null = null;
  return {
    name: 'semiverse:python-worker-bundle',
    resolveId: (id) => (id === ID ? RESOLVED : null),
    async load(id) {
      if (id !== RESOLVED) return null;
      cached ??= bundle(extraPlugins());
      this.addWatchFile(ENTRY);
      return `export default ${JSON.stringify(await cached)};`;
    },
    watchChange(id) {
      if (id.includes('/workers/')) cached = null;
    },
  };
}

async function bundle(plugins: Plugin[]): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    plugins,
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry: ENTRY, formats: ['iife'], name: 'semiversePythonWorker' },
      rollupOptions: { output: { inlineDynamicImports: true } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the Python worker bundle produced no code');
  return chunk.code;
}
