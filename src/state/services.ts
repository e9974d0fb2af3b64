/**
 * What the state classes need from the world, as ports only: the composition root (app/services.ts) picks
 * the adapters, tests hand in their own. Nothing here is Dexie, Pyodide or web-llm.
 */
import type { FolderSource } from '../core/ingest/tree.ts';
import type { ModelHost, PythonPort, ReadPort, ServerConnector, SettingsPort, StoragePort } from '../core/ports.ts';

/**
 * The Python of one run. Each run gets its own workers, stopped when it ends: code from one dropped
 * repository can rewrite its own worker's replies (it runs there), so a worker must never serve another
 * project. `recheck` is one more worker with another hash seed, for second runs (see RunDeps.recheck).
 */
export type PythonSession = { python: PythonPort; recheck: PythonPort; dispose(): void };

/** What the browser hands the page when a person gives it a folder. */
export type FolderInput =
  { kind: 'drop'; transfer: DataTransfer } | { kind: 'picked'; files: FileList } | { kind: 'zip'; file: File };

/** Turns a FolderInput into the tree the ingest stage walks. Rejects with an Error whose message is for people. */
export type FolderReader = (input: FolderInput) => Promise<FolderSource>;

/**
 * The judge's chosen score per function (functions without one left out). Not on ReadPort: stage verdicts
 * do not carry a score, so this reads the judge's outputs; it is read only while a person filters by score.
 */
export type ScoreReads = { judgeScores(functionIds: readonly string[]): Promise<Map<string, number>> };

export type Services = {
  store: StoragePort;
  reads: ReadPort;
  scores: ScoreReads;
  settings: SettingsPort;
  pythonSession(): PythonSession;
  /** The in-browser LLM engine, made on first use (web-llm itself is loaded only when a model loads). */
  models(): ModelHost;
  servers: ServerConnector;
  readFolder: FolderReader;
};
