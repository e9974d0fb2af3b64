/**
 * The smallest set of cases that reaches the coverage all of them reach together (greedy set cover: the
 * classic ln(n)-approximation; exact cover is NP-hard and the sets here are small), then topped up to
 * `min` with the cases that add the most variety, and cut at `max`.
 */
export type Coverable = { lines: readonly number[]; /** higher first on ties */ preference: number; distinct: string };

export function coverCases(cases: readonly Coverable[], min: number, max: number): number[] {
  const chosen: number[] = [];
  const covered = new Set<number>();
  const goal = new Set(cases.flatMap((c) => c.lines));
  const better = (i: number, j: number, gainI: number, gainJ: number): boolean =>
    gainI > gainJ || (gainI === gainJ && cases[i]!.preference > cases[j]!.preference);
  while (covered.size < goal.size && chosen.length < max) {
    let best = -1;
    let bestGain = 0;
    cases.forEach((c, i) => {
      if (chosen.includes(i)) return;
      const gain = c.lines.filter((line) => !covered.has(line)).length;
      if (gain > 0 && (best < 0 || better(i, best, gain, bestGain))) {
        best = i;
        bestGain = gain;
      }
    });
    if (best < 0) break;
    chosen.push(best);
    for (const line of cases[best]!.lines) covered.add(line);
  }
  // Top up to `min`: each time the case with an outcome not seen yet (another value, another exception),
  // else the most preferred one left.
  const seen = new Set(chosen.map((i) => cases[i]!.distinct));
  const rest = cases.map((_, i) => i).filter((i) => !chosen.includes(i));
  rest.sort((a, b) => cases[b]!.preference - cases[a]!.preference);
  while (chosen.length < Math.min(min, max) && rest.length > 0) {
    const fresh = rest.findIndex((i) => !seen.has(cases[i]!.distinct));
    const [next] = rest.splice(fresh >= 0 ? fresh : 0, 1);
    chosen.push(next!);
    seen.add(cases[next!]!.distinct);
  }
  return chosen.sort((a, b) => a - b);
}
