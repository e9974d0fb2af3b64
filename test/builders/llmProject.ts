/**
 * One project through the LLM pipeline in Node, for tests: a folder written to a temp dir, storage on
 * fake-indexeddb (a database of its own), real Python, a scripted LLM, and readers for what the run stored
 * (the funnel, a function's stage rows and outputs, the LLM calls it stored).
 *
 * `checkFunnel` states what the funnel must satisfy after any run: for every stage in = kept + Σdropped +
 * pending, each stage's `in` is the previous stage's `kept`, select's `in` is the number of functions.
 */
import { rm } from 'node:fs/promises';
import { SemiverseDb } from '../../src/adapters/storage/db.ts';
import { DexieStore } from '../../src/adapters/storage/dexieStore.ts';
import { exportJsonl } from '../../src/core/export/exportJsonl.ts';
import type { LlmJsonlRecord } from '../../src/core/export/llmRecord.ts';
import { funnel } from '../../src/core/pipeline/funnel.ts';
import type { LlmClient, PythonPort } from '../../src/core/ports.ts';
import { newProject, runProject, type RunEnd } from '../../src/core/run/runProject.ts';
import {
  DEFAULT_PIPELINE_SETTINGS,
  LLM_STAGES,
  type FunnelRow,
  type LlmStage,
  type PipelineConfig,
  type PipelineSettings,
  type StageDataRow,
  type StageRow,
} from '../../src/domain/pipeline.ts';
import type { ProjectRow } from '../../src/domain/records.ts';
import type { LlmCapabilities } from '../../src/domain/llm.ts';
import { ScriptedLlm } from '../fakes/scriptedLlm.ts';
import { corpusScenario, type ScriptedFunction } from './corpusLlm.ts';
import { folderFromDisk, makeTempDir, writeFiles, type FileMap } from './fsFolder.ts';

type LlmConfig = Extract<PipelineConfig, { mode: 'llm' }>;
type OutputOf<S extends LlmStage> = Extract<StageDataRow['output'], { stage: S }>;

let databases = 0;

export type LlmProjectOptions = {
  files: FileMap;
  llm: LlmClient;
  python: PythonPort;
  recheck: PythonPort;
  settings?: PipelineSettings;
  name?: string;
};

export class LlmProject {
  readonly storage: DexieStore;
  readonly id: string;
  #dir: string | null = null;
  #started = false;

  private constructor(
    private readonly options: LlmProjectOptions,
    readonly settings: PipelineSettings,
  ) {
    databases += 1;
    this.storage = new DexieStore(new SemiverseDb(`llm-project-${process.pid}-${databases}-${Date.now()}`));
    this.id = `project-${databases}`;
  }

  static async create(options: LlmProjectOptions): Promise<LlmProject> {
    const project = new LlmProject(options, options.settings ?? DEFAULT_PIPELINE_SETTINGS);
    const dir = await makeTempDir('semiverse-llm-');
    project.#dir = dir;
    await writeFiles(dir, options.files);
    return project;
  }

  /** Runs (the first time from the folder, later as a resume) with the given engine, or the one it was made with. */
  async run(options: { llm?: LlmClient; signal?: AbortSignal } = {}): Promise<RunEnd> {
    const llm = options.llm ?? this.options.llm;
    const deps = { storage: this.storage, python: this.options.python, recheck: this.options.recheck, llm };
    if (this.#started) return runProject(deps, this.id, options.signal);
    this.#started = true;
    const source = folderFromDisk(this.#dir!, this.options.name ?? 'corpus');
    const pipeline: PipelineConfig = {
      mode: 'llm',
      model: { engine: llm.capabilities.engine, id: llm.capabilities.model },
      settings: this.settings,
      fingerprints: null,
    };
    await this.storage.createProject(newProject(this.id, source, Date.now(), pipeline));
    return runProject(deps, this.id, options.signal, source);
  }

  /** Change the LLM settings stored with the project (as the settings panel does) and mark it to run again. */
  async changeSettings(settings: PipelineSettings): Promise<void> {
    const config = await this.config();
    await this.storage.updateProject(this.id, { pipeline: { ...config, settings }, phase: 'generating' });
  }

  async project(): Promise<ProjectRow> {
    const row = await this.storage.project(this.id);
    if (!row) throw new Error(`no project ${this.id}`);
    return row;
  }

  async config(): Promise<LlmConfig> {
    const pipeline = (await this.project()).pipeline;
    if (pipeline.mode !== 'llm') throw new Error('not an LLM project');
    return pipeline;
  }

  /** Every function of the project, in file order. */
  async functionIds(): Promise<string[]> {
    return (await this.storage.pipelineFunctions(this.id)).map((f) => f.id);
  }

  /** The id of the function whose qualified name is `qualname` (in `path` when given). */
  async idOf(qualname: string, path?: string): Promise<string> {
    const ids = (await this.functionIds()).filter(
      (id) => qualnameOf(id) === qualname && (path === undefined || id.split('|')[1] === path),
    );
    if (ids.length !== 1) throw new Error(`${ids.length} functions named ${qualname}`);
    return ids[0]!;
  }

  async funnel(): Promise<FunnelRow[]> {
    const config = await this.config();
    if (!config.fingerprints) throw new Error('the LLM stages never ran');
    return funnel(await this.functionIds(), await this.storage.stageVerdicts(this.id), config.fingerprints);
  }

  /** A function's stage rows, in stage order. */
  async rows(functionId: string): Promise<StageRow[]> {
    const rows = await this.storage.stageRows(functionId);
    return rows.sort((a, b) => LLM_STAGES.indexOf(a.stage) - LLM_STAGES.indexOf(b.stage));
  }

  /** Where a function left the pipeline (its first stage not kept, with the current fingerprints), or 'accepted'. */
  async fate(functionId: string): Promise<string> {
    const prints = (await this.config()).fingerprints!;
    const rows = new Map((await this.rows(functionId)).map((r) => [r.stage, r]));
    for (const stage of LLM_STAGES) {
      const row = rows.get(stage);
      if (!row || row.fingerprint !== prints[stage]) return `${stage}: pending`;
      if (row.status === 'dropped') return `${stage}: ${row.reason}`;
    }
    return 'accepted';
  }

  async output<S extends LlmStage>(functionId: string, stage: S): Promise<OutputOf<S> | null> {
    const [row] = await this.storage.stageData([`${functionId}#${stage}`]);
    return row && row.output.stage === stage ? (row.output as OutputOf<S>) : null;
  }

  /** The project's LLM samples as the export writes them (JSONL, parsed back), with the chosen response. */
  async exportLlm(response: 'solution' | 'original'): Promise<LlmJsonlRecord[]> {
    let text = '';
    const options = { natural: false, llm: true, response };
    await exportJsonl(this.storage, await this.project(), (chunk) => void (text += chunk), options);
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LlmJsonlRecord);
  }

  /** The LLM exchanges stored for the project. */
  async llmCalls(): Promise<number> {
    return this.storage.db.llmCalls.where('projectId').equals(this.id).count();
  }

  async dispose(): Promise<void> {
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
    this.storage.db.close();
  }
}

export function qualnameOf(functionId: string): string {
  return functionId.split('|').at(-1)!;
}

/** What the funnel must satisfy; returns the problems (empty when it adds up). */
export function funnelProblems(rows: readonly FunnelRow[], functions: number, done: boolean): string[] {
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const dropped = Object.values(row.dropped).reduce((sum, n) => sum + n, 0);
    if (row.in !== row.kept + dropped + row.pending)
      problems.push(`${row.stage}: in ${row.in} ≠ kept ${row.kept} + dropped ${dropped} + pending ${row.pending}`);
    const expected = i === 0 ? functions : rows[i - 1]!.kept;
    if (row.in !== expected) problems.push(`${row.stage}: in ${row.in}, expected ${expected}`);
    if (done && row.pending !== 0) problems.push(`${row.stage}: ${row.pending} pending after the run`);
  });
  return problems;
}

