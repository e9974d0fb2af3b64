/**
 * What the engine status line says (data-testid="engine-status"). Pure, so every state's wording is tested
 * in Node: it must always say the state, or why the engine cannot load and what to do.
 */
import type { CatalogModel, EngineChoice, LoadProgress } from '../domain/llm.ts';
import type { EngineStatus } from './engine.svelte.ts';
import { formatDuration } from './progress.ts';

export function engineStatusText(status: EngineStatus, choice: EngineChoice): string {
  switch (status.state) {
    case 'none':
      return 'No LLM: natural mode (docstrings as instructions, doctests as tests).';
    case 'checking':
      return choice.kind === 'openai' ? `Connecting to ${choice.baseUrl}…` : 'Checking WebGPU on this browser…';
    case 'unavailable':
      return `WebGPU cannot run a model here: ${status.problem.message} ${status.problem.action}`;
    case 'idle': {
      const warnings = status.warnings.map((w) => ` Warning: ${w.message} ${w.action}`).join('');
      const [quant, variant] = variantOf(status.model, status.modelId);
      const where = status.cached ? 'downloaded, not loaded' : `not downloaded (about ${mb(variant.downloadMB)})`;
      return `${status.model.label} (${quant}, needs about ${mb(variant.vramMB)} of GPU memory): ${where}.${warnings}`;
    }
    case 'loading':
      return `${status.model.label}: ${progressText(status.progress)}`;
    case 'ready': {
      const c = status.capabilities;
      if (c.engine === 'openai') {
        const where = choice.kind === 'openai' ? ` at ${choice.baseUrl}` : '';
        const logprobs = c.logprobs ? 'with log-probabilities' : 'without log-probabilities (no P(Yes) judging)';
        return `Ready: ${c.model}${where}, ${c.concurrency} at a time, ${logprobs}.`;
      }
      return `Ready: ${c.model} on this GPU (WebGPU).`;
    }
    case 'releasing':
      return `Letting ${status.capabilities.model} go: pausing the run that uses it…`;
    case 'failed':
      return `Engine failed (${status.problem.code}): ${status.problem.message} ${status.problem.action}`;
  }
}

export function progressText(progress: LoadProgress | null): string {
  if (!progress) return 'starting…';
  const percent = `${Math.floor(progress.fraction * 100)} %`;
  if (progress.phase === 'load') return `loading onto the GPU, ${percent}`;
  const parts = [`downloading, ${percent}`];
  if (progress.bytesDone !== null) {
    parts.push(
      progress.bytesTotal !== null
        ? `${bytes(progress.bytesDone)} of ${bytes(progress.bytesTotal)}`
        : bytes(progress.bytesDone),
    );
  }
  if (progress.bytesPerSecond !== null) parts.push(`${bytes(progress.bytesPerSecond)}/s`);
  if (progress.etaSeconds !== null) parts.push(`about ${formatDuration(progress.etaSeconds * 1000)} left`);
  return parts.join(', ');
}

export function bytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function variantOf(model: CatalogModel, modelId: string): [string, { vramMB: number; downloadMB: number }] {
  for (const [quant, variant] of Object.entries(model.variants))
    if (variant?.modelId === modelId) return [quant, variant];
  return [modelId, { vramMB: 0, downloadMB: 0 }];
}

function mb(megabytes: number): string {
  return bytes(megabytes * 1024 * 1024);
}
