/**
 * What the person chooses at export about what the screens found, applied to each sample from its stored
 * screening (FindingsRow): benchmark copies dropped or kept; secrets and personal data dropped, redacted or
 * kept; samples needing a newer Python than chosen dropped; duplicate instructions dropped or kept. A
 * sample whose screening is missing or stale (its content changed since) is dropped unless every choice is
 * "keep": what was never screened cannot be vouched for.
 */
import type { Finding, FindingsRow, Sample } from '../../domain/dataset.ts';
import { keyOf } from '../../lib/hash.ts';
import { originalCode } from './samples.ts';

export type ScreenAction = 'drop' | 'redact' | 'keep';

export type ScreenChoices = {
  benchmark: 'drop' | 'keep';
  secrets: ScreenAction;
  pii: ScreenAction;
  duplicates: 'drop' | 'keep';
  /** Keep only samples whose code parses with this Python (e.g. "3.10"); null: any. */
  maxPython: string | null;
};

export const DEFAULT_SCREEN_CHOICES: ScreenChoices = {
  benchmark: 'drop',
  secrets: 'drop',
  pii: 'drop',
  duplicates: 'keep',
  maxPython: null,
};

/** The Python versions the screens check a sample against, oldest first (FindingsRow.pythonVersion). */
export const PYTHON_VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'] as const;

/** Why a sample was left out of an export. */
export const DROP_WHY = {
  unscreened: 'not screened (changed since the last screening)',
  benchmark: 'copies a benchmark task (HumanEval, MBPP)',
  secret: 'holds a secret (key, token, password)',
  pii: 'holds personal data (e-mail address, IP address)',
  'python-version': 'needs a newer Python than chosen',
  'duplicate-instruction': 'repeats the instruction of another sample',
} as const;

export type DropWhy = keyof typeof DROP_WHY;

export type Verdict = { keep: true; redact: Finding[] } | { keep: false; why: DropWhy };

/**
 * What identifies a sample's screened content: instruction, response, tests and, for an LLM sample, the
 * original code its raw line also carries. Samples are screened with the verified solution as response.
 */
export function contentKey(sample: Sample): string {
  return keyOf(sample.instruction, sample.response, sample.tests, originalCode(sample));
}

export function verdict(sample: Sample, row: FindingsRow | undefined, choices: ScreenChoices): Verdict {
  const keepsAll =
    choices.benchmark === 'keep' &&
    choices.secrets === 'keep' &&
    choices.pii === 'keep' &&
    choices.duplicates === 'keep' &&
    choices.maxPython === null;
  if (!row || row.contentKey !== contentKey(sample)) return keepsAll ? { keep: true, redact: [] } : drop('unscreened');
  const of = (kind: Finding['kind']) => row.findings.filter((f) => f.kind === kind);
  if (choices.benchmark === 'drop' && of('benchmark').length > 0) return drop('benchmark');
  const secrets = of('secret');
  const pii = of('pii');
  if (choices.secrets === 'drop' && secrets.length > 0) return drop('secret');
  if (choices.pii === 'drop' && pii.length > 0) return drop('pii');
  if (choices.maxPython !== null && !fitsPython(row.pythonVersion, choices.maxPython)) return drop('python-version');
  if (choices.duplicates === 'drop' && of('duplicate-instruction').length > 0) return drop('duplicate-instruction');
  const redact = [...(choices.secrets === 'redact' ? secrets : []), ...(choices.pii === 'redact' ? pii : [])];
  return { keep: true, redact };
}

function drop(why: DropWhy): Verdict {
  return { keep: false, why };
}

/** Whether code needing `needed` (null: no version parses it) runs on `max`. */
export function fitsPython(needed: string | null, max: string): boolean {
  if (needed === null) return false;
  return compareVersions(needed, max) <= 0;
}

export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The newer of two versions; null (none parses) wins: it is the strictest. */
export function newerVersion(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  return compareVersions(a, b) >= 0 ? a : b;
}
