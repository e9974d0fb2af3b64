/** What the LLM stages read from the engine's capabilities and from each completion. */
import type { ChatChoice, LlmCapabilities } from '../../domain/llm.ts';

export type StageCaps = Pick<LlmCapabilities, 'logprobs' | 'jsonSchema' | 'maxChoices' | 'continuesAssistant'>;

/** What the parsers read from one completion: the top-level result, or one of its `choices`. */
export type Reply = Pick<ChatChoice, 'text' | 'finishReason'>;
