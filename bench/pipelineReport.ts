/**
 * The pipeline benchmark's printout: per run, the LLM phase's wall time against the engine's busy time in
 * the same run (the named baseline), where the engine's idle time went, and what a sample cost; then one
 * table of every run.
 */
import { availableParallelism } from 'node:os';
import { accepted, tokensPerSample } from '../src/core/pipeline/funnel.ts';
import { CAUSES, type Cause } from './engineTimeline.ts';
import type { RunResult } from './pipelineRun.ts';
import type { MethodFigures } from './pythonFigures.ts';

/** The benchmark's aim for wall time over busy time. */
const AIM = 1.05;

const s = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const ms = (x: number): string => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

const CAUSE_TEXT: Record<Cause, string> = {
  delivery: 'answer due, not yet delivered to the pipeline',
  ready: 'request ready at the runner, not yet at the engine',
  python: 'no request ready; Python at work',
  storage: 'no request ready; storage at work',
  other: 'no request ready; neither (pipeline code, or no LLM work left)',
};

function mode(concurrency: number): string {
  return concurrency === 1 ? '1 request at a time' : `${concurrency} in flight`;
}

type Costs = { requests: number; prompt: number; completion: number; byStage: Map<string, number> };

function costs(r: RunResult): Costs {
  const c: Costs = { requests: 0, prompt: 0, completion: 0, byStage: new Map() };
  for (const ask of r.asks) {
    if (!ask.generation) continue;
    c.requests += 1;
    c.prompt += ask.generation.promptTokens;
    c.completion += ask.generation.completionTokens;
    c.byStage.set(ask.stage, (c.byStage.get(ask.stage) ?? 0) + 1);
  }
  return c;
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function report(r: RunResult): string {
  const t = r.timeline;
  const samples = accepted(r.rows);
  const c = costs(r);
  const per = (x: number): string => (samples === 0 ? '-' : (x / samples).toFixed(1));
  const ratio = t.wallMs / t.busyMs;
  const idle = t.wallMs - t.busyMs;
  const byCause = (record: Record<Cause, number>, total: number) =>
    CAUSES.filter((k) => record[k] > 0.5).map(
      (k) => `    ${CAUSE_TEXT[k].padEnd(62)} ${s(record[k]).padStart(9)}  ${pct(record[k] / total)}`,
    );
  const stages = [...c.byStage].map(([stage, n]) => `${stage} ${per(n)}`).join(', ');
  const lags = r.asks.flatMap((a) => (a.generation ? [a.generation.delivered - a.generation.finished] : []));
  const lines = [
    `${mode(r.concurrency)}, ${r.msPerToken} ms per generated token, oracle mutants ${r.mutants}: ${r.end}${r.notice ? ` (notice ${JSON.stringify(r.notice)})` : ''}`,
    `  functions: ${r.functions} in the LLM stages, ${samples} accepted`,
    `  LLM phase wall ${s(t.wallMs)}; baseline, engine busy (>= 1 request generating) ${s(t.busyMs)}; ` +
      `wall/busy ${ratio.toFixed(3)} (aim <= ${AIM}${ratio > AIM ? ', MISSED' : ''})`,
    `  requests generating while busy: ${(t.generatingMs / t.busyMs).toFixed(2)} on average of ${r.concurrency} ` +
      `(slots used ${pct(t.generatingMs / (r.concurrency * t.wallMs))} of the phase); ` +
      `by tenth of the phase: ${t.byTenth.map((x) => x.toFixed(1)).join(' ')}`,
    `  whole run ${s(r.wholeMs)}, of which ${s(r.phaseStart)} before the LLM phase (ingest, extraction, doctests)`,
    `  engine idle ${s(idle)} (${pct(idle / t.wallMs)} of the phase), of which ${s(t.headMs)} before its first request; by cause:`,
    ...byCause(t.idleMs, t.wallMs),
    ...(r.concurrency > 1
      ? [
          `  free slots (slot-seconds; ${s(r.concurrency * t.wallMs - t.generatingMs)} of ${s(r.concurrency * t.wallMs)}), by cause:`,
          ...byCause(t.freeSlotMs, r.concurrency * t.wallMs),
        ]
      : []),
    `  gaps between busy stretches: ${r.gaps.length}, median ${ms(quantile(r.gaps, 0.5))}, p90 ${ms(quantile(r.gaps, 0.9))}, ` +
      `max ${ms(quantile(r.gaps, 1))}; answer delivered after its finish: median ${ms(quantile(lags, 0.5))}, p90 ${ms(quantile(lags, 0.9))}`,
    `  per accepted sample: ${per(c.prompt + c.completion)} LLM tokens (${per(c.prompt)} prompt + ${per(c.completion)} completion; ` +
      `the funnel counts ${tokensPerSample(r.rows)?.toFixed(1) ?? '-'}), ${per(c.requests)} requests (${stages})`,
    `  Python at work ${pct(t.pythonMs / t.wallMs)} of the phase (${r.python.calls} calls); storage at work ${pct(t.storageMs / t.wallMs)} ` +
      `(${r.storageCalls} operations); pipeline thread busy ${pct(r.threadBusy)}, of which the scripted model's own ${s(r.scriptMs)}`,
    `  CPU time of the whole process (pipeline, Python threads, storage) in the LLM phase: ${s(r.cpuMs)}, ` +
      `${ms(r.cpuMs / Math.max(1, r.functions))} per function (${pct(r.cpuMs / (t.wallMs * availableParallelism()))} of ${availableParallelism()} cores)`,
    `  Python per function in the LLM stages (running time, both pools): ${pythonPerFunction(r)}`,
    `  Python calls other than mutant passes waited for a free thread: ${s(r.python.wait.totalMs)} in all, ` +
      `median ${ms(r.python.wait.medianMs)}, p90 ${ms(r.python.wait.p90Ms)} (${r.python.wait.calls} calls)`,
    `  runCases calls that ran into their limit: ${r.python.limits.calls}, ${s(r.python.limits.ms)} of Python; ` +
      `of these, ${r.python.limits.hanging} single cases that hang (${s(r.python.limits.leafMs)}), the rest batches split in halves to find them`,
    '  heaviest in Python:',
    ...r.python.heaviest.map((h) => `    ${h.entryPoint} ${s(h.ms)}: ${methods(h.byMethod, 1)}`),
  ];
  return lines.join('\n');
}

function pythonPerFunction(r: RunResult): string {
  const n = Math.max(1, r.functions);
  const total = [...r.python.byMethod.values()].reduce((sum, m) => sum + m.ms, 0);
  return `${ms(total / n)} (${methods(r.python.byMethod, n)})`;
}

/** Per method: calls (per function when `n` is the number of functions), mean and median time, limits hit. */
function methods(figures: Map<string, MethodFigures>, n: number): string {
  return [...figures]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(
      ([method, m]) =>
        `${method} ${n === 1 ? m.calls : (m.calls / n).toFixed(1)} x ${ms(m.ms / m.calls)} (median ${ms(m.median)}` +
        `${m.interrupted > 0 ? `, ${n === 1 ? m.interrupted : (m.interrupted / n).toFixed(2)} hit their limit` : ''})`,
    )
    .join(', ');
}

export function summary(results: RunResult[]): string {
  const head = [
    '',
    'ms/token',
    'LLM phase',
    'engine busy',
    'wall/busy',
    'generating',
    'slots used',
    'accepted',
    'tokens/sample',
    'requests/sample',
    'Python share',
  ];
  const body = results.map((r) => {
    const t = r.timeline;
    const samples = accepted(r.rows);
    const c = costs(r);
    return [
      mode(r.concurrency),
      String(r.msPerToken),
      s(t.wallMs),
      s(t.busyMs),
      (t.wallMs / t.busyMs).toFixed(3),
      `${(t.generatingMs / t.busyMs).toFixed(2)} of ${r.concurrency}`,
      pct(t.generatingMs / (r.concurrency * t.wallMs)),
      `${samples}/${r.functions}`,
      samples === 0 ? '-' : ((c.prompt + c.completion) / samples).toFixed(0),
      samples === 0 ? '-' : (c.requests / samples).toFixed(1),
      pct(t.pythonMs / t.wallMs),
    ];
  });
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [
    `baseline: the engine's busy time in the same run (at least one request generating); aim: wall/busy <= ${AIM}`,
    'generating: mean requests generating while busy; slots used: request-time generated over (slots x LLM phase)',
    line(head),
    ...body.map(line),
  ].join('\n');
}
