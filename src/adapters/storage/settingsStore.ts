/**
 * The user's settings in IndexedDB. A stored value is validated when read: a row written by an older (or
 * newer) version of the app, or edited by hand, is treated as absent rather than trusted. The pipeline's
 * settings are repaired field by field instead (a release that adds a setting must not forget the others).
 */
import type { SettingsPort } from '../../core/ports.ts';
import type { EngineChoice } from '../../domain/llm.ts';
import {
  DEFAULT_PIPELINE_SETTINGS,
  PIPELINE_SETTING_BOUNDS,
  type PipelineSettings,
  type SettingBound,
} from '../../domain/pipeline.ts';
import type { SemiverseDb } from './db.ts';
import { guard } from './storageErrors.ts';

const ENGINE = 'engine';
const PIPELINE = 'pipeline';

export class SettingsStore implements SettingsPort {
  constructor(private readonly db: SemiverseDb) {}

  async engineChoice(): Promise<EngineChoice | null> {
    const row = await guard(this.db.settings.get(ENGINE));
    return parseEngineChoice(row?.value);
  }

  saveEngineChoice(choice: EngineChoice): Promise<void> {
    return guard(this.db.settings.put({ key: ENGINE, value: choice }).then(() => undefined));
  }

  async pipelineSettings(): Promise<PipelineSettings | null> {
    const row = await guard(this.db.settings.get(PIPELINE));
    return parsePipelineSettings(row?.value);
  }

  savePipelineSettings(settings: PipelineSettings): Promise<void> {
    // Stored as repaired, so what is saved is what the next read returns.
    const value = parsePipelineSettings(settings) ?? DEFAULT_PIPELINE_SETTINGS;
    return guard(this.db.settings.put({ key: PIPELINE, value }).then(() => undefined));
  }
}

/**
 * Stored pipeline settings, repaired: null when nothing usable is stored (not an object); else every field
 * that is missing or not a finite number falls back to its default, numbers are clamped to their bounds
 * (integers rounded), and the oracle's minimum is kept at or under its maximum.
 */
export function parsePipelineSettings(value: unknown): PipelineSettings | null {
  if (!isObject(value)) return null;
  const settings = repair(value, DEFAULT_PIPELINE_SETTINGS, PIPELINE_SETTING_BOUNDS) as PipelineSettings;
  settings.oracle.minCases = Math.min(settings.oracle.minCases, settings.oracle.maxCases);
  return settings;
}

type Tree = { [key: string]: number | Tree };

function repair(value: unknown, defaults: object, bounds: object | undefined): Tree {
  const stored = isObject(value) ? value : {};
  const out: Tree = {};
  for (const [key, fallback] of Object.entries(defaults)) {
    const bound = (bounds as Record<string, unknown> | undefined)?.[key];
    out[key] =
      typeof fallback === 'number'
        ? clamp(stored[key], fallback, bound as SettingBound | undefined)
        : repair(stored[key], fallback as object, bound as object | undefined);
  }
  return out;
}

function clamp(value: unknown, fallback: number, bound: SettingBound | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  if (!bound) return value;
  const n = Math.min(bound.max, Math.max(bound.min, value));
  return bound.integer ? Math.round(n) : n;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
