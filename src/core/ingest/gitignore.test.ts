import { describe, expect, it } from 'vitest';
import { IgnoreScopes } from './gitignore.ts';

describe('IgnoreScopes', () => {
  it('applies a root .gitignore and names the line that matched', () => {
    const scopes = IgnoreScopes.none.with('', '# build output\nbuild/\n*.log\n');
    expect(scopes.match('build', true)).toBe('.gitignore:2:build/');
    expect(scopes.match('build', false)).toBeNull();
    expect(scopes.match('src/deep/run.log', false)).toBe('.gitignore:3:*.log');
    expect(scopes.match('src/app.py', false)).toBeNull();
  });

  it('scopes a nested .gitignore to its own folder, anchored patterns included', () => {
    const scopes = IgnoreScopes.none.with('', '').with('pkg', '/gen.py\n');
    expect(scopes.match('pkg/gen.py', false)).toBe('pkg/.gitignore:1:/gen.py');
    expect(scopes.match('pkg/sub/gen.py', false)).toBeNull();
    expect(scopes.match('gen.py', false)).toBeNull();
    expect(scopes.match('other/gen.py', false)).toBeNull();
  });

  it('lets the deepest .gitignore with an opinion win, in both directions', () => {
    const scopes = IgnoreScopes.none.with('', '*.log\n!keep.txt\n').with('logs', '!important.log\nkeep.txt\n');
    expect(scopes.match('logs/important.log', false)).toBeNull();
    expect(scopes.match('logs/other.log', false)).toBe('.gitignore:1:*.log');
    expect(scopes.match('logs/keep.txt', false)).toBe('logs/.gitignore:2:keep.txt');
    expect(scopes.match('keep.txt', false)).toBeNull();
  });

  it('keeps the last matching line within one file (negation after exclusion)', () => {
    const scopes = IgnoreScopes.none.with('', '*.py\n!main.py\n');
    expect(scopes.match('main.py', false)).toBeNull();
    expect(scopes.match('util.py', false)).toBe('.gitignore:1:*.py');
  });

  it('does not let an excluded parent spill onto a folder a deeper .gitignore re-included', () => {
    const scopes = IgnoreScopes.none.with('', 'sub/x/\n').with('sub', '!x/\n');
    expect(scopes.match('sub/x', true)).toBeNull();
    expect(scopes.match('sub/x/a.py', false)).toBeNull();
  });

  it('handles CRLF files, and dir-only patterns only match folders', () => {
    const scopes = IgnoreScopes.none.with('', 'dist/\r\n*.tmp\r\n');
    expect(scopes.match('dist', true)).toBe('.gitignore:1:dist/');
    expect(scopes.match('dist', false)).toBeNull();
    expect(scopes.match('a.tmp', false)).toBe('.gitignore:2:*.tmp');
  });

  it('is case-sensitive like git by default', () => {
    expect(IgnoreScopes.none.with('', 'Build/\n').match('build', true)).toBeNull();
  });

  it('never leaks rules into the stack it was built from', () => {
    const root = IgnoreScopes.none.with('', '');
    root.with('a', '*.py\n');
    expect(root.match('a/x.py', false)).toBeNull();
  });
});
