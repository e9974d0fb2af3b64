import { describe, expect, it } from 'vitest';
import { fileKind, folderSkipReason, isPythonShebang, readFailure } from './rules.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('folderSkipReason', () => {
  it.each([
    ['.git', 'vcs'],
    ['.hg', 'vcs'],
    ['.svn', 'vcs'],
    ['node_modules', 'node_modules'],
    ['__pycache__', 'pycache'],
    ['.venv', 'virtualenv'],
    ['venv', 'virtualenv'],
    ['.tox', 'virtualenv'],
    ['.nox', 'virtualenv'],
    ['site-packages', 'virtualenv'],
  ])('%s → %s', (name, reason) => expect(folderSkipReason(name)).toBe(reason));

  it.each(['src', 'git', '.github', 'venvs', 'Node_Modules'])('keeps %s', (name) => {
    expect(folderSkipReason(name)).toBeNull();
  });
});

describe('fileKind', () => {
  it.each([
    ['a.py', 'python'],
    ['gui.pyw', 'python'],
    ['LOUD.PY', 'python'],
    ['a.tar.py', 'python'],
    ['types.pyi', 'type_stub'],
    ['x.pyc', 'not_python'],
    ['README.md', 'not_python'],
    ['.gitignore', 'not_python'],
    ['.hidden.py', 'python'],
    ['manage', 'maybe_script'],
    ['py', 'maybe_script'],
  ])('%s → %s', (name, kind) => expect(fileKind(name)).toBe(kind));
});

describe('isPythonShebang', () => {
  it.each([
    '#!/usr/bin/env python3\n',
    '#!/usr/bin/python3.11 -u\nx',
    '#! /opt/bin/python',
    '#!/usr/bin/env -S python3 -X dev\n',
  ])('accepts %j', (text) => expect(isPythonShebang(utf8(text))).toBe(true));

  it.each(['#!/bin/sh\n# python inside\n', 'import os  #!python\n', '\n#!/usr/bin/python', '#!/bin/bash', ''])(
    'rejects %j',
    (text) => expect(isPythonShebang(utf8(text))).toBe(false),
  );
});

describe('readFailure', () => {
  it('recognises an unsupported zip entry by its code, whatever the message', () => {
    const err = Object.assign(new Error('zip_unsupported is not mentioned here'), { code: 'zip_unsupported' });
    expect(readFailure(err)).toEqual({ reason: 'zip_unsupported', detail: 'zip_unsupported is not mentioned here' });
  });

  it('treats any other failure as unreadable, message kept', () => {
    expect(readFailure(new Error('zip_unsupported'))).toEqual({ reason: 'unreadable', detail: 'zip_unsupported' });
    expect(readFailure('EACCES')).toEqual({ reason: 'unreadable', detail: 'EACCES' });
  });
});
