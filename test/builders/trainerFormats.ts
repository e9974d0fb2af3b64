/**
 * What trainers read, for tests of exported files: a JSON Schema per format (written from the trainers'
 * docs: TRL's dataset formats, LLaMA-Factory's data/README.md, Axolotl's dataset formats), a small
 * validator for the part of JSON Schema they use, and loaders that read a file the way each trainer's code
 * does, ported from it: LLaMA-Factory's DatasetAttr and its Alpaca/ShareGPT converters (parser.py,
 * converter.py), TRL's `is_conversational`, Axolotl's chat_template role mapping, and `datasets`' JSON
 * builder's one rule that bites (every line an object, one type per column across the file).
 */

export type Schema = {
  type?: string | string[];
  enum?: readonly unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  oneOf?: Schema[];
};

/** Problems of `value` against `schema` (JSON Schema draft-07 semantics for the keywords above). */
export function validate(value: unknown, schema: Schema, path = '$'): string[] {
  const problems: string[] = [];
  if (schema.oneOf) {
    const passing = schema.oneOf.filter((s) => validate(value, s, path).length === 0).length;
    if (passing !== 1) problems.push(`${path}: matches ${passing} of oneOf's schemas, not 1`);
  }
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(value, t))) return [...problems, `${path}: not ${types.join(' or ')}`];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if ('const' in schema && value !== schema.const) problems.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string' && schema.minLength !== undefined && value.length < schema.minLength)
    problems.push(`${path}: shorter than ${schema.minLength}`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${path}: too few items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${path}: too many items`);
    if (schema.items) value.forEach((item, i) => problems.push(...validate(item, schema.items!, `${path}[${i}]`)));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in o)) problems.push(`${path}: no ${key}`);
    for (const [key, v] of Object.entries(o)) {
      const sub = schema.properties?.[key];
      if (sub) problems.push(...validate(v, sub, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected ${key}`);
    }
  }
  return problems;
}

function typeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

const text: Schema = { type: 'string', minLength: 1 };
const anyText: Schema = { type: 'string' };

/** TRL conversational / LLaMA-Factory OpenAI format / Axolotl chat_template with `field_messages: messages`. */
export const MESSAGES_SCHEMA: Schema = {
  type: 'object',
  required: ['messages'],
  additionalProperties: false,
  properties: {
    messages: {
      type: 'array',
      minItems: 2,
      maxItems: 3,
      items: {
        type: 'object',
        required: ['role', 'content'],
        additionalProperties: false,
        properties: { role: { enum: ['system', 'user', 'assistant'] }, content: text },
      },
    },
  },
};

/** LLaMA-Factory's Alpaca (instruction, input, output, system) and Axolotl's `type: alpaca`. */
export const ALPACA_SCHEMA: Schema = {
  type: 'object',
  required: ['instruction', 'input', 'output'],
  additionalProperties: false,
  properties: { instruction: text, input: { const: '' }, output: text, system: text },
};

/** LLaMA-Factory's ShareGPT: `conversations` of {from: system|human|gpt, value}. */
export const SHAREGPT_SCHEMA: Schema = {
  type: 'object',
  required: ['conversations'],
  additionalProperties: false,
  properties: {
    conversations: {
      type: 'array',
      minItems: 2,
      maxItems: 3,
      items: {
        type: 'object',
        required: ['from', 'value'],
        additionalProperties: false,
        properties: { from: { enum: ['system', 'human', 'gpt'] }, value: text },
      },
    },
  },
};

const findings: Schema = {
  type: 'object',
  required: ['benchmark', 'secrets', 'pii', 'duplicate_instruction_of', 'redacted'],
  additionalProperties: false,
  properties: {
    benchmark: { type: 'array', items: text },
    secrets: { type: 'array', items: text },
    pii: { type: 'array', items: text },
    duplicate_instruction_of: { type: ['string', 'null'] },
    redacted: { type: 'boolean' },
  },
};

const source = (llm: boolean): Schema => ({
  type: 'object',
  required: ['project', 'path', 'start_line', 'end_line', 'sha256', ...(llm ? ['original_code'] : [])],
  additionalProperties: false,
  properties: {
    project: anyText,
    path: text,
    start_line: { type: 'integer' },
    end_line: { type: 'integer' },
    sha256: { type: 'string', minLength: 64 },
    ...(llm ? { original_code: text } : {}),
  },
});

