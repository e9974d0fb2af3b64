/**
 * The export: the person's choices (which samples, formats, system prompt, split, what to do with what the
 * screens found, the newest Python allowed), the screening they are applied from, the findings to show,
 * and the two downloads: one raw JSONL file, or the whole dataset as a zip. Both are built as Blob parts
 * while the export pages through storage (core/dataset/downloads.ts), never as one string.
 *
 * Every download screens first: screening is incremental (only samples that changed are screened again),
 * so a project finished before the screening phase existed, or changed since, is screened then; opening
 * the export does the same for a project with no screening at all. Failures become notices.
 */
import { datasetZip, rawJsonl, type Download } from '../core/dataset/downloads.ts';
import { DEFAULT_DATASET_OPTIONS, type DatasetOptions, type DatasetReport } from '../core/dataset/exportDataset.ts';
import { defaultScreens, screenStage, type ScreenProgress, type Screens } from '../core/screen/screenStage.ts';
import type { FindingsRow } from '../domain/dataset.ts';
import type { ProjectRow } from '../domain/records.ts';
import type { Notices } from './notices.svelte.ts';
import type { Services } from './services.ts';

type Busy = 'screening' | 'jsonl' | 'zip' | null;

/** A Blob URL outlives the click that downloads it by this long (the browser reads it asynchronously). */
const REVOKE_AFTER_MS = 60_000;

export class Exporter {
  #busy = $state<Busy>(null);
  #summary = $state.raw<{ report: DatasetReport; kind: 'jsonl' | 'zip' } | null>(null);
  #options = $state.raw<DatasetOptions>(DEFAULT_DATASET_OPTIONS);
  #findings = $state.raw<FindingsRow[]>([]);
  #screened = $state<number | null>(null);
  #pythonVersions = $state.raw<Record<string, number>>({});
  #progress = $state.raw<ScreenProgress | null>(null);
  /** Project id and phase the findings were read for: they are read again when either changes. */
  #followed: string | null = null;

  constructor(
    private readonly services: Services,
    private readonly notices: Notices,
  ) {}

  get busy(): Busy {
    return this.#busy;
  }

  /** What the last download wrote, and which download it was. */
  get summary(): { report: DatasetReport; kind: 'jsonl' | 'zip' } | null {
    return this.#summary;
  }

  get options(): DatasetOptions {
    return this.#options;
  }

  /** What the screens found, per sample (samples with nothing found are left out). */
  get findings(): FindingsRow[] {
    return this.#findings;
  }

  /** Samples with a stored screening; null before it is read. */
  get screened(): number | null {
    return this.#screened;
  }

  /** Screened samples per oldest Python that parses them ("none": no version does): what the filter leaves. */
  get pythonVersions(): Record<string, number> {
    return this.#pythonVersions;
  }

  get progress(): ScreenProgress | null {
    return this.#progress;
  }

  setOptions(options: DatasetOptions): void {
    this.#options = options;
    this.#summary = null;
  }

  /** The open project changed (or its phase did): read its findings again. */
  follow(project: ProjectRow | null): void {
    const key = project ? `${project.id}:${project.phase}` : null;
    if (key === this.#followed) return;
    if (project?.id !== this.#followed?.split(':')[0]) {
      this.#summary = null;
      this.#findings = [];
      this.#screened = null;
      this.#pythonVersions = {};
    }
    this.#followed = key;
    if (project) void this.#refresh(project.id);
  }

  /** The export was opened: a finished project that was never screened is screened now. */
  async open(project: ProjectRow): Promise<void> {
    await this.#refresh(project.id);
    if (this.#screened === 0 && project.phase === 'done' && this.#busy === null) await this.screen(project);
  }

  /** Screen the project's samples (those that changed since their last screening). */
  async screen(project: ProjectRow): Promise<void> {
    await this.#run('screening', 'export-screen', 'Screening the samples', () => this.#screen(project));
  }

  async download(project: ProjectRow): Promise<void> {
    await this.#run('jsonl', 'export', 'Exporting the JSONL', async () => {
      const screens = await this.#screen(project);
      this.#save(await rawJsonl(this.services.store, project, this.#options, screens, new Date()), 'jsonl');
    });
  }

  async downloadZip(project: ProjectRow): Promise<void> {
    await this.#run('zip', 'export', 'Exporting the dataset', async () => {
      const screens = await this.#screen(project);
      this.#save(await datasetZip(this.services.store, project, this.#options, screens, new Date()), 'zip');
    });
  }

  /**
   * Screening on a Python session of its own (a project's code never shares workers with another's),
   * stopped when it ends. Returns the screens, for redacting.
   */
  async #screen(project: ProjectRow): Promise<Screens | null> {
    if (!defaultScreens) return null;
    const session = this.services.pythonSession();
    try {
      const screens = await defaultScreens(session.python);
      this.#progress = { samples: 0, screened: 0 };
      await screenStage(this.services.store, project, screens, undefined, (p) => (this.#progress = p));
      return screens;
    } finally {
      session.dispose();
      this.#progress = null;
      await this.#refresh(project.id);
    }
  }

  async #refresh(projectId: string): Promise<void> {
    await this.notices.guard('export-findings', 'Reading what the screens found', async () => {
      const [findings, screened, pythonVersions] = await Promise.all([
        this.services.reads.findingsWithMatches(projectId),
        this.services.reads.screenedCount(projectId),
        this.services.reads.pythonVersionCounts(projectId),
      ]);
      if (this.#followed?.split(':')[0] !== projectId) return;
      this.#findings = findings;
      this.#screened = screened;
      this.#pythonVersions = pythonVersions;
    });
  }

  async #run(busy: Exclude<Busy, null>, id: string, what: string, work: () => Promise<unknown>): Promise<void> {
    if (this.#busy !== null) return;
    this.#busy = busy;
    try {
      await work();
      this.notices.dismiss(id);
    } catch (error) {
      // The one export failure with a remedy of its own: the zip would need ZIP64.
      if (error instanceof Error && error.name === 'ZipTooLargeError')
        this.notices.show(
          id,
          `${what} failed: the zip would be 4 GiB or more, which needs ZIP64 (not written here). Choose fewer formats, or download the raw JSONL.`,
        );
      else this.notices.report(id, what, error);
    } finally {
      this.#busy = null;
    }
  }

  #save(download: Download, kind: 'jsonl' | 'zip'): void {
    this.#summary = { report: download.report, kind };
    save(download);
  }
}

function save(download: Download): void {
  const url = URL.createObjectURL(download.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = download.fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
