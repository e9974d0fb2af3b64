/**
 * A scripted "model" for a whole corpus: each function's replies are data (an instruction, argument sets,
 * a solution, a verdict), and the scenario answers each stage's request for that function with them, the
 * way a model that knows the answer would, wrapped the way real models wrap things (prose, fences).
 * Built as a scenario for the scripted LLM (test/fakes), so everything the scripted LLM checks still holds.
 *
 * What a competent model does with the app's requests, and so what the replies look like:
 * - instruct: the reply begins with the opener its request asked for ("Create a Python function"), then the
 *   instruction. The openers are the ones instructRequests draws for the entry point (same k and seed as
 *   the run: pass them when the run changes them), one per completion in request order; where the engine
 *   continues the opener (prefill) the scripted LLM returns only what follows it;
 * - solve: prose and a fenced block; where the engine continues the prefilled "```python\n", the code and
 *   the closing fence (the stop string ends it there).
 * Rules are found by the entry point's name in each prompt, so the functions of one scenario need distinct
 * names (the judge's rule also matches any program that defines that name: harmless unless `yes` differs).
 */
import type { LlmCapabilities, LlmErrorCode } from '../../src/domain/llm.ts';
import { DEFAULT_PIPELINE_SETTINGS, type PipelineSettings } from '../../src/domain/pipeline.ts';
import { instructRequests } from '../../src/core/instruct/index.ts';
import { parseScenario, type Scenario } from '../fakes/llmScenario.ts';

export type ScriptedFunction = {
  entryPoint: string;
  /** What the instruct stage's replies say after the opener; the last one repeats for further candidates. */
  instructions: string[];
  /** Argument lists, each a list of Python literals, as the probe's JSON reply. */
  cases: string[][];
  /** The solve stage's reply (the code, fenced by the builder unless `rawSolution`). */
  solution: string;
  rawSolution?: boolean;
  /** P(Yes) of the judge for this function's candidates. */
  yes?: number;
  /** Replies replacing the usual ones, per stage (e.g. a malformed probe reply), as the engine returns them. */
  override?: Partial<Record<'instruct' | 'probe' | 'solve' | 'judge', ScriptedReply[]>>;
};

/**
 * One reply as the engine returns it: text (cut at the token limit when `finishReason` is 'length'), or an
 * engine error after `text`. A judge reply's first-token log-probabilities default to the function's `yes`.
 */
export type ScriptedReply = {
  text: string;
  finishReason?: 'stop' | 'length';
  error?: { code: LlmErrorCode; retryable: boolean };
  logprobs?: Record<string, number>;
  /** Not JSON although the request asks for JSON (a model that ignores the schema). */
  invalidJson?: boolean;
};

type Caps = Partial<Omit<LlmCapabilities, 'choicesShareThePrompt'>>;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The openers of the k candidates instructRequests asks `entryPoint` for, in the order requests go out. */
export function openersFor(
  entryPoint: string,
  caps: Caps,
  instruct: PipelineSettings['instruct'] = DEFAULT_PIPELINE_SETTINGS.instruct,
  seed = DEFAULT_PIPELINE_SETTINGS.seed,
): string[] {
  const engine = caps.engine ?? 'openai';
  const maxChoices = caps.maxChoices ?? 1;
  // As llmScenario derives it: only a server's n completions share their prompt.
  const shared = engine !== 'webllm' && maxChoices > 1 ? maxChoices : 1;
  const requests = instructRequests(
    { code: '', entryPoint },
    { ...instruct, seed },
    { maxChoices: shared, continuesAssistant: caps.continuesAssistant ?? false },
  );
  return requests.flatMap((r) => Array.from({ length: r.count }, () => r.opener));
}

/**
 * `perTokenMs`: time each generated token takes (the scripted stand-in for a GPU). `settings`: the run's
 * pipeline settings, when they change k or the seed (they decide the openers).
 */
export function corpusScenario(
  functions: readonly ScriptedFunction[],
  capabilities: Caps = {},
  perTokenMs = 0,
  settings: PipelineSettings = DEFAULT_PIPELINE_SETTINGS,
): Scenario {
  const caps = {
    engine: 'openai',
    model: 'scripted-corpus',
    concurrency: 1,
    logprobs: true,
    jsonSchema: true,
    ...capabilities,
  };
  const prefill = caps.continuesAssistant ?? false;
  const rules = functions.flatMap((f) => {
    const name = escape(f.entryPoint);
    const text = (t: string, finishReason: 'stop' | 'length' = 'stop', invalidJson = false) => ({
      type: 'text',
      text: t,
      delayMs: perTokenMs,
      finishReason,
      ...(invalidJson ? { invalidJson } : {}),
    });
    const reply = (r: ScriptedReply) =>
      r.error
        ? { type: 'error', text: r.text, delayMs: perTokenMs, code: r.error.code, retryable: r.error.retryable }
        : text(r.text, r.finishReason, r.invalidJson);
    const yes = f.yes ?? 0.9;
    const o = f.override ?? {};
    const openers = openersFor(f.entryPoint, caps as Caps, settings.instruct, settings.seed);
    const instructions = openers.map((opener, i) => ({
      text: `${opener} ${f.instructions[Math.min(i, f.instructions.length - 1)]}`,
    }));
    const fenced = prefill
      ? `\`\`\`python\n${f.solution}\n\`\`\`\n`
      : `Here is the solution:\n\n\`\`\`python\n${f.solution}\n\`\`\`\n`;
    return [
      {
        stage: 'instruct',
        match: { lastUser: { regex: `please give the problem description[\\s\\S]*\`${name}\` solves`, flags: '' } },
        replies: (o.instruct ?? instructions).map(reply),
      },
      {
        stage: 'judge',
        match: { lastUser: { regex: `Here is the answer code[\\s\\S]*def ${name.split('\\.').at(-1)}\\b`, flags: '' } },
        replies: (o.judge ?? [{ text: yes >= 0.5 ? 'Yes' : 'No' }]).map((r) =>
          r.error
            ? reply(r)
            : {
                ...text(r.text),
                logprobs: { first: r.logprobs ?? { Yes: Math.log(yes * 0.98), No: Math.log((1 - yes) * 0.98) } },
              },
        ),
      },
      {
        stage: 'probe',
        match: { lastUser: { regex: `argument lists for calling \`${name}\``, flags: '' } },
        replies: (o.probe ?? [{ text: JSON.stringify({ cases: f.cases.map((args) => ({ args })) }) }]).map(reply),
      },
      {
        stage: 'solve',
        match: {
          lastUser: { regex: `defines the (?:function|class) \`${escape(f.entryPoint.split('.')[0]!)}\``, flags: '' },
        },
        replies: (o.solve ?? [{ text: f.rawSolution ? f.solution : fenced }]).map(reply),
      },
    ];
  });
  return parseScenario(
    { description: `a corpus of ${functions.length} functions`, capabilities: caps, rules },
    'corpusScenario',
  );
}
