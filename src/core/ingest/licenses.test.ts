/**
 * Licence detection on real licence texts: the project's own HumanEval licence (MIT) and MBPP notice
 * (CC BY 4.0), and the texts in test/fixtures/licenses (copied from Debian's common-licenses, CPython's
 * LICENSE, and licence files of npm and PyPI packages: see the README there), each as its file says.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectSpdx, isLicenseFileName, spdxHeader } from './licenses.ts';

const FIXTURES = new URL('../../../test/fixtures/licenses/', import.meta.url);
const BENCHMARKS = new URL('../../../data/benchmarks/', import.meta.url);
const text = (dir: URL, name: string) => readFileSync(new URL(name, dir), 'utf8');

describe('detectSpdx on real licence texts', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.txt'));

  it('has a fixture for every licence the card must name', () => {
    const ids = files.map((name) => name.replace(/\.txt$/, ''));
    for (const id of ['MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'GPL-2.0', 'GPL-3.0', 'LGPL-2.1'])
      expect(ids).toContain(id);
    for (const id of ['LGPL-3.0', 'MPL-2.0', 'ISC', 'Unlicense', 'CC0-1.0', 'PSF-2.0']) expect(ids).toContain(id);
  });

  it.each(files)('%s', (name) => {
    expect(detectSpdx(text(FIXTURES, name))).toBe(name.replace(/\.txt$/, ''));
  });

  it("names the project's own benchmark licences", () => {
    expect(detectSpdx(text(BENCHMARKS, 'LICENSE-HumanEval'))).toBe('MIT');
    expect(detectSpdx(text(BENCHMARKS, 'LICENSE-MBPP'))).toBe('CC-BY-4.0');
  });

  it('survives reflowing, Markdown and other copyright lines', () => {
    const mit = text(FIXTURES, 'MIT.txt');
    const reflowed = `# License\n\n**Copyright © 2024 Someone Else**\n\n${mit.replace(/\n(?!\n)/g, ' ')}`;
    expect(detectSpdx(reflowed)).toBe('MIT');
    expect(detectSpdx(text(FIXTURES, 'Apache-2.0.txt').toUpperCase())).toBe('Apache-2.0');
  });

  it('says null for text that is no licence it knows, and trusts a declared SPDX id', () => {
    expect(detectSpdx('All rights reserved. Do not copy.')).toBeNull();
    expect(detectSpdx('This product includes software developed by Example Corp.\n')).toBeNull();
    expect(detectSpdx('SPDX-License-Identifier: EUPL-1.2\n\nEuropean Union Public Licence')).toBe('EUPL-1.2');
  });
});

describe('isLicenseFileName', () => {
  it.each([
    'LICENSE',
    'LICENCE',
    'license',
    'License.txt',
    'LICENSE.md',
    'LICENSE.rst',
    'COPYING',
    'COPYING.LESSER',
    'NOTICE',
    'NOTICE.txt',
    'UNLICENSE',
    'LICENSE-MIT',
    'LICENSE-APACHE.txt',
    'LICENSE_BSD',
  ])('%s is a licence file', (name) => expect(isLicenseFileName(name)).toBe(true));

  it.each([
    'license.py',
    'LICENSE.pyw',
    'licenses',
    'LICENSES.md',
    'my_license.txt',
    'README.md',
    'NOTICES',
    'licensed',
  ])('%s is not', (name) => expect(isLicenseFileName(name)).toBe(false));
});

describe('spdxHeader', () => {
  it('reads the header of a Python file, however it is commented', () => {
    expect(spdxHeader('# SPDX-License-Identifier: MIT\nimport os\n')).toBe('MIT');
    expect(
      spdxHeader('#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n#  SPDX-License-Identifier:  Apache-2.0\n'),
    ).toBe('Apache-2.0');
    expect(spdxHeader('"""SPDX-License-Identifier: GPL-2.0-or-later OR MIT"""\n')).toBe('GPL-2.0-or-later OR MIT');
    expect(spdxHeader('# SPDX-License-Identifier: (MIT OR Apache-2.0)\r\n')).toBe('(MIT OR Apache-2.0)');
  });

  it('ignores the phrase deep in a file or without an id', () => {
    const deep = 'x = 1\n'.repeat(40) + '# SPDX-License-Identifier: MIT\n';
    expect(spdxHeader(deep)).toBeNull();
    expect(spdxHeader('# SPDX-License-Identifier:\n')).toBeNull();
    expect(spdxHeader('def f():\n    return 1\n')).toBeNull();
  });
});
