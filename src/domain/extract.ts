/**
 * What the extractor (Python's own `ast`, in workers/python/harness/extract.py) returns for one file.
 * These types mirror the dictionaries that harness builds; `parseExtractReply` in core/extract checks every
 * reply against them before anything is stored, because the reply crosses a worker boundary.
 */

export type DoctestExample = {
  source: string;
  want: string;
  /** The exception line the example expects (e.g. "ValueError: bad"), or null when it expects output. */
  excMsg: string | null;
  /** 0-based line of the example inside the docstring. */
  lineno: number;
};

/** Why a function cannot be run on its own in the browser's Python. */
export type BlockerKind =
  | 'nested' // defined inside another function: it closes over that function's locals
  | 'third_party' // imports a module outside the standard library
  | 'local_module' // imports a module of the dropped project (absolute or relative)
  | 'unavailable' // a standard-library module that the browser's Python does not ship
  | 'dedent' // its source cannot be lifted out of the file and still compile
  | 'analysis'; // the analysis itself failed (e.g. nesting too deep for symtable); the detail says how

/** `module` names the import for the module kinds; `detail` carries the error for `analysis`. */
export type Blocker = { kind: BlockerKind; module?: string; detail?: string };

export type ModuleOrigin = 'stdlib' | 'third_party' | 'local' | 'unavailable';

/**
 * A piece of a standalone program: `[first, last]` when it is exactly those whole lines of the file (most
 * are: top-level statements), else its text (trimmed imports, dedented units).
 */
export type Segment = string | [number, number];

export type ExtractedFunction = {
  /** Dotted path inside the module, classes kept: `Outer.Inner.method`, `f.<locals>.g` for nested ones. */
  qualname: string;
  name: string;
  kind: 'function' | 'method' | 'nested';
  isAsync: boolean;
  /** Enclosing classes, outermost first; empty for a module-level function. */
  classPath: string[];
  /** Line of the `def` keyword (what CPython's ast reports as lineno), 1-based. */
  lineno: number;
  /** First line of the source segment: the first decorator when there are decorators. */
  startLine: number;
  endLine: number;
  signature: string;
  docstring: string | null;
  /** The docstring without its doctest examples: the natural instruction. */
  prose: string | null;
  examples: DoctestExample[];
  /** Set when the docstring holds `>>>` but doctest could not parse it (e.g. inconsistent indentation). */
  doctestError: string | null;
  /**
   * The standalone program: indices into the file's `segments`, in order (imports, helpers, then the unit
   * itself: the function, or for a method the whole top-level class). Null when it cannot run alone.
   */
  program: number[] | null;
  /** Behaviour hints for later stages: io, randomness, time, network, process, threads. */
  flags: string[];
  blockers: Blocker[];
};

export type SyntaxErrorInfo = { line: number | null; column: number | null; message: string; kind: string };

export type ExtractReply =
  | {
      ok: true;
      segments: Segment[];
      /** Every module the file's programs import (root name, or dots + name when relative), with its origin. */
      modules: { name: string; origin: ModuleOrigin }[];
      functions: ExtractedFunction[];
    }
  | { ok: false; error: SyntaxErrorInfo };

export type ExtractRequest = {
  path: string;
  text: string;
  /** Top-level module names of the dropped project, so its own imports are told apart from third-party ones. */
  localModules: string[];
};
