/**
 * The Duplicates view's settings form, checked before anything is stored: a value outside
 * DEDUP_SETTING_BOUNDS, empty, or a fraction of a permutation is refused with a message that says what fits
 * (core/dedup/settings.ts would clamp it silently, and the person should see what will run). Pure.
 */
import { DEDUP_SETTING_BOUNDS, type DedupSettings } from '../domain/dataset.ts';

/** The settings the project's next dedup runs with (the defaults where it has none; clamped). */
export { dedupSettingsOf } from '../core/dedup/settings.ts';

/** What the form's number fields hold (null or undefined: empty or not a number). */
export type DedupDraft = { threshold: number | null | undefined; numPerm: number | null | undefined };

export type DedupDraftCheck = { ok: true; settings: DedupSettings } | { ok: false; message: string };

const LABELS: Record<keyof DedupSettings, string> = {
  threshold: 'The Jaccard threshold',
  numPerm: 'The number of permutations',
};

export function checkDedupDraft(draft: DedupDraft): DedupDraftCheck {
  const problems: string[] = [];
  for (const key of ['threshold', 'numPerm'] as const) {
    const { min, max, integer } = DEDUP_SETTING_BOUNDS[key];
    const value = draft[key];
    const fits =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= min &&
      value <= max &&
      (!integer || Number.isInteger(value));
    if (!fits) problems.push(`${LABELS[key]} must be ${integer ? 'a whole number ' : ''}from ${min} to ${max}.`);
  }
  if (problems.length > 0) return { ok: false, message: problems.join(' ') };
  return { ok: true, settings: { threshold: draft.threshold!, numPerm: draft.numPerm! } };
}
