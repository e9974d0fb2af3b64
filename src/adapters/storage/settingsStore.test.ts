import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE_SETTINGS, PIPELINE_SETTING_BOUNDS, type PipelineSettings } from '../../domain/pipeline.ts';
import { SemiverseDb } from './db.ts';
import { parseEngineChoice, parsePipelineSettings, SettingsStore } from './settingsStore.ts';

let db: SemiverseDb | null = null;
afterEach(async () => {
  await db?.delete();
  db = null;
});

describe('settings store', () => {
  it('keeps the engine choice, server key included, across a reopened database', async () => {
    const name = `settings-${crypto.randomUUID()}`;
    const choice = {
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:1234/v1',
      apiKey: 'sk-x',
      model: 'm',
      concurrency: 3,
    } as const;
    const first = new SemiverseDb(name);
    await new SettingsStore(first).saveEngineChoice(choice);
    first.close();
    db = new SemiverseDb(name);
    expect(await new SettingsStore(db).engineChoice()).toEqual(choice);
  });

  it('has no choice in a fresh database', async () => {
    db = new SemiverseDb(`settings-${crypto.randomUUID()}`);
    expect(await new SettingsStore(db).engineChoice()).toBeNull();
  });

  it('treats a stored value it does not understand as absent', async () => {
    db = new SemiverseDb(`settings-${crypto.randomUUID()}`);
    await db.settings.put({ key: 'engine', value: { kind: 'webllm', family: 42 } });
    expect(await new SettingsStore(db).engineChoice()).toBeNull();
  });
});

describe('parseEngineChoice', () => {
  it('accepts each kind and repairs an out-of-range concurrency', () => {
    expect(parseEngineChoice({ kind: 'none' })).toEqual({ kind: 'none' });
    expect(parseEngineChoice({ kind: 'webllm', family: 'F' })).toEqual({ kind: 'webllm', family: 'F' });
    const server = { kind: 'openai', baseUrl: 'u', apiKey: '', model: 'm' };
    expect(parseEngineChoice({ ...server, concurrency: 1000 })).toMatchObject({ concurrency: 64 });
    expect(parseEngineChoice({ ...server, concurrency: 'x' })).toMatchObject({ concurrency: 1 });
  });

  it('rejects what is not a choice', () => {
    for (const value of [null, 'webllm', [], { kind: 'gpu' }, { kind: 'openai', baseUrl: 1 }]) {
      expect(parseEngineChoice(value)).toBeNull();
    }
  });
});

describe('pipeline settings', () => {
  const custom: PipelineSettings = {
    ...DEFAULT_PIPELINE_SETTINGS,
    instruct: { ...DEFAULT_PIPELINE_SETTINGS.instruct, k: 3, temperature: 0.5 },
    judge: { threshold: 0.7, samples: 4 },
    seed: 42,
  };

  it('keeps them across a reopened database, and has none in a fresh one', async () => {
    const name = `settings-${crypto.randomUUID()}`;
    const first = new SemiverseDb(name);
    expect(await new SettingsStore(first).pipelineSettings()).toBeNull();
    await new SettingsStore(first).savePipelineSettings(custom);
    first.close();
    db = new SemiverseDb(name);
    expect(await new SettingsStore(db).pipelineSettings()).toEqual(custom);
  });

  it('repairs a partial or damaged stored value field by field', async () => {
    db = new SemiverseDb(`settings-${crypto.randomUUID()}`);
    await db.settings.put({ key: 'pipeline', value: { instruct: { k: 'many', temperature: 0.3 }, judge: 7, seed: 9 } });
    const read = await new SettingsStore(db).pipelineSettings();
    expect(read).toEqual({
      ...DEFAULT_PIPELINE_SETTINGS,
      instruct: { ...DEFAULT_PIPELINE_SETTINGS.instruct, temperature: 0.3 },
      seed: 9,
    });
  });

  it('treats a stored value that is not an object as absent', async () => {
    db = new SemiverseDb(`settings-${crypto.randomUUID()}`);
    await db.settings.put({ key: 'pipeline', value: 'fast' });
    expect(await new SettingsStore(db).pipelineSettings()).toBeNull();
  });

  it('clamps out-of-range numbers, rounds integers, and keeps min cases at or under max cases', () => {
    const d = DEFAULT_PIPELINE_SETTINGS;
    const wild = {
      instruct: { k: 500, temperature: -1, maxTokens: 100.6, repetitionPenalty: Number.NaN },
      judge: { threshold: 1.5, samples: 0 },
      probe: { n: 8, retries: Infinity, mutations: -3, temperature: 0.7 },
      oracle: { ...d.oracle, maxCases: 4, minCases: 9, caseLimitMs: 5 },
      solve: { temperature: 0, maxTokens: 1e9 },
      seed: -5,
    };
    const b = PIPELINE_SETTING_BOUNDS;
    expect(parsePipelineSettings(wild)).toEqual({
      instruct: {
        k: b.instruct.k.max,
        temperature: 0,
        maxTokens: 101,
        repetitionPenalty: d.instruct.repetitionPenalty,
      },
      judge: { threshold: 1, samples: 1 },
      probe: { n: 8, retries: d.probe.retries, mutations: 0, temperature: 0.7 },
      oracle: { ...d.oracle, maxCases: 4, minCases: 4, caseLimitMs: b.oracle.caseLimitMs.min },
      solve: { temperature: 0, maxTokens: b.solve.maxTokens.max },
      seed: 0,
    });
  });

  it('accepts the defaults unchanged', () => {
    expect(parsePipelineSettings(DEFAULT_PIPELINE_SETTINGS)).toEqual(DEFAULT_PIPELINE_SETTINGS);
  });
});