const common = {
  id: text,
  instruction: text,
  response: text,
  tests: { type: 'array', minItems: 1, items: text },
  entry_point: text,
  language: { const: 'python' },
  schema_version: { const: 1 },
  python_version: { type: ['string', 'null'] },
  findings,
} satisfies Record<string, Schema>;

/** The raw format: README's field table, plus `python_version` and `findings`. */
export const RAW_SCHEMA: Schema = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: [...Object.keys(common), 'method', 'source', 'verification'],
      properties: {
        ...common,
        method: { const: 'natural-doctest' },
        source: source(false),
        verification: {
          type: 'object',
          additionalProperties: false,
          required: ['examples', 'plain_asserts', 'runtime'],
          properties: { examples: { type: 'integer' }, plain_asserts: { type: 'boolean' }, runtime: text },
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: [
        ...Object.keys(common),
        'method',
        'response_kind',
        'scores',
        'model',
        'fingerprint',
        'source',
        'verification',
      ],
      properties: {
        ...common,
        method: { const: 'inverse-semi' },
        response_kind: { enum: ['solution', 'original'] },
        scores: { type: 'object' },
        model: { type: 'object', required: ['engine', 'id'] },
        fingerprint: text,
        source: source(true),
        verification: { type: 'object', required: ['cases', 'doctests', 'runtime'] },
      },
    },
  ],
};

export const SCHEMAS = { raw: RAW_SCHEMA, messages: MESSAGES_SCHEMA, alpaca: ALPACA_SCHEMA, sharegpt: SHAREGPT_SCHEMA };

/** A JSONL file's lines, as `datasets`' JSON builder reads them: each an object, one JSON type per column. */
export function readJsonl(text: string): Record<string, unknown>[] {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the last line has no newline');
  const rows = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line, i) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error(`line ${i + 1}: not an object`);
      return value as Record<string, unknown>;
    });
  const columnTypes = new Map<string, string>();
  for (const [i, row] of rows.entries())
    for (const [key, value] of Object.entries(row)) {
      if (value === null) continue; // Arrow makes a column nullable
      const type = Array.isArray(value) ? 'array' : typeof value;
      const seen = columnTypes.get(key);
      if (seen && seen !== type) throw new Error(`line ${i + 1}: column ${key} changed from ${seen} to ${type}`);
      columnTypes.set(key, type);
    }
  return rows;
}

/** TRL's `is_conversational`, and the alternation its chat templates need. */
export function trlConversation(row: Record<string, unknown>): { role: string; content: string }[] {
  const messages = row['messages'];
  if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'object' && m !== null && 'role' in m))
    throw new Error('not conversational (TRL is_conversational)');
  const roles = messages.map((m: { role: string }) => m.role);
  const turns = roles[0] === 'system' ? roles.slice(1) : roles;
  if (turns.some((role, i) => role !== (i % 2 === 0 ? 'user' : 'assistant')) || turns.at(-1) !== 'assistant')
    throw new Error(`roles do not alternate user/assistant: ${roles.join(',')}`);
  return messages as { role: string; content: string }[];
}

/** Axolotl's chat_template: `field_messages`, property mappings, and its default role names. */
export function axolotlChatTemplate(
  row: Record<string, unknown>,
  fieldMessages: string,
  mappings: { role: string; content: string },
): { role: string; content: string }[] {
  const roles: Record<string, string[]> = {
    user: ['human', 'user'],
    assistant: ['gpt', 'assistant'],
    system: ['system'],
  };
  const messages = row[fieldMessages];
  if (!Array.isArray(messages)) throw new Error(`no list under ${fieldMessages}`);
  return messages.map((m: Record<string, unknown>) => {
    const raw = m[mappings.role];
    const role = Object.keys(roles).find((r) => roles[r]!.includes(String(raw)));
    if (!role || typeof m[mappings.content] !== 'string') throw new Error(`unmapped message ${JSON.stringify(m)}`);
    return { role, content: m[mappings.content] as string };
  });
}

// LLaMA-Factory (src/llamafactory/data/parser.py, converter.py), ported.

type DatasetAttr = Record<string, string | null | boolean> & { formatting: string; file_name: string };

