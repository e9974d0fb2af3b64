/**
 * What ingest decides from a name alone, plus the two facts it needs from contents (a python shebang, a
 * `pyvenv.cfg` marker). Kept free of I/O so every rule is a plain function with a plain test.
 */
import type { SkipReason } from '../../domain/ingest.ts';

/** Folders skipped by name, as one entry each, never listed. */
const FOLDER_RULES: ReadonlyMap<string, SkipReason> = new Map<string, SkipReason>([
  ['.git', 'vcs'],
  ['.hg', 'vcs'],
  ['.svn', 'vcs'],
  ['node_modules', 'node_modules'],
  ['__pycache__', 'pycache'],
  // The usual names tools give environments; any other name is caught by VENV_MARKER once listed.
  ['.venv', 'virtualenv'],
  ['venv', 'virtualenv'],
  ['.tox', 'virtualenv'],
  ['.nox', 'virtualenv'],
  ['site-packages', 'virtualenv'],
]);

/** `python -m venv` (and virtualenv ≥ 20) write this file at the top of every environment they create. */
export const VENV_MARKER = 'pyvenv.cfg';

export const GITIGNORE = '.gitignore';

export function folderSkipReason(name: string): SkipReason | null {
  return FOLDER_RULES.get(name) ?? null;
}

/**
 * `python`: run it through the byte checks. `type_stub` and `not_python`: skip unread.
 * `maybe_script`: no extension, so only its first line can tell (a `#!...python` shebang).
 */
export type FileKind = 'python' | 'type_stub' | 'not_python' | 'maybe_script';

export function fileKind(name: string): FileKind {
  const ext = extensionOf(name);
  if (ext === '.py' || ext === '.pyw') return 'python';
  if (ext === '.pyi') return 'type_stub';
  // Hidden extension-less files are configuration (.gitignore, .env, .DS_Store), never scripts: not worth a read.
  return ext === '' && !name.startsWith('.') ? 'maybe_script' : 'not_python';
}

/** Lower-cased like a case-insensitive file system would see it; leading dots belong to the name (`.bashrc`). */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const leadingDots = name.length - name.replace(/^\.+/, '').length;
  return dot < leadingDots ? '' : name.slice(dot).toLowerCase();
}

/** Enough for any real shebang line; the kernel itself reads at most 256 bytes of it on Linux. */
const SHEBANG_PROBE_BYTES = 256;

export function isPythonShebang(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SHEBANG_PROBE_BYTES);
  const end = head.indexOf(0x0a);
  // Byte-per-char is enough: the words we look for are ASCII, and any other byte cannot fake them.
  const firstLine = String.fromCharCode(...head.subarray(0, end < 0 ? head.length : end));
  return /^#!.*python/.test(firstLine);
}

/**
 * Why a read() rejected. Sources mark a file they can list but never unpack (an encrypted zip entry) with
 * `code: 'zip_unsupported'`; the walker checks that code, never the message, so any adapter can use it.
 */
export function readFailure(err: unknown): { reason: SkipReason; detail: string } {
  const detail = err instanceof Error ? err.message : String(err);
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  return { reason: code === 'zip_unsupported' ? 'zip_unsupported' : 'unreadable', detail };
}
