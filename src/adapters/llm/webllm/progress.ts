/**
 * web-llm's load reports (InitProgressReport: progress, timeElapsed, text) as the two phases the UI
 * shows. Invariants:
 * - phases only move forward: download, then load; a model already in the cache starts in load;
 * - `fraction` never goes back within a phase;
 * - bytes, speed and ETA are given for the download only, and only once they can be told.
 *
 * web-llm says which step it is on only in its text, so parsing that text is the one source here, kept in
 * `parseInitProgress` (tested on the exact strings of web-llm 0.2.86's tvmjs runtime, index.js
 * fetchTensorCacheInternal and the shader loader; the engine's reloadInternal says "Finish loading on …").
 * The number it gives for the download is exact (progress = bytes fetched / total bytes); the megabytes in
 * the text are rounded up, so the total is narrowed from every report (see ByteTotal).
 */
import type { LoadProgress } from '../../../domain/llm.ts';

export type ParsedReport =
  | { step: 'start' }
  | { step: 'fetch'; shard: number; shards: number; mib: number }
  | { step: 'to-gpu'; shard: number; shards: number; mib: number }
  | { step: 'shaders'; done: number; total: number }
  | { step: 'done' }
  | { step: 'other' };

const FETCH = /^Fetching param cache\[(\d+)\/(\d+)\]: (\d+)MB fetched/;
const TO_GPU = /^Loading model from cache\[(\d+)\/(\d+)\]: (\d+)MB loaded/;
const SHADERS = /^Loading GPU shader modules\[(\d+)\/(\d+)\]/;

export function parseInitProgress(text: string): ParsedReport {
  if (text.startsWith('Start to fetch params')) return { step: 'start' };
  if (text.startsWith('Finish loading on')) return { step: 'done' };
  let m = FETCH.exec(text);
  if (m) return { step: 'fetch', shard: Number(m[1]), shards: Number(m[2]), mib: Number(m[3]) };
  m = TO_GPU.exec(text);
  if (m) return { step: 'to-gpu', shard: Number(m[1]), shards: Number(m[2]), mib: Number(m[3]) };
  m = SHADERS.exec(text);
  if (m) return { step: 'shaders', done: Number(m[1]), total: Number(m[2]) };
  return { step: 'other' };
}

/** Copying weights to the GPU and compiling shaders split the load bar; neither's duration is known ahead. */
const WEIGHTS_SHARE = 0.5;
/** Speed is measured over this much recent time, then smoothed, so four parallel downloads do not jitter it. */
const WINDOW_MS = 5_000;
const SMOOTHING = 0.4;

export class LoadTracker {
  #phase: LoadProgress['phase'];
  #fraction = 0;
  #total = new ByteTotal();
  #samples: { at: number; bytes: number }[] = [];
  #speed: number | null = null;

  constructor(
    cached: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#phase = cached ? 'load' : 'download';
  }

  /** Before web-llm reports anything (it first fetches the model's config, library and tokenizer). */
  initial(text: string): LoadProgress {
    return this.#emit(text, null);
  }

  update(report: { progress?: unknown; text?: unknown }): LoadProgress {
    const text = typeof report.text === 'string' ? report.text : '';
    const progress = typeof report.progress === 'number' && Number.isFinite(report.progress) ? report.progress : 0;
    const parsed = parseInitProgress(text);
    switch (parsed.step) {
      case 'fetch': {
        if (this.#phase !== 'download') return this.#emit(text, null);
        this.#total.narrow(parsed.mib, progress);
        const total = this.#total.estimate();
        const done = total === null ? parsed.mib * 2 ** 20 : Math.min(total, progress * total);
        this.#measure(done);
        return this.#emit(text, progress, { done, total });
      }
      case 'to-gpu':
        return this.#enter('load', text, progress * WEIGHTS_SHARE);
      case 'shaders':
        return this.#enter('load', text, WEIGHTS_SHARE + (1 - WEIGHTS_SHARE) * progress);
      case 'done':
        return this.#enter('load', text, 1);
      case 'start':
      case 'other':
        return this.#emit(text, null);
    }
  }

  #enter(phase: LoadProgress['phase'], text: string, fraction: number): LoadProgress {
    if (this.#phase !== phase) {
      this.#phase = phase;
      this.#fraction = 0;
    }
    return this.#emit(text, fraction);
  }

  #measure(bytes: number): void {
    const at = this.now();
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[1]!.at >= WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0]!;
    if (at - first.at < 500) return;
    const rate = ((bytes - first.bytes) / (at - first.at)) * 1000;
    this.#speed = this.#speed === null ? rate : this.#speed + SMOOTHING * (rate - this.#speed);
  }

  #emit(text: string, fraction: number | null, bytes?: { done: number; total: number | null }): LoadProgress {
    if (fraction !== null) this.#fraction = Math.max(this.#fraction, Math.min(1, Math.max(0, fraction)));
    const downloading = this.#phase === 'download' && bytes !== undefined;
    const speed = downloading && this.#speed !== null && this.#speed > 0 ? this.#speed : null;
    const total = downloading ? bytes.total : null;
    return {
      phase: this.#phase,
      fraction: this.#fraction,
      bytesDone: downloading ? Math.round(bytes.done) : null,
      bytesTotal: total === null ? null : Math.round(total),
      bytesPerSecond: speed === null ? null : Math.round(speed),
      etaSeconds: speed === null || total === null ? null : Math.max(0, (total - bytes!.done) / speed),
      text,
    };
  }
}

/**
 * The download's total size from reports whose megabytes are rounded up: bytes fetched lie in
 * ((mib - 1) MiB, mib MiB], so the total lies in that range divided by progress; each report narrows it.
 */
export class ByteTotal {
  #low = 0;
  #high = Infinity;

  narrow(mib: number, progress: number): void {
    if (!(progress > 0) || progress > 1) return;
    this.#low = Math.max(this.#low, (Math.max(0, mib - 1) * 2 ** 20) / progress);
    this.#high = Math.min(this.#high, (mib * 2 ** 20) / progress);
  }

  estimate(): number | null {
    if (this.#high === Infinity) return null;
    return this.#low <= this.#high ? (this.#low + this.#high) / 2 : this.#high;
  }
}
