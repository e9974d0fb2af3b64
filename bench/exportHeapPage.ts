/**
 * The export heap benchmark's page (bench/exportHeap.ts builds it with the app's Vite config). It seeds a
 * project of N verified natural samples into this origin's IndexedDB through the app's own storage adapter
 * (as a run would leave it: files, extractions, outcomes, then a screening), then exports it the way the
 * app does, while sampling the JS heap: `performance.memory` (Chromium, with --enable-precise-memory-info)
 * on a 5 ms timer and after every storage read of the export.
 */
import { SemiverseDb } from '../src/adapters/storage/db.ts';
import { DexieStore } from '../src/adapters/storage/dexieStore.ts';
import { datasetZip, rawJsonl } from '../src/core/dataset/downloads.ts';
import { DEFAULT_DATASET_OPTIONS } from '../src/core/dataset/exportDataset.ts';
import { exportJsonl } from '../src/core/export/exportJsonl.ts';
import type { FileExtraction, StoragePort } from '../src/core/ports.ts';
import { newProject } from '../src/core/run/runProject.ts';
import { screenStage, type Screens } from '../src/core/screen/screenStage.ts';
import type { ExtractedFunction } from '../src/domain/extract.ts';
import {
  SCHEMA_VERSION,
  functionId,
  type FileRow,
  type FunctionSummary,
  type OutcomeRow,
  type ProjectRow,
  type TextRow,
} from '../src/domain/records.ts';

export const PROJECT_ID = 'heap-bench';
const db = new SemiverseDb('semiverse-heap-bench');
const store = new DexieStore(db);

type Memory = { usedJSHeapSize: number };
const used = (): number => (performance as unknown as { memory: Memory }).memory.usedJSHeapSize;

/** A storage port that samples the heap after every read (the export's peaks come right after a page). */
function sampled(storage: StoragePort, sample: () => void): StoragePort {
  return new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        sample();
        return result;
      };
    },
  });
}

/** Runs `work` while sampling the heap; the highest sample. */
async function peakDuring<T>(
  work: (sample: () => void) => Promise<T>,
): Promise<{ result: T; peak: number; ms: number }> {
  let peak = used();
  const sample = () => void (peak = Math.max(peak, used()));
  const timer = setInterval(sample, 5);
  const start = performance.now();
  try {
    const result = await work(sample);
    sample();
    return { result, peak, ms: performance.now() - start };
  } finally {
    clearInterval(timer);
  }
}

/** A function of about 600 characters (a realistic natural sample), different for every i. */
function source(i: number, j: number): { text: string; doc: string; call: string; want: string } {
  const name = `scale_${i}_${j}`;
  const doc = `Scale each value of xs by factor ${j}, skip values under ${i % 17}, and return the total of what is left (file ${i}, case ${j}).`;
  const call = `${name}([1, 2, ${i % 50}], ${j % 7})`;
  const want = String([1, 2, i % 50].filter((x) => x >= i % 17).reduce((a, x) => a + x * (j % 7), 0));
  const text = `def ${name}(xs, factor):\n    """${doc}\n\n    >>> ${call}\n    ${want}\n    """\n    total = 0\n    for x in xs:\n        if x < ${i % 17}:\n            continue\n        total += x * factor\n    # keep the running total as an int (${'x'.repeat(j % 40)})\n    return total\n`;
  return { text, doc, call, want };
}

