/**
 * A real OpenAI-compatible server on loopback (127.0.0.1, a free port) for tests: Node tests of the
 * adapter, and browser tests of the UI, for which CORS on and off behave as a browser expects.
 *
 * It speaks `GET /v1/models` and `POST /v1/chat/completions`, whole or streamed (SSE with a keep-alive
 * comment, each event written in two halves split mid-line, and mid-character where the text has one),
 * with `logprobs` / `top_logprobs`, `usage` and optionally llama-server's `timings`. A whole reply honours
 * `n` as vLLM does, or ignores it as Ollama does (`choices`); a trailing assistant message is continued
 * as llama-server does, only with vLLM's `continue_final_message`, never, or its fields refused as OpenAI's
 * own API refuses fields it does not know (`prefill`). What it answers is plain data (OpenAiServerOptions);
 * what it saw is recorded (`requests`, with each body; `maxInFlight`, `closedEarly`).
 *
 * Replies are picked by the content of the last user message (`replies`), else `defaultReply`, so tests
 * running requests concurrently get deterministic answers. Text is split into tokens at word boundaries
 * (a word with the spaces before it, or one punctuation character); at each position the chosen token has
 * probability 0.8 and the reply's `alternatives` 0.1, 0.05, … in order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Scenario } from '../fakes/llmScenario.ts';

export type Reply =
  /** `more`: the texts of choices 1, 2, … when `n` is honoured (they repeat; without it every choice is `text`). */
  | { kind: 'text'; text: string; alternatives?: string[]; more?: string[] }
  /** An error status with this body, verbatim (e.g. `{"error":{"message":"..."}}`). */
  | { kind: 'error'; status: number; body: string }
  /** Status 200 with this body verbatim, typed as the request expects (JSON or an event stream). */
  | { kind: 'garbage'; body: string }
  /** Streams `afterTokens` tokens of `text`, then: resets the connection, ends the body without `[DONE]`,
   * or sends an `error` event (as vLLM does) with `status` as its code. Without streaming, always a reset. */
  | { kind: 'cut'; text: string; afterTokens: number; how: 'reset' | 'end' | 'error-event'; status?: number };

/**
 * A reply rule: a request whose last user message matches `lastUser` is answered from `replies`, in the
 * order requests arrive (the n-th gets `replies[n]`, the last repeats once they run out); a request for
 * `n` choices, where `n` is honoured, takes the rule's next n replies. Like the scripted LLM's rules
 * (test/fakes/scriptedLlm.ts), from which `scenarioRules` makes them.
 */
export type ReplyRule = { lastUser: RegExp; replies: Reply[] };

export type OpenAiServerOptions = {
  /** Tried first, in order; a request no rule matches gets `replies` or `defaultReply`. */
  rules?: ReplyRule[];
  /** Listed by /v1/models, and the only ones chat accepts (404 otherwise). Null: /v1/models is 404, any model goes. */
  models?: string[] | null;
  replies?: Record<string, Reply>;
  defaultReply?: Reply;
  /** 'ignored': logprobs fields are accepted and no logprobs returned; 'rejected': they get a 400. */
  logprobs?: 'supported' | 'ignored' | 'rejected';
  /** Before the first token, and between tokens (a whole reply waits for all of them). */
  prefillMs?: number;
  tokenDelayMs?: number;
  /** Required as `Authorization: Bearer <apiKey>` (401 otherwise); preflights never need it. */
  apiKey?: string | null;
  /** Answer CORS: Access-Control-Allow-Origin on every reply and OPTIONS preflights. Off: no CORS headers. */
  cors?: boolean;
  /** Sent as llama-server's `timings` with the last chunk or the whole reply. */
  timings?: { promptPerSecond: number; predictedPerSecond: number } | null;
  /** Send `usage` (in a stream only when `stream_options.include_usage` asks, as servers do). */
  usage?: boolean;
  lineEnding?: '\n' | '\r\n';
  /** `n` in a whole reply: 'honoured' (vLLM, llama-server), 'ignored' (Ollama: one choice), 'rejected' (400). */
  choices?: 'honoured' | 'ignored' | 'rejected';
  /** Sends the choices of a whole reply last index first (their `index` still says which is which). */
  choicesReversed?: boolean;
  /**
   * A trailing assistant message: 'continues' (llama-server, Ollama), 'vllm' (only with
   * `continue_final_message: true, add_generation_prompt: false`, else a new turn), 'new-turn', or
   * 'rejected' (400 for `continue_final_message`, as OpenAI's API answers a field it does not know).
   * Continuing, the reply is what follows the message in the picked reply's text (all of it when the text
   * does not start with the message).
   */
  prefill?: 'continues' | 'vllm' | 'new-turn' | 'rejected';
};

