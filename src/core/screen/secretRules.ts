/**
 * What the secrets and personal-data screen looks for, as data: provider patterns (each with the
 * placeholder that replaces a match and how much of it may be shown), the names that make an assigned
 * value a password or a key, and the personal data rules (e-mail, IP, personal names in credits).
 *
 * Decisions, and why:
 * - Provider keys are matched by their documented prefixes and lengths; AWS's published example keys
 *   (`AKIAIOSFODNN7EXAMPLE`…) are documentation, not secrets.
 * - A value assigned to a password-like name (`password`, `passwd`, `pwd`, `db_pass`) is a password
 *   unless it is a placeholder (`""`, `"changeme"`, `"<password>"`, `"${DB_PASSWORD}"`, `"%s"`, `"***"`);
 *   in prose (comments, instructions) the value must also look like one (a digit, a symbol or mixed case),
 *   because "the password: must be set" is prose, not a password.
 * - A value assigned to a key-like name (`api_key`, `secret`, `token`, `client_secret`) is a secret only
 *   when it looks random: 16+ characters, no spaces, two kinds of characters, ≥ 3.3 bits of entropy per
 *   character (the tokenizer's `token = "("` and hmac's `key = b"\x0b" * 20` are not secrets).
 * - E-mail addresses at reserved example domains (RFC 2606/6761: example.com/.org/.net, *.example,
 *   *.test, *.invalid, *.localhost) are not anyone's; nor are role addresses that name no person
 *   (`git@`, `noreply@`), nor file names that look like addresses (`icon@2x.png`). Every other address
 *   counts, including made-up ones in test data (`aperson@dom.ain`): nothing tells them from real ones.
 * - An IPv4 address is personal data only when it can point at someone's machine: loopback, private
 *   (10/8, 172.16/12, 192.168/16), link-local, carrier NAT (100.64/10), documentation (192.0.2/24,
 *   198.51.100/24, 203.0.113/24), benchmarking (198.18/15), multicast and reserved ranges are not, nor
 *   are well-known public resolvers (8.8.8.8, 1.1.1.1…), nor dotted numbers that are versions or OIDs
 *   (`v1.2.3.4`, `version 2.0.1.4`, `1.3.6.1.4.1`). IPv6 addresses are not looked for.
 * - Personal names only where code credits a person: `Author:`/`Written by`/`Maintainer:`/`@author`/
 *   `Copyright (c) 2019`, `__author__ = "…"`, followed by two to four capitalised words that are not an
 *   organisation ("Python Software Foundation", "The Authors"). Not found: names anywhere else (in
 *   prose, data, identifiers, URLs, handles like @jdoe), single-word names, names in scripts without
 *   letter case (Chinese, Japanese…), names written in lower case.
 */

export type SecretRule = {
  kind: 'secret' | 'pii';
  rule: string;
  /** Global; the secret is capture group 1 when there is one, else the whole match. */
  pattern: RegExp;
  /** What replaces the secret: it parses wherever the secret sat (inside a string or a comment). */
  placeholder: string;
  /** Characters at the start of the secret that may be shown (a provider prefix, never the secret). */
  shown: number;
  /** Further checks on the secret and the text around it. */
  accept?: (secret: string, before: string) => boolean;
};

const EXAMPLE_AWS = new Set(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);

