/**
 * The scripted model for a whole benchmark corpus: one scripted LLM per function (test/builders/corpusLlm.ts,
 * test/fakes/scriptedLlm.ts), a request handed to the one whose function it is about. One scenario with
 * every function's rules would answer the same, but it tries each rule's regular expression on every
 * request: for hundreds of functions that is seconds of the pipeline's thread spent in the test double.
 */
import type { LlmClient } from '../src/core/ports.ts';
import type { ChatOptions, ChatRequest, ChatResult, LlmCapabilities } from '../src/domain/llm.ts';
import { corpusScenario, type ScriptedFunction } from '../test/builders/corpusLlm.ts';
import { ScriptedLlm } from '../test/fakes/scriptedLlm.ts';

/** Each stage's request, recognised by its prompt, and where it names the function (see corpusScenario). */
const NAMES: readonly RegExp[] = [
  /please give the problem description[\s\S]*`([\w.]+)` solves/,
  /Here is the answer code[\s\S]*?\bdef (\w+)/,
  /argument lists for calling `([\w.]+)`/,
  /defines the (?:function|class) `([\w.]+)`/,
];

export class CorpusModel implements LlmClient {
  readonly capabilities: LlmCapabilities;
  readonly #byName = new Map<string, ScriptedLlm>();

  constructor(functions: readonly ScriptedFunction[], capabilities: Partial<LlmCapabilities>) {
    for (const f of functions) this.#byName.set(f.entryPoint, new ScriptedLlm(corpusScenario([f], capabilities)));
    const first = this.#byName.values().next().value;
    if (!first) throw new Error('a corpus model needs at least one function');
    this.capabilities = first.capabilities;
  }

  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResult> {
    const user = request.messages.findLast((m) => m.role === 'user')?.content ?? '';
    for (const pattern of NAMES) {
      const name = pattern.exec(user)?.[1];
      const model = name === undefined ? undefined : this.#byName.get(name);
      if (model) return model.chat(request, options);
    }
    throw new Error(`the corpus model has no function for the request ${JSON.stringify(user.slice(0, 200))}`);
  }

  async dispose(): Promise<void> {
    for (const model of this.#byName.values()) await model.dispose();
  }
}
