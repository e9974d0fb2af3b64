/**
 * Reading a zip back, for tests of what the app writes: with the app's own reader (adapters/files/zip.ts,
 * which strips a sole top folder the way it does for a dropped archive) and with CPython's zipfile, which
 * is what most people's tools agree with. Both give every file's bytes by path.
 */
import { spawnSync } from 'node:child_process';
import type { DirNode } from '../../src/core/ingest/tree.ts';
import { folderFromZip } from '../../src/adapters/files/zip.ts';

/** Every file of the archive through our reader: path (inside the sole top folder, if any) → bytes. */
export async function readZipOurs(blob: Blob): Promise<{ top: string; files: Map<string, Uint8Array> }> {
  const source = await folderFromZip(blob, 'archive.zip');
  const files = new Map<string, Uint8Array>();
  const walk = async (dir: DirNode, prefix: string): Promise<void> => {
    for (const node of await dir.list()) {
      const path = prefix === '' ? node.name : `${prefix}/${node.name}`;
      if (node.kind === 'dir') await walk(node, path);
      else files.set(path, await node.read());
    }
  };
  await walk(source.root, '');
  return { top: source.name, files };
}

/** What CPython's zipfile sees: each entry's name, flags, method, sizes and bytes (testzip() passed first). */
export type PythonEntry = { name: string; flag_bits: number; compress_type: number; file_size: number; data: string };

const READ_SCRIPT = `
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    if bad is not None:
        sys.exit(f"CRC or header error in {bad}")
    print(json.dumps([
        {"name": i.filename, "flag_bits": i.flag_bits, "compress_type": i.compress_type,
         "file_size": i.file_size, "data": base64.b64encode(z.read(i)).decode()}
        for i in z.infolist()
    ]))
`;

export function readZipPython(path: string): PythonEntry[] {
  const run = spawnSync('python3', ['-c', READ_SCRIPT, path], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`python3 zipfile failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PythonEntry[];
}

/** `python3 -m zipfile <args>`: the command-line tool, as a person would run it. */
export function pythonZipfile(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('python3', ['-m', 'zipfile', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
