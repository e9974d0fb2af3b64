/**
 * The one shape every way in (a dropped folder, a picked folder, a .zip) is turned into, so the ingest rules
 * live in one place. Listing is lazy: the walker decides whether to descend (it never lists .git or
 * node_modules), which matters for dropped folders where listing costs a round trip per 100 entries.
 */

export type FileNode = {
  kind: 'file';
  name: string;
  size: number;
  read(): Promise<Uint8Array>;
};

export type DirNode = {
  kind: 'dir';
  name: string;
  list(): Promise<TreeNode[]>;
};

export type TreeNode = FileNode | DirNode;

export type FolderSource = {
  /** Shown to the user and used in the export file name: the folder's or the archive's name. */
  name: string;
  origin: 'drop' | 'picker' | 'zip';
  root: DirNode;
};
