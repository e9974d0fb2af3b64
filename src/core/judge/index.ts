/** InverseCoder's self-evaluation: P(Yes) that code answers a problem. */
export { JUDGE_PROMPT_VERSION } from './judgePrompt.ts';
export { JUDGE_SAMPLE_DEFAULTS, judgeRequest, judgeSampleRequests, type JudgeSampleSettings } from './judgeRequest.ts';
export { MISSING_LOGPROB, scoreFromLogprobs, type LogprobScore } from './scoreFromLogprobs.ts';
export { scoreFromSamples, type SampleScore } from './scoreFromSamples.ts';
