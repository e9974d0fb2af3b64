/**
 * Licences of a dropped folder: which files are licence texts (by name), which licence a text is (by the
 * phrases that only that licence's text contains, as SPDX ids), and the `SPDX-License-Identifier` header a
 * source file may carry. Pure functions: ingest reads the files, the dataset card says what they found.
 *
 * Detection is by distinctive phrases, not by comparing whole texts: real licence files carry their own
 * copyright lines, reflowed paragraphs, Markdown, and sometimes several licences (CPython's LICENSE holds
 * the PSF agreement, three older ones and a zero-clause BSD): the first rule that matches wins, so the more
 * specific licences come first (LGPL before GPL, which names the LGPL; PSF before ISC, whose grant its
 * zero-clause BSD part repeats; ISC before 0BSD).
 */

/** Licence files are small; a larger file of that name is not read as one (it is skipped as not Python). */
export const MAX_LICENSE_BYTES = 256 * 1024;
/** What is stored of a licence file's text (LicenseRow.text). */
export const LICENSE_TEXT_CHARS = 64 * 1024;

/** LICENSE, LICENCE, COPYING, NOTICE, UNLICENSE, optionally `-MIT`/`.LESSER`-like, optionally .txt/.md/.rst. */
const LICENSE_NAME = /^(?:licen[cs]e|copying|notice|unlicense)(?:[-_.][a-z0-9][a-z0-9.+-]*)?$/i;
const TEXT_EXTENSION = /\.(?:txt|md|rst)$/i;

/** Whether a file of this name is read as a licence text (a Python file never is: `license.py` is code). */
export function isLicenseFileName(name: string): boolean {
  if (/\.pyw?$/i.test(name)) return false;
  return LICENSE_NAME.test(name.replace(TEXT_EXTENSION, ''));
}

/** Lower case, every run of non-alphanumerics one space: "Version 2.0," and "version 2 0" read the same. */
function normalise(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

type Rule = { spdx: string; all: string[]; none?: string[] };

const RULES: readonly Rule[] = [
  { spdx: 'Apache-2.0', all: ['apache license', 'version 2 0'] },
  { spdx: 'MPL-2.0', all: ['mozilla public license version 2 0'] },
  { spdx: 'MPL-2.0', all: ['mozilla public license v 2 0'] },
  // GPL-3.0's section 13 names "version 3 of the GNU Affero General Public License": the AGPL's own heading.
  { spdx: 'AGPL-3.0', all: ['gnu affero general public license version 3 19 november 2007'] },
  { spdx: 'LGPL-3.0', all: ['gnu lesser general public license version 3'] },
  { spdx: 'LGPL-2.1', all: ['gnu lesser general public license version 2 1'] },
  { spdx: 'LGPL-2.0', all: ['gnu library general public license version 2'] },
  { spdx: 'GPL-3.0', all: ['gnu general public license version 3 29 june 2007'] },
  { spdx: 'GPL-2.0', all: ['gnu general public license version 2 june 1991'] },
  { spdx: 'CC0-1.0', all: ['cc0 1 0 universal'] },
  { spdx: 'CC-BY-4.0', all: ['creative commons attribution 4 0 international'] },
  { spdx: 'Unlicense', all: ['this is free and unencumbered software released into the public domain'] },
  { spdx: 'PSF-2.0', all: ['license agreement is between the python software foundation'] },
  { spdx: 'PSF-2.0', all: ['python software foundation license version 2'] },
  { spdx: 'MIT', all: ['permission is hereby granted free of charge to any person obtaining a copy'] },
  {
    spdx: 'ISC',
    all: ['distribute this software for any purpose with or without fee is hereby granted provided that the above'],
  },
  { spdx: '0BSD', all: ['distribute this software for any purpose with or without fee is hereby granted'] },
  {
    spdx: 'BSD-4-Clause',
    all: ['redistribution and use in source and binary forms', 'all advertising materials mentioning'],
  },
  {
    spdx: 'BSD-3-Clause',
    all: ['redistribution and use in source and binary forms', 'may be used to endorse or promote products'],
  },
  {
    spdx: 'BSD-2-Clause',
    all: ['redistribution and use in source and binary forms', 'redistributions in binary form must reproduce'],
  },
].map((rule) => ({ ...rule, all: rule.all.map(normalise) }));

/**
 * The SPDX id of a licence text, or null when it matches none of the licences known here. A text that
 * names its own id (`SPDX-License-Identifier: X`) is taken at its word.
 */
export function detectSpdx(text: string): string | null {
  const declared = spdxHeader(text);
  if (declared) return declared;
  const normal = normalise(text);
  return RULES.find((rule) => rule.all.every((phrase) => normal.includes(phrase)))?.spdx ?? null;
}

/** Only the top of a file: a header is a comment there, not a string deep in some licence-scanning code. */
const HEADER_LINES = 30;
const SPDX_HEADER = /SPDX-License-Identifier:\s*([A-Za-z0-9(][A-Za-z0-9.+\-() ]*?)\s*(?:\*\/|-->|"""|''')?\s*$/;

/** The licence expression of a `SPDX-License-Identifier:` line among a file's first lines, or null. */
export function spdxHeader(text: string): string | null {
  const lines = text.slice(0, 8192).split('\n', HEADER_LINES);
  for (const line of lines) {
    const match = SPDX_HEADER.exec(line.trimEnd());
    if (match?.[1]) return match[1].trim();
  }
  return null;
}
