/**
 * The secrets and personal-data screen on planted data: one secret of every kind a provider rule, an
 * assignment or the entropy check knows, and personal data, each in the kind of code it turns up in; each
 * is found with its rule, field and line, shown only masked, and redacted so that the code still compiles
 * (native CPython, where this machine has one). Then what must not be found: placeholders, documentation
 * keys and addresses, versions, and the standard library, HumanEval and MBPP, which hold no credentials.
 * Keys are generated here (seeded), so no real-looking key is written in the repository.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { humanEval, mbpp } from '../../../test/builders/benchmarks.ts';
import { nativeCompiles, nativePythonFor } from '../../../test/builders/nativeCompile.ts';
import type { Sample } from '../../domain/dataset.ts';
import { folderFromZip } from '../../adapters/files/zip.ts';
import { ingestFolder } from '../ingest/walk.ts';
import { redact } from './redact.ts';
import { secretFindings } from './secrets.ts';

/** A small seeded generator (mulberry32), so the planted keys are the same on every run. */
function random(seed: number): (alphabet: string, length: number) => string {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (alphabet, length) => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

const pick = random(20260203);
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = UPPER + UPPER.toLowerCase() + DIGITS;
const B64 = ALNUM + '/+';
const URLSAFE = ALNUM + '_-';

/** A planted secret: where it sits in a program, the rule that must find it, and what must not be shown. */
type Plant = { name: string; code: string; rule: string; kind: 'secret' | 'pii'; secret: string; line: number };

function plant(name: string, kind: Plant['kind'], rule: string, secret: string, code: (s: string) => string): Plant {
  const text = code(secret);
  const line = text.slice(0, text.indexOf(secret)).split('\n').length;
  return { name, code: text, rule, kind, secret, line };
}

const fn = (body: string) =>
  `import os\n\n\ndef connect(host):\n    """Open a client for host."""\n${body}\n    return host\n`;

const PLANTS: Plant[] = [
  plant('AWS access key id', 'secret', 'aws-access-key-id', `AKIA${pick(UPPER + DIGITS, 16)}`, (s) =>
    fn(`    key_id = "${s}"`),
  ),
  plant('AWS secret access key', 'secret', 'aws-secret-access-key', pick(B64, 40), (s) =>
    fn(`    aws_secret_access_key = '${s}'`),
  ),
  plant('OpenAI key', 'secret', 'openai-key', `sk-proj-${pick(URLSAFE, 48)}`, (s) =>
    fn(`    client = make_client(api_key="${s}")`),
  ),
  plant('Anthropic key', 'secret', 'anthropic-key', `sk-ant-api03-${pick(URLSAFE, 93)}`, (s) =>
    fn(`    headers = {"x-api-key": "${s}"}`),
  ),
  plant('GitHub token', 'secret', 'github-token', `ghp_${pick(ALNUM, 36)}`, (s) => fn(`    # token: ${s}`)),
  plant('Google API key', 'secret', 'google-api-key', `AIza${pick(URLSAFE, 35)}`, (s) =>
    fn(`    url = f"https://maps.example.net/api?key=${s}&q={host}"`),
  ),
  plant(
    'Slack token',
    'secret',
    'slack-token',
    `xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`,
    (s) => fn(`    slack = SlackClient("${s}")`),
  ),
  plant(
    'Slack webhook',
    'secret',
    'slack-webhook',
    `https://hooks.slack.com/services/T${pick(UPPER + DIGITS, 8)}/B${pick(UPPER + DIGITS, 8)}/${pick(ALNUM, 24)}`,
    (s) => fn(`    hook = '${s}'`),
  ),
  plant('Stripe key', 'secret', 'stripe-key', `sk_live_${pick(ALNUM, 24)}`, (s) => fn(`    stripe.api_key = "${s}"`)),
  plant('JWT', 'secret', 'jwt', `eyJ${pick(URLSAFE, 30)}.eyJ${pick(URLSAFE, 60)}.${pick(URLSAFE, 43)}`, (s) =>
    fn(`    bearer = "Bearer ${s}"`),
  ),
  plant(
    'private key',
    'secret',
    'private-key',
    `-----BEGIN RSA PRIVATE KEY-----\n${Array.from({ length: 6 }, () => pick(B64, 64)).join('\n')}\n-----END RSA PRIVATE KEY-----`,
    (s) => `PRIVATE_KEY = """${s}"""\n\n\ndef sign(data):\n    return PRIVATE_KEY, data\n`,
  ),
  plant('password in a URL', 'secret', 'url-password', `${pick(ALNUM, 14)}`, (s) =>
    fn(`    dsn = "postgresql://app:${s}@db.prod.acme-corp.net:5432/orders"`),
  ),
  plant('password assigned', 'secret', 'password', `Tr0ub4dor&${pick(DIGITS, 3)}`, (s) =>
    fn(`    DB_PASSWORD = "${s}"`),
  ),
  plant('password as a keyword argument', 'secret', 'password', `hunter${pick(DIGITS, 4)}`, (s) =>
    fn(`    conn = db.connect(user="admin", password="${s}")`),
  ),
  plant('password in a dict', 'secret', 'password', `s3cr3t-${pick(ALNUM, 6)}`, (s) =>
    fn(`    settings = {"user": "admin", "passwd": "${s}"}`),
  ),
  plant('token by entropy', 'secret', 'generic-secret', pick('0123456789abcdef', 40), (s) =>
    fn(`    auth_token = "${s}"`),
  ),
  plant('e-mail address', 'pii', 'email', 'jane.roe@gmail.com', (s) => fn(`    # questions to ${s}`)),
  plant('IP address', 'pii', 'ip', '93.184.216.34', (s) => fn(`    fallback = "${s}"`)),
  plant('name credited in a comment', 'pii', 'name', 'Margaret Hamilton', (s) => `# Author: ${s}\n${fn('    pass')}`),
  plant('name in __author__', 'pii', 'name', 'Grace Hopper', (s) => `__author__ = "${s}"\n${fn('    pass')}`),
];

/** Six characters from the middle of a secret: no excerpt or redacted text may hold them. */
const middle = (secret: string): string => secret.slice(secret.length / 2 - 3, secret.length / 2 + 3);

const sampleOf = (response: string, instruction = 'Open a client.', tests: string[] = []): Sample => ({
  id: 'x.py::f::1',
  method: 'natural-doctest',
  path: 'x.py',
  instruction,
  response,
  tests,
  entryPoint: 'f',
  record: { response, tests },
});

describe('planted secrets and personal data', () => {
  it.each(PLANTS)('$name is found, shown masked', (p) => {
    const found = secretFindings(sampleOf(p.code));
    expect(found).toContainEqual({
      kind: p.kind,
      rule: p.rule,
      field: 'response',
      line: p.line,
      excerpt: expect.any(String),
    });
    for (const f of found) expect(f.excerpt).not.toContain(middle(p.secret));
  });

  it('are found in the instruction and the tests too, with their line', () => {
    const key = PLANTS[0]!.secret;
    const found = secretFindings(
      sampleOf('def f():\n    return 1\n', `Connect with key ${key}.`, [
        'assert f() == 1',
        `assert g(\n  "${key}"\n) == 1`,
      ]),
    );
    expect(found.map((f) => [f.field, f.line, f.rule])).toEqual([
      ['instruction', 1, 'aws-access-key-id'],
      ['tests', 3, 'aws-access-key-id'],
    ]);
  });

  it('are redacted out of the sample and its raw record, and the code still compiles', () => {
    const samples = PLANTS.map((p) => sampleOf(p.code));
    const redacted = samples.map((s) => redact(s, secretFindings(s)));
    PLANTS.forEach((p, i) => {
      const out = redacted[i]!;
      expect(out.response, p.name).not.toContain(middle(p.secret));
      expect(JSON.stringify(out.record), p.name).not.toContain(middle(p.secret));
      expect(
        secretFindings(out).filter((f) => f.rule === p.rule),
        p.name,
      ).toEqual([]);
    });
    const python = nativePythonFor(12) ?? nativePythonFor(13) ?? nativePythonFor(11);
    if (!python) return;
    expect(
      nativeCompiles(
        python,
        samples.map((s) => s.response),
      ).every(Boolean),
    ).toBe(true);
    const compiled = nativeCompiles(
      python,
      redacted.map((s) => s.response),
    );
    expect(PLANTS.filter((_, i) => !compiled[i]).map((p) => p.name)).toEqual([]);
  });
});

describe('what is not a secret nor personal data', () => {
  const NOT_FOUND: [string, string][] = [
    ['placeholder password', 'password = "changeme"'],
    ['password from the environment', 'password = os.environ["DB_PASSWORD"]'],
    ['template', 'api_key = "${API_KEY}"'],
    ["AWS's documentation key", 'key_id = "AKIAIOSFODNN7EXAMPLE"'],
    ['address at a reserved domain', '# write to jane@example.com'],
    ['role address', 'url = "git@github.com:owner/repo.git"'],
    ['file name with an @', 'icon = "icon@2x.png"'],
    ['matrix product', 'y = weight@other.weight'],
    ['private address', 'host = "192.168.1.10"'],
    ['loopback', 'host = "127.0.0.1"'],
    ['version', '# version 1.2.3.4'],
    ['spec section', '# see the HTML5 spec, section "13.2.5.8 Tag name state"'],
    ['header name', "token_type = 'invalid-message-id'"],
    ['dotted name', "self.key = '_threading_local._localimpl.' + str(id(self))"],
    ['organisation credited', '# Copyright 2001 Python Software Foundation'],
    ['prose after password:', '# the password: must be set before connecting'],
  ];
  it.each(NOT_FOUND)('%s', (_, line) => {
    expect(secretFindings(sampleOf(`${line}\n`))).toEqual([]);
  });

  it('HumanEval and MBPP hold no secret', () => {
    const found = [
      ...humanEval().flatMap((t) => secretFindings(sampleOf(t.prompt + t.canonical_solution, '', [t.test]))),
      ...mbpp().flatMap((t) => secretFindings(sampleOf(t.code, t.text, t.test_list))),
    ];
    // MBPP/593 strips zeros from public IPv4 addresses in its tests: they are found, and nothing else is.
    expect(found.filter((f) => f.kind === 'secret')).toEqual([]);
    expect(found.map((f) => f.rule)).toEqual(['ip', 'ip']);
  });

  it('the standard library holds no secret', async () => {
    const zip = createRequire(import.meta.url).resolve('pyodide/python_stdlib.zip');
    const source = await folderFromZip(new Blob([readFileSync(zip)]), 'python_stdlib');
    const counts: Record<string, number> = {};
    const secrets: string[] = [];
    for await (const event of ingestFolder(source)) {
      if (event.type !== 'file') continue;
      for (const f of secretFindings(sampleOf(event.file.text))) {
        counts[f.rule] = (counts[f.rule] ?? 0) + 1;
        if (f.kind === 'secret') secrets.push(`${event.file.path}:${f.line} ${f.rule} ${f.excerpt}`);
      }
    }
    // Its credits are real personal data (authors' names and addresses), found as such.
    console.log(`standard library findings by rule: ${JSON.stringify(counts)}`);
    expect(secrets).toEqual([]);
    expect(counts['email']).toBeGreaterThan(100);
    expect(counts['name']).toBeGreaterThan(100);
  }, 120_000);
});
