/**
 * The .gitignore files in force at one folder of the walk, deepest last. Git's rule: for a path, the deepest
 * .gitignore with an opinion (a pattern that matches, ignoring or negating) decides; within one file the
 * last matching line wins. An excluded folder is never entered, so "nothing inside an ignored folder can be
 * re-included" holds by construction of the walk, and here we only judge the path itself.
 *
 * Scopes are immutable: `with()` returns a new stack, so sibling folders cannot leak rules into each other.
 */
import ignore, { type Ignore } from 'ignore';

type Scope = {
  /** Folder the .gitignore sits in, '' for the root or 'a/b/' (with the slash) below it. */
  base: string;
  /** Where the rules came from, for the skip detail. */
  file: string;
  rules: Ignore;
};

export class IgnoreScopes {
  static readonly none = new IgnoreScopes([]);

  private constructor(private readonly scopes: readonly Scope[]) {}

  /** The rules of `<folder>/.gitignore` added on top of these. `folder` is '' for the root. */
  with(folder: string, text: string): IgnoreScopes {
    const base = folder === '' ? '' : `${folder}/`;
    // Git's own default is case-sensitive matching (core.ignorecase is only set on case-insensitive disks);
    // the verdict should not depend on which OS the person dropping the folder uses.
    const rules = ignore({ ignoreCase: false });
    // One pattern per line, marked with its line number, so the detail can read like `git check-ignore -v`.
    text.split(/\r?\n/).forEach((line, i) => rules.add({ pattern: line, mark: String(i + 1) }));
    return new IgnoreScopes([...this.scopes, { base, file: `${base}.gitignore`, rules }]);
  }

  /** `null` when not ignored, else which .gitignore line ignored it (`sub/.gitignore:3:*.log`). */
  match(path: string, isDir: boolean): string | null {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i]!;
      const relative = path.slice(scope.base.length) + (isDir ? '/' : '');
      const verdict = scope.rules.test(relative);
      if (verdict.unignored) return null;
      if (!verdict.ignored || inheritedFromParent(scope.rules, relative)) continue;
      return `${scope.file}:${verdict.rule?.mark}:${verdict.rule?.pattern.trimEnd()}`;
    }
    return null;
  }
}

/**
 * `ignore` treats a path as ignored when one of its parent folders is. We only reach a folder that the
 * whole stack let through, so if this file's rules exclude the parent, a deeper .gitignore re-included it
 * and this file's exclusion of the parent must not spill onto the child. Known gap: a pattern that matches
 * both the parent and the child itself (`sub/**`) is then read as no opinion, where git would ignore it.
 */
function inheritedFromParent(rules: Ignore, relative: string): boolean {
  const cut = relative.lastIndexOf('/', relative.length - 2);
  return cut >= 0 && rules.test(relative.slice(0, cut + 1)).ignored;
}