/** Provider patterns, most specific first (an overlap keeps the earlier rule). */
export const PROVIDER_RULES: readonly SecretRule[] = [
  {
    kind: 'secret',
    rule: 'private-key',
    // Group 1 is the secret: the whole block (header, body, footer), so all of it is masked and redacted.
    pattern:
      /(-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \2PRIVATE KEY\3-----|$(?![\s\S])))/g,
    placeholder: '<REDACTED_PRIVATE_KEY>',
    shown: 0,
  },
  {
    kind: 'secret',
    rule: 'anthropic-key',
    pattern: /\b(sk-ant-[a-z]+\d*-[A-Za-z0-9_-]{32,})/g,
    placeholder: '<REDACTED_ANTHROPIC_KEY>',
    shown: 7,
  },
  {
    kind: 'secret',
    rule: 'openai-key',
    pattern: /\b(sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,})/g,
    placeholder: '<REDACTED_OPENAI_KEY>',
    shown: 3,
    accept: (secret) => /\d/.test(secret) && /[A-Za-z]/.test(secret.slice(3)) && entropy(secret) >= 3.5,
  },
  {
    kind: 'secret',
    rule: 'github-token',
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g,
    placeholder: '<REDACTED_GITHUB_TOKEN>',
    shown: 4,
  },
  {
    kind: 'secret',
    rule: 'aws-access-key-id',
    pattern: /\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Za-z0-9])/g,
    placeholder: '<REDACTED_AWS_KEY>',
    shown: 4,
    accept: (secret) => !EXAMPLE_AWS.has(secret) && !secret.endsWith('EXAMPLE'),
  },
  {
    kind: 'secret',
    rule: 'aws-secret-access-key',
    pattern: /(?:aws|secret)[\w .-]{0,30}?["']?\s*[=:]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    placeholder: '<REDACTED_AWS_SECRET>',
    shown: 0,
    accept: (secret) => !EXAMPLE_AWS.has(secret) && looksRandom(secret),
  },
  {
    kind: 'secret',
    rule: 'slack-webhook',
    pattern: /(https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{20,})/g,
    placeholder: '<REDACTED_SLACK_WEBHOOK>',
    shown: 31,
  },
  {
    kind: 'secret',
    rule: 'slack-token',
    pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,})/g,
    placeholder: '<REDACTED_SLACK_TOKEN>',
    shown: 5,
  },
  {
    kind: 'secret',
    rule: 'google-api-key',
    pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    placeholder: '<REDACTED_GOOGLE_API_KEY>',
    shown: 4,
  },
  {
    kind: 'secret',
    rule: 'stripe-key',
    pattern: /\b((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,})/g,
    placeholder: '<REDACTED_STRIPE_KEY>',
    shown: 8,
  },
  {
    kind: 'secret',
    rule: 'jwt',
    pattern: /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
    placeholder: '<REDACTED_JWT>',
    shown: 3,
  },
  {
    kind: 'secret',
    rule: 'url-password',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]+:([^\s/@"'<>]+)@[^\s/"'<>]+/gi,
    placeholder: '<REDACTED_PASSWORD>',
    shown: 0,
    accept: (secret) => !isPlaceholder(secret),
  },
];

/** Two to four capitalised words (initials and particles such as "van" allowed), on one line. */
export const PERSON_NAME = String.raw`\p{Lu}[\p{Ll}'’-]+(?:[ \t]+(?:\p{Lu}\.|\p{Lu}[\p{Ll}'’-]+|van|von|de|der|da|di|la|le|del)){1,3}(?![\p{L}])`;

/** Words after which code credits a person (matched in any letter case; the name itself must be capitalised). */
const CREDIT_WORDS = [
  'authors?',
  'maintainers?',
  'maintained by',
  'written by',
  'created by',
  'contributed by',
  'developed by',
  'coded by',
];

/** A regex source matching `words` in any letter case (`i` would also let `\p{Lu}` match lower case). */
function anyCase(words: string): string {
  return words.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
}

/**
 * Words before a dotted number that make it a version or a section, not an address: `version 2.0.1.4`,
 * `v1.2.3.4` just before it; `section`, `§`, `chapter` or an RFC anywhere before it on its line (the
 * HTML5 spec's `sections "8.2.4.44" and "8.2.4.45"`, `rfc7231#section-7.1.1.1`, `RFC 4291 2.5.5.2`).
 */
const NUMBERED_BEFORE =
  /(?:(?:version|release|\bv(?:er)?\.?)[\s"':=]*|(?:\bsections?|§|\bchapter|\bclause|\brfc[\s-]*\d+)[^\n]*)$/i;

/** Personal data. */
export const PII_RULES: readonly SecretRule[] = [
  {
    kind: 'pii',
    rule: 'email',
    pattern: /(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-]|\.\w)/g,
    placeholder: 'user@example.com',
    shown: 1,
    accept: (secret) => personalEmail(secret),
  },
  {
    kind: 'pii',
    rule: 'ip',
    pattern:
      /(?<![\w.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?![\w.]|\.\d)/g,
    placeholder: '192.0.2.1',
    shown: 0,
    accept: (secret, before) => publicIp(secret) && !NUMBERED_BEFORE.test(before),
  },
  {
    kind: 'pii',
    rule: 'name',
    pattern: new RegExp(
      String.raw`(?:\b(?:${CREDIT_WORDS.map(anyCase).join('|')})\b\s*[:=-]?\s*|@${anyCase('author')}\s+|` +
        String.raw`\b${anyCase('copyright')}\s*(?:\([cC]\)|©)?\s*(?:\d{4}(?:\s*[-–,]\s*\d{4})*,?\s*)?(?:by\s+)?)` +
        `(${PERSON_NAME})`,
      'gu',
    ),
    placeholder: '<NAME>',
    shown: 0,
    accept: (secret) => personName(secret),
  },
];

/** Names that make an assigned value a password. */
export const PASSWORD_NAME = /^(?:password|passwd|passphrase|pwd|pass|pw)$/i;
/** Names that make an assigned random-looking value a secret. */
export const KEY_NAME =
  /^(?:key|secret|token|apikey|api|auth|credential|credentials|access|private|client|bearer|signing|session)$/i;

/** The words of an identifier (`dbPassword`, `DB_PASSWORD`, `api-key` → db, password / api, key). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * A generated-looking value: long, no spaces, two kinds of characters, enough entropy, and not words
 * joined up (`invalid-message-id`, `Proxy-Authorization`, `_threading_local._localimpl.`: names and
 * headers, words of two letters or more, one of four or more, where random letters break into short
 * pieces: one upper-case letter in two is followed by another).
 */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value)) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((k) => k.test(value)).length;
  return kinds >= 2 && entropy(value) >= 3.3 && !isPlaceholder(value) && !joinedWords(value);
}

