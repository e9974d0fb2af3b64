/**
 * Where the engine's time went, from intervals recorded during a run. One sweep over every interval's ends:
 * between two consecutive ends the state is constant (how many requests generate, how many answers wait to
 * be delivered, how many requests are ready at the pipeline's LLM runner, whether Python or storage is at
 * work), so every figure is an exact integral, not a sample.
 *
 * Idle engine time is given a cause, in this order (the first that holds):
 * - `delivery`: a request has finished on the engine's clock but its answer has not reached the pipeline
 *   (the pipeline's thread was busy when it came due);
 * - `ready`: a request is ready at the LLM runner (its cache lookup done) but not yet at the engine: the
 *   pipeline's thread has not got round to handing it over;
 * - `python`: no request is ready, and Python is running or has calls waiting for a worker;
 * - `storage`: no request is ready, no Python, and storage has an operation in progress;
 * - `other`: none of these (the pipeline's own code, or no function left with LLM work: the end of the run).
 * With several requests at once, each free slot is given a cause: answers waiting for delivery take the
 * first free slots, then ready requests, then the rest goes to what the pipeline is doing.
 */
export type Span = { start: number; end: number };

export type Timeline = {
  window: Span;
  concurrency: number;
  generating: Span[];
  undelivered: Span[];
  ready: Span[];
  python: Span[];
  pythonQueued: Span[];
  storage: Span[];
};

export const CAUSES = ['delivery', 'ready', 'python', 'storage', 'other'] as const;
export type Cause = (typeof CAUSES)[number];

export type TimelineFigures = {
  wallMs: number;
  /** At least one request generating (the named baseline of the benchmark). */
  busyMs: number;
  /** Request-milliseconds of generation: busyMs times the mean number generating while busy. */
  generatingMs: number;
  /** From the window's start to the first request's start. */
  headMs: number;
  /** Time with no request generating, by cause. */
  idleMs: Record<Cause, number>;
  /** Slot-milliseconds with a slot free (concurrency minus those generating), by cause. */
  freeSlotMs: Record<Cause, number>;
  pythonMs: number;
  storageMs: number;
  /** Mean number of requests generating in each tenth of the window. */
  byTenth: number[];
};

const KINDS = ['generating', 'undelivered', 'ready', 'python', 'pythonQueued', 'storage'] as const;
type Kind = (typeof KINDS)[number];

export function analyse(t: Timeline): TimelineFigures {
  const { start: from, end: to } = t.window;
  const events: { at: number; kind: Kind; delta: 1 | -1 }[] = [];
  for (const kind of KINDS)
    for (const span of t[kind]) {
      const start = Math.max(from, span.start);
      const end = Math.min(to, span.end);
      if (end <= start) continue;
      events.push({ at: start, kind, delta: 1 }, { at: end, kind, delta: -1 });
    }
  events.sort((a, b) => a.at - b.at);
  const count: Record<Kind, number> = {
    generating: 0,
    undelivered: 0,
    ready: 0,
    python: 0,
    pythonQueued: 0,
    storage: 0,
  };
  const zero = (): Record<Cause, number> => ({ delivery: 0, ready: 0, python: 0, storage: 0, other: 0 });
  const figures: TimelineFigures = {
    wallMs: to - from,
    busyMs: 0,
    generatingMs: 0,
    headMs: Math.max(0, Math.min(...t.generating.map((g) => g.start), to) - from),
    idleMs: zero(),
    freeSlotMs: zero(),
    pythonMs: 0,
    storageMs: 0,
    byTenth: Array.from({ length: 10 }, () => 0),
  };
  const tenth = (to - from) / 10;
  let at = from;
  const advance = (until: number): void => {
    const ms = until - at;
    if (ms <= 0) return;
    const g = count.generating;
    if (g > 0) figures.busyMs += ms;
    figures.generatingMs += g * ms;
    if (count.python > 0) figures.pythonMs += ms;
    if (count.storage > 0) figures.storageMs += ms;
    const doing: Cause = count.python + count.pythonQueued > 0 ? 'python' : count.storage > 0 ? 'storage' : 'other';
    if (g === 0) figures.idleMs[count.undelivered > 0 ? 'delivery' : count.ready > 0 ? 'ready' : doing] += ms;
    let free = Math.max(0, t.concurrency - g);
    const delivery = Math.min(free, count.undelivered);
    free -= delivery;
    const ready = Math.min(free, count.ready);
    free -= ready;
    figures.freeSlotMs.delivery += delivery * ms;
    figures.freeSlotMs.ready += ready * ms;
    figures.freeSlotMs[doing] += free * ms;
    for (let i = Math.floor((at - from) / tenth); i < 10 && from + i * tenth < until; i++) {
      const overlap = Math.min(until, from + (i + 1) * tenth) - Math.max(at, from + i * tenth);
      if (overlap > 0) figures.byTenth[i]! += (g * overlap) / tenth;
    }
    at = until;
  };
  for (const event of events) {
    advance(event.at);
    count[event.kind] += event.delta;
  }
  advance(to);
  return figures;
}

/** Lengths of the gaps between one busy stretch of the engine and the next (none generating). */
export function gaps(generating: Span[]): number[] {
  const sorted = [...generating].sort((a, b) => a.start - b.start);
  const out: number[] = [];
  let end = sorted[0]?.end ?? 0;
  for (const g of sorted.slice(1)) {
    if (g.start > end) out.push(g.start - end);
    end = Math.max(end, g.end);
  }
  return out;
}
