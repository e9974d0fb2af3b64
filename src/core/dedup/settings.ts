/**
 * A project's dedup settings: stored on the project (ProjectRow.settings.dedup), absent on projects made
 * before dedup existed (they get the defaults), clamped to their bounds when read (a stored or typed value
 * outside them cannot start a run that never ends or merges everything).
 */
import { DEDUP_SETTING_BOUNDS, DEFAULT_DEDUP_SETTINGS, type DedupSettings } from '../../domain/dataset.ts';
import type { ProjectRow } from '../../domain/records.ts';

export function dedupSettingsOf(project: Pick<ProjectRow, 'settings'>): DedupSettings {
  return clampDedupSettings(project.settings.dedup ?? DEFAULT_DEDUP_SETTINGS);
}

export function clampDedupSettings(settings: Partial<DedupSettings>): DedupSettings {
  const clamp = (key: keyof DedupSettings): number => {
    const { min, max, integer } = DEDUP_SETTING_BOUNDS[key];
    const value = settings[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_DEDUP_SETTINGS[key];
    const bounded = Math.min(max, Math.max(min, value));
    return integer ? Math.round(bounded) : bounded;
  };
  return { threshold: clamp('threshold'), numPerm: clamp('numPerm') };
}