function joinedWords(value: string): boolean {
  if (!/^[A-Za-z_.:/-]+$/.test(value)) return false;
  const words = nameWords(value);
  return words.every((w) => w.length >= 2) && words.some((w) => w.length >= 4);
}

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|-+|_+|#+|0+|changeme|change[_-]?me|change[_-]?it|password\d*|passwd|pass|secret|token|key|test|testing|dummy|fake|none|null|nil|undefined|todo|tbd|redacted|hidden|sample|example|default|admin|root|guest|user|username|demo|foo|bar|foobar|abc|abcd|1234|12345|123456|qwerty)$/i;

/** A value that stands for a secret rather than being one: empty, a mask, a template, a sample word. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v.length < 4 ||
    PLACEHOLDER.test(v) ||
    /[{}<>$%]|^\[.*\]$/.test(v) ||
    /^(?:your|my|the|some|enter|insert|replace|put)[_ -]?/i.test(v) ||
    /(?:here|placeholder|example|xxx|\.\.\.)$/i.test(v) ||
    /^(?:os\.|env\.|getenv)/i.test(v)
  );
}

/** A password-like value in prose: a digit, a symbol or mixed case (not a plain word of the sentence). */
export function proseSecret(value: string): boolean {
  return /\d/.test(value) || /[^A-Za-z]/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value.slice(1)));
}

const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local|lan|internal|home)$/i;
const ROLE_LOCAL = /^(?:git|noreply|no-reply|donotreply|do-not-reply|mailer-daemon|postmaster)$/i;
const FILE_TLD =
  /^(?:png|jpe?g|gif|svg|webp|ico|bmp|py|pyc|pyi|js|mjs|ts|css|html?|txt|md|rst|json|ya?ml|toml|cfg|ini|xml|csv|zip|gz|tar|bz2|xz|so|dll|exe|pdf|whl)$/i;

function personalEmail(address: string): boolean {
  const [local = '', domain = ''] = address.split('@');
  const tld = domain.split('.').pop() ?? '';
  return !RESERVED_DOMAIN.test(domain) && !ROLE_LOCAL.test(local) && !FILE_TLD.test(tld);
}

/** Public resolvers: infrastructure everyone uses, not someone's machine. */
const RESOLVERS = new Set([
  '8.8.8.8',
  '8.8.4.4',
  '1.1.1.1',
  '1.0.0.1',
  '9.9.9.9',
  '149.112.112.112',
  '208.67.222.222',
  '208.67.220.220',
]);

function publicIp(address: string): boolean {
  const [a = 0, b = 0, c = 0] = address.split('.').map(Number);
  if (RESOLVERS.has(address)) return false;
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false;
  if (a === 198 && (b === 18 || b === 19)) return false;
  if (a === 198 && b === 51 && c === 100) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  return true;
}

const ORGANISATION =
  /^(?:the|python|software|foundation|inc|ltd|llc|gmbh|corp|corporation|company|co|authors?|contributors?|project|team|group|university|institute|labs?|systems|technologies|development|developers|community|free|open|source|all|rights|reserved|google|microsoft|apple|facebook|meta|amazon|oracle|ibm|intel|mozilla|apache|license|licensed|copyright|et|al|others|and|or|of|for|in|by|see|file|this|code|module|package|version|modified|updated|original|unknown|anonymous|various|national|research|center|centre|association|consortium|digital|creations|cnri|beopen|mathematical|centrum|stichting|wiskunde|informatica|amsterdam|netherlands|corporate|public|domain|secret|labs|ab|pythonware|zope|enthought|continuum|anaconda|nvidia|openai|anthropic)$/i;

/** Two to four words, none of them an organisation's (or a word of legalese). */
export function personName(name: string): boolean {
  const words = name.split(/\s+/);
  return words.length >= 2 && words.every((w) => !ORGANISATION.test(w.replace(/[.'’-]+$/, '')));
}
