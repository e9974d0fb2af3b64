/**
 * The user's settings in IndexedDB. A stored value is validated when read: a row written by an older (or
 * newer) version of the app, or edited by hand, is treated as absent rather than trusted.
 */
import type { SettingsPort } from '../../core/ports.ts';
import type { EngineChoice } from '../../domain/llm.ts';
import type { SemiverseDb } from './db.ts';
import { guard } from './storageErrors.ts';

const ENGINE = 'engine';

export class SettingsStore implements SettingsPort {
  constructor(private readonly db: SemiverseDb) {}

  async engineChoice(): Promise<EngineChoice | null> {
    const row = await guard(this.db.settings.get(ENGINE));
    return parseEngineChoice(row?.value);
  }

  saveEngineChoice(choice: EngineChoice): Promise<void> {
    return guard(this.db.settings.put({ key: ENGINE, value: choice }).then(() => undefined));
  }
}

export function parseEngineChoice(value: unknown): EngineChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  switch (v['kind']) {
    case 'none':
      return { kind: 'none' };
    case 'webllm':
      return typeof v['family'] === 'string' ? { kind: 'webllm', family: v['family'] } : null;
    case 'openai': {
      const { baseUrl, apiKey, model, concurrency } = v;
      if (typeof baseUrl !== 'string' || typeof apiKey !== 'string' || typeof model !== 'string') return null;
      const n = typeof concurrency === 'number' && Number.isInteger(concurrency) ? concurrency : 1;
      return { kind: 'openai', baseUrl, apiKey, model, concurrency: Math.min(64, Math.max(1, n)) };
    }
    default:
      return null;
  }
}