/** DatasetAttr with its defaults, then `join(attr)`: a column or tag not listed under `columns`/`tags` is None. */
export function llamaFactoryAttr(entry: Record<string, unknown>): DatasetAttr {
  const attr: DatasetAttr = {
    file_name: String(entry['file_name']),
    formatting: 'alpaca',
    ranking: false,
    system: null,
    tools: null,
    prompt: 'instruction',
    query: 'input',
    response: 'output',
    history: null,
    messages: 'conversations',
    role_tag: 'from',
    content_tag: 'value',
    user_tag: 'human',
    assistant_tag: 'gpt',
    observation_tag: 'observation',
    function_tag: 'function_call',
    system_tag: 'system',
  };
  attr.formatting = (entry['formatting'] as string | undefined) ?? 'alpaca';
  const columns = entry['columns'] as Record<string, string> | undefined;
  if (columns)
    for (const name of ['prompt', 'query', 'response', 'history', 'messages', 'system', 'tools'])
      attr[name] = columns[name] ?? null;
  const tags = entry['tags'] as Record<string, string> | undefined;
  if (tags)
    for (const name of [
      'role_tag',
      'content_tag',
      'user_tag',
      'assistant_tag',
      'observation_tag',
      'function_tag',
      'system_tag',
    ])
      attr[name] = tags[name] ?? null;
  return attr;
}

export type Aligned = {
  prompt: { role: string; content: string }[];
  response: { role: string; content: string }[];
  system: string;
};

/** One example as LLaMA-Factory's converter makes it; throws where it would log "abnormal example". */
export function llamaFactoryConvert(attr: DatasetAttr, example: Record<string, unknown>): Aligned {
  const col = (name: string): unknown => {
    const key = attr[name];
    if (typeof key !== 'string') return undefined;
    if (!(key in example)) throw new Error(`KeyError: ${key}`); // a datasets row has every declared column
    return example[key];
  };
  if (attr.formatting === 'alpaca') {
    const query = [col('prompt'), col('query')].filter((v) => typeof v === 'string' && v !== '') as string[];
    const response = col('response');
    if (typeof response !== 'string') throw new Error('alpaca example without a string response');
    return {
      prompt: [{ role: 'user', content: query.join('\n') }],
      response: [{ role: 'assistant', content: response }],
      system: typeof attr['system'] === 'string' ? String(col('system')) : '',
    };
  }
  if (attr.formatting !== 'sharegpt') throw new Error(`unknown formatting ${attr.formatting}`);
  const tag = (name: string) => attr[name] as string;
  const mapping: Record<string, string> = {
    [tag('user_tag')]: 'user',
    [tag('assistant_tag')]: 'assistant',
    [tag('system_tag')]: 'system',
  };
  let messages = col('messages') as Record<string, string>[];
  let system = '';
  if (attr['system_tag'] && messages.length > 0 && messages[0]![tag('role_tag')] === attr['system_tag']) {
    system = messages[0]![tag('content_tag')]!;
    messages = messages.slice(1);
  } else if (attr['system']) system = String(col('system'));
  const accept = [
    [tag('user_tag'), attr['observation_tag']],
    [tag('assistant_tag'), attr['function_tag']],
  ];
  const aligned = messages.map((m, i) => {
    if (!accept[i % 2]!.includes(m[tag('role_tag')]!))
      throw new Error(`Invalid role tag in ${JSON.stringify(messages)}`);
    return { role: mapping[m[tag('role_tag')]!]!, content: m[tag('content_tag')]! };
  });
  if (aligned.length % 2 !== 0) throw new Error(`Invalid message count in ${JSON.stringify(messages)}`);
  return { prompt: aligned.slice(0, -1), response: aligned.slice(-1), system };
}

/** LLaMA-Factory's loader on a dataset folder: each entry's file must exist and be a .json/.jsonl it reads. */
export function llamaFactoryLoad(
  datasetInfo: Record<string, Record<string, unknown>>,
  files: ReadonlyMap<string, string>,
): Map<string, Aligned[]> {
  const loaded = new Map<string, Aligned[]>();
  for (const [name, entry] of Object.entries(datasetInfo)) {
    const attr = llamaFactoryAttr(entry);
    const content = files.get(attr.file_name);
    if (content === undefined) throw new Error(`File ${attr.file_name} not found.`);
    if (!/\.jsonl?$/.test(attr.file_name)) throw new Error(`Allowed file types: json, jsonl (${attr.file_name})`);
    loaded.set(
      name,
      readJsonl(content).map((row) => llamaFactoryConvert(attr, row)),
    );
  }
  return loaded;
}
