/**
 * LLM bench page (bench/llm.html, see bench/README.md): the overhead of Semiverse's LlmClient over the bare
 * web-llm engine. Both sides use ONE engine in one worker with the model loaded once, so the GPU, the
 * weights and the worker are identical; only the path from the caller to the engine differs:
 * - bare: engine.chat.completions.create({stream: true, stream_options: {include_usage: true}});
 * - ours: WebLlmClient.chat(request, {onToken}) (queue, request mapping, reply validation, streaming).
 * The same prompts (temperature 0, fixed max_tokens and seed, so both sides generate the same tokens) run
 * alternately, the order flipping every repetition, after one untimed warm-up of each. Figures: the
 * engine's own usage.extra tokens per second, and the page's wall clock (prefill = prompt tokens / time
 * to the first text; decode = later tokens / time from the first text to the end), median of all runs.
 */
import type { ChatCompletionChunk, WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import { evaluateGpu } from '../src/adapters/llm/webllm/capabilities.ts';
import { CATALOG, DEFAULT_FAMILY } from '../src/adapters/llm/webllm/catalog.ts';
import { toEngineRequest } from '../src/adapters/llm/webllm/chatMapping.ts';
import { toLlmError } from '../src/adapters/llm/webllm/errors.ts';
import { probeGpu } from '../src/adapters/llm/webllm/gpuProbe.ts';
import { LoadTracker } from '../src/adapters/llm/webllm/progress.ts';
import { WebLlmClient } from '../src/adapters/llm/webllm/webLlmClient.ts';
import { loadWebLlm } from '../src/adapters/llm/webllm/webLlmModule.ts';
import { spawnWorker, wrapEngine } from '../src/adapters/llm/webllm/workerEngine.ts';
import { isLlmError, type ChatRequest, type Quantization } from '../src/domain/llm.ts';

const FUNCTIONS = [
  'def clamp(x, lo, hi):\n    return max(lo, min(x, hi))',
  'def chunks(items, size):\n    if size <= 0:\n        raise ValueError("size must be positive")\n    out = []\n    for i in range(0, len(items), size):\n        out.append(items[i:i + size])\n    return out',
  'def merge_intervals(intervals):\n    result = []\n    for start, end in sorted(intervals):\n        if result and start <= result[-1][1]:\n            result[-1] = (result[-1][0], max(result[-1][1], end))\n        else:\n            result.append((start, end))\n    return result\n\n\ndef total_covered(intervals):\n    return sum(end - start for start, end in merge_intervals(intervals))\n\n\ndef gaps(intervals, lo, hi):\n    merged = merge_intervals([(max(s, lo), min(e, hi)) for s, e in intervals if e > lo and s < hi])\n    out, cursor = [], lo\n    for start, end in merged:\n        if start > cursor:\n            out.append((cursor, start))\n        cursor = max(cursor, end)\n    if cursor < hi:\n        out.append((cursor, hi))\n    return out',
];

const PROMPTS: ChatRequest[] = FUNCTIONS.map((code) => ({
  messages: [
    { role: 'system', content: 'You are an expert Python programmer.' },
    {
      role: 'user',
      content: `Here is some Python code:\n\`\`\`python\n${code}\n\`\`\`\nWrite the instruction a programmer would have been given to write this code. Start with "Write a python function".`,
    },
  ],
  temperature: 0,
  maxTokens: 128,
  seed: 0,
}));

type Sample = {
  side: 'bare' | 'ours';
  prompt: number;
  promptTokens: number;
  tokens: number;
  enginePrefill: number | null;
  engineDecode: number | null;
  wallPrefill: number | null;
  wallDecode: number | null;
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => ($('status').textContent = text);
let engine: WebWorkerMLCEngine | null = null;
let client: WebLlmClient | null = null;

async function bare(request: ChatRequest, prompt: number): Promise<Sample> {
  const t0 = performance.now();
  let first: number | null = null;
  let usage: ChatCompletionChunk['usage'];
  const stream = (await engine!.chat.completions.create(
    toEngineRequest(request, true),
  )) as AsyncIterable<ChatCompletionChunk>;
  for await (const chunk of stream) {
    if (first === null && chunk.choices[0]?.delta.content) first = performance.now();
    if (chunk.usage) usage = chunk.usage;
  }
  const u = { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
  return sample(
    'bare',
    prompt,
    u,
    usage?.extra.prefill_tokens_per_s ?? null,
    usage?.extra.decode_tokens_per_s ?? null,
    t0,
    first,
    performance.now(),
  );
}

async function ours(request: ChatRequest, prompt: number): Promise<Sample> {
  const t0 = performance.now();
  let first: number | null = null;
  const result = await client!.chat(request, { onToken: () => (first ??= performance.now()) });
  const u = result.usage;
  return sample('ours', prompt, u, u.prefillTokensPerSecond, u.decodeTokensPerSecond, t0, first, performance.now());
}

function sample(
  side: Sample['side'],
  prompt: number,
  u: { promptTokens: number; completionTokens: number },
  enginePrefill: number | null,
  engineDecode: number | null,
  t0: number,
  first: number | null,
  end: number,
): Sample {
  const wallPrefill = first === null ? null : u.promptTokens / ((first - t0) / 1000);
  const wallDecode = first === null || end <= first ? null : (u.completionTokens - 1) / ((end - first) / 1000);
  return {
    side,
    prompt,
    promptTokens: u.promptTokens,
    tokens: u.completionTokens,
    enginePrefill,
    engineDecode,
    wallPrefill,
    wallDecode,
  };
}

function median(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function report(samples: Sample[], modelId: string): string {
  const metrics = ['enginePrefill', 'engineDecode', 'wallPrefill', 'wallDecode'] as const;
  const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(1)).padStart(10);
  const lines = [
    `model ${modelId}; ${samples.length / 2} requests per side; medians, tokens/s`,
    `${''.padEnd(26)}${'bare'.padStart(10)}${'ours'.padStart(10)}${'ratio'.padStart(10)}`,
  ];
  for (const m of metrics) {
    const b = median(samples.filter((s) => s.side === 'bare').map((s) => s[m]));
    const o = median(samples.filter((s) => s.side === 'ours').map((s) => s[m]));
    const ratio = b && o ? o / b : null;
    lines.push(
      `${m
        .replace(/([A-Z])/, ' $1')
        .toLowerCase()
        .padEnd(
          26,
        )}${fmt(b)}${fmt(o)}${(ratio === null ? '—' : ratio.toFixed(3)).padStart(10)}${ratio !== null && ratio < 0.95 ? '  below 0.95' : ''}`,
    );
  }
  const differ = PROMPTS.some((_, p) => new Set(samples.filter((s) => s.prompt === p).map((s) => s.tokens)).size > 1);
  if (differ)
    lines.push(
      'note: the two sides generated different token counts for a prompt (sampling is not deterministic here)',
    );
  return lines.join('\n');
}

async function run(modelId: string): Promise<void> {
  const reps = Math.max(1, Number($<HTMLInputElement>('reps').value) || 3);
  status('Warming up…');
  await bare(PROMPTS[0]!, 0);
  await ours(PROMPTS[0]!, 0);
  const samples: Sample[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const [p, request] of PROMPTS.entries()) {
      status(`Repetition ${rep + 1}/${reps}, prompt ${p + 1}/${PROMPTS.length}…`);
      const pair = rep % 2 === 0 ? [bare, ours] : [ours, bare];
      for (const side of pair) samples.push(await side(request, p));
    }
  }
  const text = report(samples, modelId);
  $('out').textContent = text;
  console.log(text);
  console.log(JSON.stringify({ modelId, samples }));
  status('Done.');
}

async function load(modelId: string): Promise<void> {
  const webllm = await loadWebLlm();
  const tracker = new LoadTracker(await webllm.hasModelInCache(modelId));
  const worker = spawnWorker();
  try {
    engine = await webllm.CreateWebWorkerMLCEngine(worker, modelId, {
      appConfig: webllm.prebuiltAppConfig,
      initProgressCallback: (r) => {
        const p = tracker.update(r);
        const eta = p.etaSeconds !== null ? `, about ${Math.ceil(p.etaSeconds)} s left` : '';
        status(`${p.phase} ${(p.fraction * 100).toFixed(0)}%${eta}: ${p.text}`);
      },
    });
  } catch (error) {
    worker.terminate();
    throw error;
  }
  client = new WebLlmClient(wrapEngine(engine, worker, modelId), modelId);
}

async function main(): Promise<void> {
  const report = evaluateGpu(await probeGpu());
  const gpu = $('gpu');
  if (!report.ok) {
    gpu.className = 'problem';
    gpu.textContent = `${report.error.message} ${report.error.action}`;
    console.log(`LLM bench cannot run here: ${report.error.code}: ${report.error.message}`);
    return;
  }
  const { vendor, architecture, description } = report.adapter;
  const name = [vendor, architecture, description].filter((s) => s !== '').join(' ');
  gpu.textContent = `WebGPU: ${name || 'an unnamed adapter'}; quantization ${report.quantization}.`;
  for (const warning of report.warnings) {
    const p = Object.assign(document.createElement('p'), {
      className: 'warning',
      textContent: `${warning.message} ${warning.action}`,
    });
    gpu.after(p);
  }
  const select = $<HTMLSelectElement>('model');
  const q: Quantization = report.quantization;
  for (const m of CATALOG)
    select.add(
      new Option(
        `${m.label} (${q}, ${m.variants[q]?.vramMB} MB VRAM)`,
        m.variants[q]!.modelId,
        false,
        m.family === DEFAULT_FAMILY,
      ),
    );
  const [loadButton, runButton] = [$<HTMLButtonElement>('load'), $<HTMLButtonElement>('run')];
  loadButton.disabled = false;
  loadButton.onclick = async () => {
    loadButton.disabled = select.disabled = true;
    try {
      await load(select.value);
      status(`Loaded ${select.value}.`);
      runButton.disabled = false;
    } catch (error) {
      const e = toLlmError(error, 'load');
      status(`Load failed: ${e.message}${isLlmError(e) ? ` ${e.action}` : ''}`);
      loadButton.disabled = select.disabled = false;
    }
  };
  runButton.onclick = async () => {
    runButton.disabled = true;
    await run(select.value).catch((error: unknown) => status(`Run failed: ${String(error)}`));
    runButton.disabled = false;
  };
}

void main();