/** The funnel as a few lines, for a test's log. */
export function funnelText(rows: readonly FunnelRow[]): string {
  return rows
    .map((r) => {
      const dropped = Object.entries(r.dropped)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ');
      return `${r.stage.padEnd(8)} in ${String(r.in).padStart(3)}  kept ${String(r.kept).padStart(3)}  pending ${r.pending}  tokens ${r.tokens}${dropped ? `  dropped: ${dropped}` : ''}`;
    })
    .join('\n');
}

export type ScriptedRun = {
  project: LlmProject;
  llm: ScriptedLlm;
  end: RunEnd;
  /** Where the function of that qualified name left the pipeline ('accepted', or 'stage: reason'). */
  fate(qualname: string): Promise<string>;
  /** Every function's fate, by qualified name. */
  fates(): Promise<Record<string, string>>;
  rows(qualname: string): Promise<StageRow[]>;
  output<S extends LlmStage>(qualname: string, stage: S): Promise<OutputOf<S> | null>;
  /** The function's exported LLM sample (exportJsonl), or null when the export has none. */
  record(qualname: string, response?: 'solution' | 'original'): Promise<LlmJsonlRecord | null>;
};

/**
 * A small purpose-built folder through the pipeline with a scripted model (corpusScenario), run once; the
 * funnel is checked to add up with nothing pending. `settings` also decide the scripted openers.
 */
export async function runScripted(options: {
  files: FileMap;
  functions: readonly ScriptedFunction[];
  pair: { python: PythonPort; recheck: PythonPort };
  caps?: Partial<Omit<LlmCapabilities, 'choicesShareThePrompt'>>;
  settings?: PipelineSettings;
}): Promise<ScriptedRun> {
  const settings = options.settings ?? DEFAULT_PIPELINE_SETTINGS;
  const llm = new ScriptedLlm(corpusScenario(options.functions, options.caps, 0, settings));
  const { python, recheck } = options.pair;
  const project = await LlmProject.create({ files: options.files, llm, python, recheck, settings });
  const end = await project.run();
  if (end !== 'done') console.info(`the run ended ${end}: ${JSON.stringify((await project.project()).notice)}`);
  if (end === 'done') {
    const problems = funnelProblems(await project.funnel(), (await project.functionIds()).length, true);
    if (problems.length > 0) throw new Error(`the funnel does not add up: ${problems.join('; ')}`);
  }
  const id = (qualname: string) => project.idOf(qualname);
  return {
    project,
    llm,
    end,
    fate: async (qualname) => project.fate(await id(qualname)),
    fates: async () => {
      const out: Record<string, string> = {};
      for (const fid of await project.functionIds()) out[qualnameOf(fid)] = await project.fate(fid);
      return out;
    },
    rows: async (qualname) => project.rows(await id(qualname)),
    output: async (qualname, stage) => project.output(await id(qualname), stage),
    record: async (qualname, response = 'solution') =>
      (await project.exportLlm(response)).find((r) => r.id.split('::')[1] === qualname) ?? null,
  };
}
