/**
 * Ingest: walk a FolderSource and say, for every path, either "accepted" (with text and hash), "licence"
 * (a small LICENSE/COPYING/NOTICE text, kept for the dataset card) or "skipped" (with exactly one reason).
 * Invariants:
 * - depth-first, children in code-unit order of their names, so two runs over one folder emit the same list;
 * - a skipped folder is one entry and is never listed (listing a dropped .git costs a round trip per 100);
 * - at most one file's bytes are held at a time, and files over MAX_FILE_BYTES are never read;
 * - the root itself is always walked: whoever dropped it chose it, even if it is named `venv`.
 */
import { MAX_FILE_BYTES, type IngestEvent, type SkipReason } from '../../domain/ingest.ts';
import type { DirNode, FileNode, TreeNode, FolderSource } from './tree.ts';
import { decodeSource, sha256Hex } from './decode.ts';
import { IgnoreScopes } from './gitignore.ts';
import { MAX_LICENSE_BYTES, isLicenseFileName } from './licenses.ts';
import { GITIGNORE, VENV_MARKER, fileKind, folderSkipReason, isPythonShebang, readFailure } from './rules.ts';

/** Often enough for a live counter, rare enough not to flood a UI that re-renders per event. */
const PROGRESS_EVERY = 200;

type Walk = { signal: AbortSignal | undefined; seen: number };

export async function* ingestFolder(
  source: FolderSource,
  opts: { signal?: AbortSignal } = {},
): AsyncGenerator<IngestEvent> {
  const walk: Walk = { signal: opts.signal, seen: 0 };
  checkAborted(walk);
  // A root that cannot be listed is not a skip but a failed ingest: let the caller show it.
  const children = await source.root.list();
  yield* walkChildren(walk, '', children, IgnoreScopes.none);
}

async function* walkChildren(
  walk: Walk,
  folder: string,
  children: TreeNode[],
  outer: IgnoreScopes,
): AsyncGenerator<IngestEvent> {
  const sorted = [...children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // The folder's own .gitignore applies to its siblings, so read it before judging any of them.
  const { scopes, failure } = await withGitignore(walk, folder, sorted, outer);
  for (const node of sorted) {
    checkAborted(walk);
    const path = folder === '' ? node.name : `${folder}/${node.name}`;
    if (node.kind === 'dir') yield* walkDir(walk, path, node, scopes);
    else if (node.name === GITIGNORE && failure) yield skip(path, false, 'unreadable', failure);
    else yield await judgeFile(path, node, scopes);
    if (++walk.seen % PROGRESS_EVERY === 0) yield { type: 'progress', seen: walk.seen };
  }
}

async function* walkDir(walk: Walk, path: string, dir: DirNode, scopes: IgnoreScopes): AsyncGenerator<IngestEvent> {
  const opened = await openDir(walk, path, dir, scopes);
  if (Array.isArray(opened)) yield* walkChildren(walk, path, opened, scopes);
  else yield opened;
}

/** The folder's children, or the one skip that stands for the whole folder. */
async function openDir(
  walk: Walk,
  path: string,
  dir: DirNode,
  scopes: IgnoreScopes,
): Promise<TreeNode[] | IngestEvent> {
  const byName = folderSkipReason(dir.name);
  if (byName) return skip(path, true, byName);
  const ignoredBy = scopes.match(path, true);
  if (ignoredBy) return skip(path, true, 'gitignored', ignoredBy);
  let children: TreeNode[];
  try {
    children = await dir.list();
  } catch (err) {
    return skip(path, true, 'unreadable', readFailure(err).detail);
  }
  checkAborted(walk);
  const isVenv = children.some((c) => c.kind === 'file' && c.name === VENV_MARKER);
  return isVenv ? skip(path, true, 'virtualenv', `contains ${VENV_MARKER}`) : children;
}

/** The rules in force for `children`; `failure` says why this folder's own .gitignore could not add its rules. */
async function withGitignore(
  walk: Walk,
  folder: string,
  children: TreeNode[],
  outer: IgnoreScopes,
): Promise<{ scopes: IgnoreScopes; failure: string | null }> {
  const file = children.find((c): c is FileNode => c.kind === 'file' && c.name === GITIGNORE);
  if (!file) return { scopes: outer, failure: null };
  if (file.size > MAX_FILE_BYTES) {
    return { scopes: outer, failure: `${file.size} bytes, over the size limit (its rules were not applied)` };
  }
  try {
    // Read as text leniently: one odd byte in a comment should not cost the whole file's rules.
    const text = new TextDecoder().decode(await file.read());
    checkAborted(walk);
    return { scopes: outer.with(folder, text), failure: null };
  } catch (err) {
    if (isAbort(err)) throw err;
    return { scopes: outer, failure: `${readFailure(err).detail} (its rules were not applied)` };
  }
}

async function judgeFile(path: string, file: FileNode, scopes: IgnoreScopes): Promise<IngestEvent> {
  const ignoredBy = scopes.match(path, false);
  if (ignoredBy) return skip(path, false, 'gitignored', ignoredBy);
  const kind = fileKind(file.name);
  if (kind !== 'python' && isLicenseFileName(file.name) && file.size <= MAX_LICENSE_BYTES)
    return readLicense(path, file);
  if (kind === 'type_stub' || kind === 'not_python') return skip(path, false, kind);
  if (file.size > MAX_FILE_BYTES) {
    // An extension-less file this big is almost surely not a script; reading it to look is what we avoid.
    if (kind === 'maybe_script') {
      return skip(path, false, 'not_python', 'no extension; too large to look for a shebang');
    }
    return skip(path, false, 'too_large', `${file.size} bytes`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await file.read();
  } catch (err) {
    const { reason, detail } = readFailure(err);
    return skip(path, false, reason, detail);
  }
  // A zip's header or a changing file can understate the size; the limit is about the bytes we hold.
  if (bytes.length > MAX_FILE_BYTES) return skip(path, false, 'too_large', `${bytes.length} bytes`);
  if (kind === 'maybe_script' && !isPythonShebang(bytes)) return skip(path, false, 'not_python');
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return skip(path, false, decoded.reason, decoded.detail);
  const sha256 = await sha256Hex(bytes);
  return { type: 'file', file: { path, size: bytes.length, sha256, text: decoded.text } };
}

/** A licence text, read for the dataset card instead of being skipped as not Python. */
async function readLicense(path: string, file: FileNode): Promise<IngestEvent> {
  let bytes: Uint8Array;
  try {
    bytes = await file.read();
  } catch (err) {
    const { reason, detail } = readFailure(err);
    return skip(path, false, reason, detail);
  }
  if (bytes.length > MAX_LICENSE_BYTES) return skip(path, false, 'not_python', `${bytes.length} bytes`);
  return { type: 'license', license: { path, text: new TextDecoder().decode(bytes) } };
}

function skip(path: string, isDir: boolean, reason: SkipReason, detail?: string): IngestEvent {
  return { type: 'skip', skipped: detail ? { path, isDir, reason, detail } : { path, isDir, reason } };
}

function checkAborted(walk: Walk): void {
  // Always an AbortError, whatever reason the caller passed to abort(): callers test the name.
  if (walk.signal?.aborted) throw new DOMException('Ingest was cancelled', 'AbortError');
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