export type RecordedRequest = {
  method: string;
  path: string;
  authorization: string | null;
  origin: string | null;
  /** The parsed JSON body; null for GET and OPTIONS. */
  body: Record<string, unknown> | null;
};

export type OpenAiServer = {
  /** The server's origin, e.g. "http://127.0.0.1:41234" (the API is under /v1). */
  url: string;
  requests: RecordedRequest[];
  /** Chat requests being answered now, and the most at once so far. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Chat replies whose connection the client closed before the reply ended (cancelled calls). */
  readonly closedEarly: number;
  close(): Promise<void>;
};

const DEFAULT_REPLY: Reply = { kind: 'text', text: 'Hello from the test server.' };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  type Defaults = 'models' | 'logprobs' | 'cors' | 'usage' | 'choices' | 'prefill';
  const o: OpenAiServerOptions & Required<Pick<OpenAiServerOptions, Defaults>> = {
    ...{
      models: ['test-model'],
      logprobs: 'supported',
      cors: true,
      usage: true,
      choices: 'honoured',
      prefill: 'continues',
    },
    ...options,
  };
  const state = {
    requests: [] as RecordedRequest[],
    inFlight: 0,
    maxInFlight: 0,
    closedEarly: 0,
    served: [] as number[],
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin ?? null;
    if (o.cors) {
      res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
      res.setHeader('Vary', 'Origin');
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(req);
    let body: Record<string, unknown> | null = null;
    try {
      body = raw === '' ? null : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      return json(res, 400, { error: { message: 'Request body is not JSON', type: 'invalid_request_error' } });
    }
    const authorization = req.headers.authorization ?? null;
    state.requests.push({ method: req.method ?? '', path, authorization, origin, body });
    if (req.method === 'OPTIONS') return preflight(req, res);
    if (o.apiKey && authorization !== `Bearer ${o.apiKey}`)
      return json(res, 401, { error: { message: 'Invalid API key', type: 'invalid_request_error' } });
    if (req.method === 'GET' && path === '/v1/models') {
      if (o.models === null) return json(res, 404, { error: { message: 'Not Found' } });
      return json(res, 200, {
        object: 'list',
        data: o.models.map((id) => ({ id, object: 'model', owned_by: 'test' })),
      });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions' && body) return chat(body, res);
    return json(res, 404, { error: { message: `No route for ${req.method} ${path}` } });
  }

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    // Like Ollama with an origin it does not allow: a refusal without CORS headers, which a browser blocks.
    if (!o.cors) return void res.writeHead(403).end();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
    if (req.headers['access-control-request-private-network'])
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    res.writeHead(204).end();
  }

  async function chat(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const model = String(body['model']);
    if (o.models !== null && !o.models.includes(model))
      return json(res, 404, { error: { message: `model "${model}" not found`, type: 'not_found_error' } });
    const wantsLogprobs = body['logprobs'] === true;
    if (wantsLogprobs && o.logprobs === 'rejected')
      return json(res, 400, { error: { message: 'logprobs is not supported', type: 'invalid_request_error' } });
    const n = typeof body['n'] === 'number' ? body['n'] : 1;
    if (n > 1 && o.choices === 'rejected')
      return json(res, 400, {
        error: { message: 'Only one completion choice is allowed', type: 'invalid_request_error' },
      });
    if ('continue_final_message' in body && o.prefill === 'rejected')
      return json(res, 400, {
        error: {
          message: 'Unrecognized request argument supplied: continue_final_message',
          type: 'invalid_request_error',
        },
      });
    const reply = ruleReply(body) ?? pickReply(body);
    if (reply.kind === 'error')
      return void res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(reply.body);
    const stream = body['stream'] === true;
    if (reply.kind === 'garbage')
      return void res
        .writeHead(200, { 'Content-Type': stream ? 'text/event-stream' : 'application/json' })
        .end(reply.body);

    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    let open = true;
    res.on('close', () => {
      if (!res.writableFinished) state.closedEarly += 1;
      open = false;
      state.inFlight -= 1;
    });
    const max = typeof body['max_tokens'] === 'number' ? body['max_tokens'] : Infinity;
    const started = continued(body);
    const top = wantsLogprobs && o.logprobs === 'supported' ? Number(body['top_logprobs'] ?? 0) : null;
    /** Choice i of the reply: its tokens, cut by max_tokens (and the cut), with their logprob entries. */
    const generate = (i: number) => {
      const more =
        reply.kind === 'text' && i > 0 && reply.more?.length ? reply.more[(i - 1) % reply.more.length] : null;
      const text = more ?? reply.text;
      const all = tokenize(started !== null && text.startsWith(started) ? text.slice(started.length) : text);
      const tokens = all.slice(0, Math.min(max, reply.kind === 'cut' ? reply.afterTokens : Infinity));
      const entries = tokens.map((token) =>
        logprobEntry(token, reply.kind === 'text' ? (reply.alternatives ?? []) : [], top ?? 0),
      );
      return { tokens, entries, finish: tokens.length < all.length ? 'length' : 'stop' };
    };
    const count = !stream && o.choices === 'honoured' ? Math.max(1, n) : 1;
    const first = generate(0);
    const generated = [first, ...Array.from({ length: count - 1 }, (_, i) => generate(i + 1))];
    const { tokens, entries, finish } = first;
    const completion = generated.reduce((sum, g) => sum + g.tokens.length, 0);
    const usage = { prompt_tokens: promptTokens(body), completion_tokens: completion, total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const { timings } = o;
    const extra = timings
      ? { timings: { prompt_per_second: timings.promptPerSecond, predicted_per_second: timings.predictedPerSecond } }
      : {};
    const head = { id: 'chatcmpl-test', created: 0, model };
    await sleep(o.prefillMs ?? 0);

    if (!stream) {
      await sleep((o.tokenDelayMs ?? 0) * tokens.length);
      if (reply.kind === 'cut') return void res.socket?.destroy();
      if (!open) return;
      const choices = generated.map((g, index) => ({
        index,
        message: { role: 'assistant', content: g.tokens.join('') },
        logprobs: top === null ? null : { content: g.entries },
        finish_reason: g.finish,
      }));
      if (o.choicesReversed) choices.reverse();
      return json(res, 200, {
        ...head,
        object: 'chat.completion',
        choices,
        ...(o.usage ? { usage } : {}),
        ...extra,
      });
    }

    const end = o.lineEnding ?? '\n';
    const send = async (data: string): Promise<void> => {
      const bytes = Buffer.from(`data: ${data}${end}${end}`);
      const at = splitPoint(bytes);
      res.write(bytes.subarray(0, at));
      await sleep(1); // so the halves travel as separate network chunks
      if (open) res.write(bytes.subarray(at));
    };
    const chunk = (delta: object, logprobs: object | null, finishReason: string | null, more: object = {}) =>
      JSON.stringify({
        ...head,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta, logprobs, finish_reason: finishReason }],
        ...more,
      });

    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(`: keep-alive${end}${end}`);
    await send(chunk({ role: 'assistant', content: '' }, null, null));
    for (const [i, token] of tokens.entries()) {
      await sleep(o.tokenDelayMs ?? 0);
      if (!open) return;
      await send(chunk({ content: token }, top === null ? null : { content: [entries[i]] }, null));
    }
    if (!open) return;
    if (reply.kind === 'cut') {
      if (reply.how === 'reset') {
        await sleep(20); // let what was sent arrive: destroying a socket drops its unsent writes
        return void res.socket?.destroy();
      }
      if (reply.how === 'error-event')
        await send(JSON.stringify({ error: { message: 'engine died', code: reply.status ?? 500 } }));
      return void res.end();
    }
    await send(chunk({}, null, finish, extra));
    const options = body['stream_options'] as { include_usage?: unknown } | undefined;
    if (o.usage && options?.include_usage === true)
      await send(JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [], usage }));
    await send('[DONE]');
    res.end();
  }

  /** The text of the trailing assistant message the server continues; null when it starts a new turn. */
  function continued(body: Record<string, unknown>): string | null {
    const messages = Array.isArray(body['messages'])
      ? (body['messages'] as { role?: unknown; content?: unknown }[])
      : [];
    const last = messages.at(-1);
    if (last?.role !== 'assistant' || typeof last.content !== 'string') return null;
    if (o.prefill === 'continues') return last.content;
    const asked = body['continue_final_message'] === true && body['add_generation_prompt'] === false;
    return o.prefill === 'vllm' && asked ? last.content : null;
  }

  function ruleReply(body: Record<string, unknown>): Reply | null {
    const last = lastUserOf(body);
    const index = o.rules?.findIndex((r) => last !== null && r.lastUser.test(last)) ?? -1;
    const rule = o.rules?.[index];
    if (!rule || rule.replies.length === 0) return null;
    const served = (state.served[index] ??= 0);
    const n =
      typeof body['n'] === 'number' && body['stream'] !== true && o.choices === 'honoured' ? Math.max(1, body['n']) : 1;
    const taken = Array.from({ length: n }, (_, i) => rule.replies[Math.min(served + i, rule.replies.length - 1)]!);
    state.served[index] = served + n;
    const [first, ...rest] = taken;
    if (first!.kind !== 'text' || rest.length === 0) return first!;
    return { ...first!, more: rest.map((r) => (r.kind === 'text' ? r.text : first!.text)) };
  }

  function lastUserOf(body: Record<string, unknown>): string | null {
    const messages = Array.isArray(body['messages'])
      ? (body['messages'] as { role?: unknown; content?: unknown }[])
      : [];
    const last = messages.filter((m) => m.role === 'user').at(-1)?.content;
    return typeof last === 'string' ? last : null;
  }

  function pickReply(body: Record<string, unknown>): Reply {
    const messages = Array.isArray(body['messages'])
      ? (body['messages'] as { role?: unknown; content?: unknown }[])
      : [];
    const last = messages.filter((m) => m.role === 'user').at(-1)?.content;
    return (typeof last === 'string' ? o.replies?.[last] : undefined) ?? o.defaultReply ?? DEFAULT_REPLY;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: state.requests,
    get inFlight() {
      return state.inFlight;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get closedEarly() {
      return state.closedEarly;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Words with the spaces before them, single punctuation characters, trailing spaces: they join to `text`. */
export function tokenize(text: string): string[] {
  return text.match(/\s*(?:\w+|[^\w\s])|\s+$/gu) ?? [];
}

function logprobEntry(token: string, alternatives: string[], top: number) {
  const ranked = [token, ...alternatives.filter((a) => a !== token)];
  const probability = (rank: number) => (rank === 0 ? 0.8 : 0.2 / 2 ** rank);
  const entry = (t: string, rank: number) => ({
    token: t,
    logprob: Math.log(probability(rank)),
    bytes: [...Buffer.from(t)],
  });
  return { ...entry(token, 0), top_logprobs: ranked.slice(0, top).map(entry) };
}

/** The middle of the first multi-byte character, else the middle of the event: never a clean line break. */
function splitPoint(bytes: Buffer): number {
  const multi = bytes.findIndex((b) => b >= 0xc0);
  return multi >= 0 ? multi + 1 : Math.floor(bytes.length / 2);
}

function promptTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  return messages.reduce(
    (n: number, m: { content?: unknown }) =>
      n +
      String(m.content ?? '')
        .split(/\s+/)
        .filter(Boolean).length,
    0,
  );
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/**
 * A scripted-LLM scenario (test/fakes/llmScenario.ts) as server rules: each rule's match on the last user
 * message, and its text replies. A reply's first-token log-probabilities become the reply's alternatives
 * (the server gives the reply's token 0.8 and each alternative less, in order), so a judge that answers
 * "Yes" with "No" second scores P(Yes) ≈ 0.89, one that answers "No" ≈ 0.11.
 */
export function scenarioRules(scenario: Scenario): ReplyRule[] {
  return scenario.rules.flatMap((rule) => {
    const match = rule.match.lastUser;
    if (!match) return [];
    const lastUser =
      'contains' in match
        ? new RegExp(match.contains.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        : new RegExp(match.regex, match.flags);
    const replies = rule.replies.flatMap((reply): Reply[] => {
      if (reply.type !== 'text') return [];
      const first = reply.logprobs?.first ?? {};
      const token = reply.text.trim().split(/\s+/)[0] ?? '';
      const alternatives = Object.entries(first)
        .filter(([t]) => t !== token)
        .sort((a, b) => b[1] - a[1])
        .map(([t]) => t);
      return [{ kind: 'text', text: reply.text, ...(alternatives.length > 0 ? { alternatives } : {}) }];
    });
    return replies.length > 0 ? [{ lastUser, replies }] : [];
  });
}