async function seed(files: number, perFile: number): Promise<{ samples: number; seconds: number }> {
  const start = performance.now();
  await db.delete();
  await db.open();
  const now = Date.now();
  const project: ProjectRow = {
    ...newProject(
      PROJECT_ID,
      { name: 'heap-bench', origin: 'drop', root: { kind: 'dir', name: '', list: async () => [] } },
      now,
    ),
    ingestComplete: true,
  };
  await store.createProject(project);
  const BATCH = 100;
  for (let first = 0; first < files; first += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, files - first) }, (_, k) => first + k);
    const made = batch.map((i) => {
      const path = `pkg${i % 50}/mod_${i}.py`;
      const fns = Array.from({ length: perFile }, (_, j) => source(i, j));
      let line = 1;
      const spans = fns.map((fn) => {
        const lines = fn.text.split('\n').length - 1;
        const span: [number, number] = [line, line + lines - 1];
        line += lines + 2;
        return span;
      });
      const text = fns.map((fn) => fn.text).join('\n\n');
      return { i, path, fns, spans, text };
    });
    const rows = made.map(({ path, text }) => {
      const row: FileRow = {
        projectId: PROJECT_ID,
        path,
        schemaVersion: SCHEMA_VERSION,
        size: text.length,
        sha256: '0'.repeat(64),
        state: 'pending',
        error: null,
        segments: null,
        modules: [],
        functions: [],
      };
      const textRow: TextRow = { projectId: PROJECT_ID, path, sha256: row.sha256, text };
      return { row, text: textRow };
    });
    await store.saveIngestBatch(PROJECT_ID, rows, [], first + batch.length);
    const extractions: FileExtraction[] = made.map(({ i, path, fns, spans }) => {
      const extracted: ExtractedFunction[] = fns.map((fn, j) => ({
        qualname: `scale_${i}_${j}`,
        name: `scale_${i}_${j}`,
        kind: 'function',
        isAsync: false,
        classPath: [],
        lineno: spans[j]![0],
        startLine: spans[j]![0],
        endLine: spans[j]![1],
        signature: `def scale_${i}_${j}(xs, factor)`,
        docstring: `${fn.doc}\n\n>>> ${fn.call}\n${fn.want}`,
        prose: fn.doc,
        examples: [{ source: `${fn.call}\n`, want: `${fn.want}\n`, excMsg: null, lineno: 2 }],
        doctestError: null,
        program: [j],
        flags: [],
        blockers: [],
      }));
      const functions: FunctionSummary[] = extracted.map((fn) => ({
        id: functionId(PROJECT_ID, path, fn),
        qualname: fn.qualname,
        lineno: fn.lineno,
        endLine: fn.endLine,
        kind: 'function',
        exampleCount: 1,
        runnable: true,
        status: 'pending',
      }));
      return {
        path,
        state: 'extracted',
        error: null,
        segments: spans,
        modules: [],
        functions,
        source: {
          projectId: PROJECT_ID,
          path,
          schemaVersion: SCHEMA_VERSION,
          fns: extracted,
          programs: fns.map((f) => f.text),
        },
      };
    });
    await store.saveExtractions(PROJECT_ID, extractions);
    const outcomes: OutcomeRow[] = extractions.flatMap(({ path, functions, source: src }, k) =>
      functions.map((fn, j) => ({
        id: fn.id,
        projectId: PROJECT_ID,
        path,
        schemaVersion: SCHEMA_VERSION,
        outcome: {
          status: 'passed' as const,
          examples: 1,
          tests: [`assert ${made[k]!.fns[j]!.call} == ${made[k]!.fns[j]!.want}`],
          plainAsserts: true,
        },
        program: src!.programs[j]!,
        runtime: 'CPython 3.14.2 (Pyodide 314.0.7)',
        durationMs: 1,
        finishedAt: now,
      })),
    );
    await store.saveOutcomes(PROJECT_ID, outcomes);
  }
  await store.updateProject(PROJECT_ID, { phase: 'screening' });
  // The screening the run's last phase stores (here with screens that find nothing: the export reads the
  // rows either way), so the default choices keep every sample.
  const quiet: Screens = {
    concurrency: 4,
    screen: () => [],
    redact: (s) => s,
    pythonVersion: async () => '3.8',
    duplicates: () => new Map(),
  };
  await screenStage(store, (await store.project(PROJECT_ID))!, quiet);
  await store.updateProject(PROJECT_ID, { phase: 'done', finishedAt: Date.now() });
  return { samples: files * perFile, seconds: (performance.now() - start) / 1000 };
}

async function project(): Promise<ProjectRow> {
  const row = await store.project(PROJECT_ID);
  if (!row) throw new Error('seed first');
  return row;
}

const bench = {
  /** What the page keeps referenced, as a page holding a download would (a property: a bundler keeps it). */
  held: null as unknown,
  seed,
  /** The heap with the project loaded and nothing else going on. */
  async idle(): Promise<number> {
    bench.held = await project();
    return used();
  },
  async jsonl() {
    const p = await project();
    const run = await peakDuring((s) => rawJsonl(sampled(store, s), p, DEFAULT_DATASET_OPTIONS, null, new Date()));
    bench.held = run.result.blob;
    return { peak: run.peak, ms: run.ms, bytes: run.result.blob.size, lines: run.result.report.lines };
  },
  async zip() {
    const p = await project();
    const options = {
      ...DEFAULT_DATASET_OPTIONS,
      formats: ['raw', 'messages', 'alpaca', 'sharegpt'] as const,
      validation: 0.1,
    };
    const run = await peakDuring((s) =>
      datasetZip(sampled(store, s), p, { ...options, formats: [...options.formats] }, null, new Date()),
    );
    bench.held = run.result.blob;
    return { peak: run.peak, ms: run.ms, bytes: run.result.blob.size, lines: run.result.report.lines };
  },
  /** What the app did before: every chunk kept as a string until the Blob is made. */
  async legacy() {
    const p = await project();
    let lines = 0;
    const run = await peakDuring(async (s) => {
      const parts: string[] = [];
      lines = (await exportJsonl(sampled(store, s), p, (chunk) => void parts.push(chunk))).lines;
      return new Blob(parts, { type: 'application/jsonl' });
    });
    bench.held = run.result;
    return { peak: run.peak, ms: run.ms, bytes: run.result.size, lines };
  },
  /** The whole file as one string, held: the heap it takes. */
  async oneString() {
    const p = await project();
    const parts: string[] = [];
    await exportJsonl(store, p, (chunk) => void parts.push(chunk));
    const text = parts.join('');
    parts.length = 0;
    bench.held = text;
    return { length: text.length };
  },
  used,
  release() {
    bench.held = null;
  },
};

declare global {
  interface Window {
    exportHeap: typeof bench;
  }
}
window.exportHeap = bench;
document.title = 'ready';
