/**
 * Turns what the browser hands the UI (a drop, a picked folder, a picked .zip) into a FolderSource, so
 * components never import the file adapters themselves.
 */
import { sourcesFromDrop } from '../adapters/files/dropped.ts';
import { folderFromFileList } from '../adapters/files/picked.ts';
import { folderFromZip } from '../adapters/files/zip.ts';
import type { FolderSource } from '../core/ingest/tree.ts';

export const sourceFromDrop = (transfer: DataTransfer): Promise<FolderSource> => sourcesFromDrop(transfer);

export const sourceFromPicked = (files: FileList): FolderSource => folderFromFileList(files);

export const sourceFromZipFile = (file: File): Promise<FolderSource> =>
  folderFromZip(file, file.name.replace(/\.zip$/i, ''));
