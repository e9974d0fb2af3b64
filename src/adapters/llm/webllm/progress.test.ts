import { describe, expect, it } from 'vitest';
import { ByteTotal, LoadTracker, parseInitProgress } from './progress.ts';

/**
 * web-llm 0.2.86's texts, built exactly as its tvmjs runtime builds them (index.js,
 * fetchTensorCacheInternal's reportCallback and the shader loader), for a model of `total` bytes in `shards`.
 */
function fetchText(shard: number, shards: number, bytes: number, total: number, secs: number): string {
  return (
    `Fetching param cache[${shard}/${shards}]: ${Math.ceil(bytes / (1024 * 1024))}MB fetched. ` +
    `${Math.floor((bytes * 100) / total)}% completed, ${secs} secs elapsed. ` +
    'It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.'
  );
}
function loadText(shard: number, shards: number, bytes: number, total: number, secs: number): string {
  return `Loading model from cache[${shard}/${shards}]: ${Math.ceil(bytes / (1024 * 1024))}MB loaded. ${Math.floor((bytes * 100) / total)}% completed, ${secs} secs elapsed.`;
}
const shaderText = (done: number, all: number, secs: number) =>
  `Loading GPU shader modules[${done}/${all}]: ${Math.floor((done / all) * 100)}% completed, ${secs} secs elapsed.`;

describe('parseInitProgress, on the strings web-llm 0.2.86 writes', () => {
  it('tells every step apart', () => {
    expect(parseInitProgress('Start to fetch params')).toEqual({ step: 'start' });
    expect(parseInitProgress(fetchText(3, 40, 60_000_000, 900_000_000, 7))).toEqual({
      step: 'fetch',
      shard: 3,
      shards: 40,
      mib: 58,
    });
    expect(parseInitProgress(loadText(40, 40, 900_000_000, 900_000_000, 30))).toEqual({
      step: 'to-gpu',
      shard: 40,
      shards: 40,
      mib: 859,
    });
    expect(parseInitProgress(shaderText(12, 120, 2))).toEqual({ step: 'shaders', done: 12, total: 120 });
    expect(parseInitProgress('Finish loading on WebGPU - NVIDIA GeForce RTX 4090')).toEqual({ step: 'done' });
    expect(parseInitProgress('Something new in a later web-llm')).toEqual({ step: 'other' });
  });
});

describe('ByteTotal', () => {
  it('narrows the total from rounded-up megabytes and converges on the real size', () => {
    const real = 912_345_678;
    const total = new ByteTotal();
    expect(total.estimate()).toBeNull();
    for (let bytes = 30_000_000; bytes <= real; bytes += 29_000_000)
      total.narrow(Math.ceil(bytes / 2 ** 20), bytes / real);
    total.narrow(Math.ceil(real / 2 ** 20), 1);
    expect(Math.abs(total.estimate()! - real)).toBeLessThan(2 ** 20);
  });
});

describe('LoadTracker', () => {
  it('a first download: download with bytes, speed and ETA, then load from cache to GPU and shaders', () => {
    let now = 0;
    const tracker = new LoadTracker(false, () => now);
    const total = 880_000_000;
    expect(tracker.initial('Starting')).toMatchObject({
      phase: 'download',
      fraction: 0,
      bytesDone: null,
      etaSeconds: null,
    });
    expect(tracker.update({ progress: 0, text: 'Start to fetch params' })).toMatchObject({
      phase: 'download',
      fraction: 0,
    });
    const seen = [];
    // 10 MB/s, a 32 MB shard every 3.2 s
    for (let i = 1, bytes = 32_000_000; bytes <= total; i++, bytes += 32_000_000) {
      now = (bytes / 10_000_000) * 1000;
      seen.push(
        tracker.update({ progress: bytes / total, text: fetchText(i, 28, bytes, total, Math.ceil(now / 1000)) }),
      );
    }
    const last = seen.at(-1)!;
    expect(last.phase).toBe('download');
    expect(last.bytesTotal! / total).toBeCloseTo(1, 2);
    expect(last.bytesDone! / (total * last.fraction)).toBeCloseTo(1, 2);
    expect(last.bytesPerSecond! / 10_000_000).toBeCloseTo(1, 1);
    const mid = seen[10]!;
    expect(mid.etaSeconds!).toBeCloseTo((total - mid.bytesDone!) / 10_000_000, -1);
    expect(seen[0]!.bytesPerSecond).toBeNull();
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);

    const load = tracker.update({ progress: 0.5, text: loadText(14, 28, total / 2, total, 40) });
    expect(load).toMatchObject({
      phase: 'load',
      fraction: 0.25,
      bytesDone: null,
      bytesPerSecond: null,
      etaSeconds: null,
    });
    expect(tracker.update({ progress: 0.5, text: shaderText(60, 120, 41) })).toMatchObject({
      phase: 'load',
      fraction: 0.75,
    });
    expect(tracker.update({ progress: 1, text: 'Finish loading on WebGPU - google' })).toMatchObject({
      phase: 'load',
      fraction: 1,
    });
  });

  it('a cached model starts in the load phase and never shows a download', () => {
    const tracker = new LoadTracker(true, () => 0);
    expect(tracker.initial('Starting')).toMatchObject({ phase: 'load', fraction: 0 });
    expect(tracker.update({ progress: 0, text: 'Start to fetch params' })).toMatchObject({
      phase: 'load',
      fraction: 0,
    });
    expect(tracker.update({ progress: 0.2, text: loadText(2, 10, 2e8, 1e9, 1) })).toMatchObject({
      phase: 'load',
      fraction: 0.1,
    });
  });

  it('survives reports that are not what it expects', () => {
    const tracker = new LoadTracker(false, () => 0);
    expect(tracker.update({ progress: Number.NaN, text: 42 })).toMatchObject({
      phase: 'download',
      fraction: 0,
      text: '',
    });
  });
});
