/**
 * The printed result: both sides in one table, the ratio app/native, and every count on which the two
 * disagree with the reason, never hidden (the browser's Python is not the machine's python3).
 */
import type { AppResult } from './appRun.ts';
import type { NativeResult } from './nativeRun.ts';

export type Run = {
  corpus: string;
  entries: number;
  cores: number;
  isolated: boolean;
  app: AppResult;
  native: NativeResult;
};

export function report({ corpus, entries, cores, isolated, app, native }: Run): string {
  const s = app.stats;
  const rows: [string, string, string][] = [
    ['', `app (Chromium${isolated ? ', cross-origin isolated' : ''})`, 'baseline: native CPython'],
    ['Python', `${app.python} (Pyodide)`, native.python],
    ['doctests run in', `${app.poolSize} workers (hardwareConcurrency ${app.hardwareConcurrency}, cap 6)`, '1 process'],
    ['files read', fmt(s.read), fmt(native.files)],
    ['not parsed', fmt(s.notParsed), fmt(native.notParsed)],
    ['functions', fmt(s.functions), fmt(native.functions)],
    ['with doctests', fmt(s.withDoctests), fmt(native.withDoctests)],
    ['doctests run', fmt(s.run), fmt(native.doctestsRun)],
    ['passed', fmt(s.passed), fmt(native.passed)],
    ['timed out (10 s)', fmt(s.timedOut), fmt(native.timedOut)],
    ['seconds', `${sec(app.dropToDoneS)} drop to done`, `${sec(native.seconds)} walk to last doctest`],
    [
      '',
      `${sec(app.totalS)} incl. hand-over`,
      `(extract ${sec(native.extractSeconds)}, doctests ${sec(native.verifySeconds)})`,
    ],
  ];
  return [
    `corpus: ${corpus} (${fmt(entries)} files under it, all handed to the browser; ${cores} cores)`,
    '',
    ...table(rows),
    '',
    `ratio app/native: ${ratio(app.dropToDoneS, native.seconds)} drop to done, ` +
      `${ratio(app.totalS, native.seconds)} including the hand-over of the folder to the page`,
    '  drop to done: from the page receiving the files (input change event) to run-status "done"',
    '  hand-over: Playwright setInputFiles, i.e. Chromium listing the folder and making a File per entry',
    '',
    ...agreement(app, native),
    ...native.notes.map((note) => `note: ${note}`),
  ].join('\n');
}

function agreement(app: AppResult, native: NativeResult): string[] {
  const lines: string[] = [];
  const check = (what: string, ours: number, theirs: number): boolean => {
    const same = ours === theirs;
    lines.push(`${what}: ${same ? 'agree' : `DIFFER (app ${fmt(ours)}, native ${fmt(theirs)})`}`);
    return same;
  };
  check('files read', app.stats.read, native.files);
  if (!check('functions', app.stats.functions, native.functions)) lines.push(...functionsExplained(app, native));
  if (!check('doctests run', app.stats.run, native.doctestsRun)) {
    lines.push(
      '  which functions can run depends on the interpreter: the extractor asks it which standard-library',
      '  modules it has, and Pyodide leaves some out (tkinter, curses, ...); those are only run natively.',
    );
  }
  return lines;
}

/** Files one side parsed and the other did not: the usual reason for a function count to differ. */
function functionsExplained(app: AppResult, native: NativeResult): string[] {
  const appFailed = new Set(app.notParsed.paths);
  const byFile = native.functionsByFile;
  const onlyNative = app.notParsed.paths.filter((path) => typeof byFile[path] === 'number');
  const onlyApp = Object.keys(byFile).filter((path) => byFile[path] === null && !appFailed.has(path));
  const inOnlyNative = onlyNative.reduce((sum, path) => sum + (byFile[path] ?? 0), 0);
  const lines = [`  files parsed only by native ${native.python}, with ${inOnlyNative} functions:`];
  lines.push(...onlyNative.map((path) => `    ${path} (${byFile[path]})`));
  if (onlyApp.length > 0)
    lines.push(`  files parsed only by the app's ${app.python}:`, ...onlyApp.map((p) => `    ${p}`));
  if (!app.notParsed.complete)
    lines.push('  (the app listed only part of its unparsed files: the list is longer than one screen)');
  const explained = native.functions - inOnlyNative === app.stats.functions && onlyApp.length === 0;
  lines.push(
    explained
      ? '  which accounts for the whole difference: the same files, parsed by two Python versions.'
      : '  which does not account for the whole difference: the rest comes from files both sides parsed.',
  );
  return lines;
}

function table(rows: [string, string, string][]): string[] {
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map(([a, b, c]) => `${a.padEnd(widths[0]!)}   ${b.padEnd(widths[1]!)}   ${c}`.trimEnd());
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const sec = (s: number): string => `${s.toFixed(1)} s`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
