/**
 * The envelope of a worker's reply (`Settled`) is as untrusted as its contents: code running in the worker
 * can rewrite what the worker sends (red-team finding). Anything that is not exactly a Settled becomes a
 * fault that costs the worker its life; nothing about it is believed.
 */
import type { Settled } from '../../../workers/python/runner.ts';

export function parseSettled(value: unknown): Settled {
  const v = value as Record<string, unknown> | null;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    if (v['kind'] === 'reply' && 'value' in v) return { kind: 'reply', value: v['value'] };
    if (v['kind'] === 'interrupted') return { kind: 'interrupted' };
    if (v['kind'] === 'fault' && typeof v['detail'] === 'string' && typeof v['fatal'] === 'boolean') {
      const stack = v['stack'] === true;
      return { kind: 'fault', detail: v['detail'].slice(0, 4000), fatal: v['fatal'], ...(stack ? { stack } : {}) };
    }
  }
  return { kind: 'fault', detail: 'the Python worker sent a reply that is not one (forged or corrupted)', fatal: true };
}

/** Words for something thrown across the boundary, without running any of its code (no String(), no getters). */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) {
    const { name, message } = Object.getOwnPropertyDescriptors(error);
    const text = (d: PropertyDescriptor | undefined) => (typeof d?.value === 'string' ? d.value : '');
    return `${text(name) || 'Error'}: ${text(message)}`.slice(0, 4000);
  }
  return typeof error === 'string'
    ? error.slice(0, 4000)
    : 'the Python worker failed with something that is not an error';
}
