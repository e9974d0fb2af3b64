import { afterEach, describe, expect, it } from 'vitest';
import { SemiverseDb } from './db.ts';
import { parseEngineChoice, SettingsStore } from './settingsStore.ts';

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
