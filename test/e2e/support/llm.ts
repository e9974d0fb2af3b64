/**
 * The LLM side of the app as a user meets it, for browser tests: connect an OpenAI-compatible server
 * through the engine panel, and read the funnel off the page.
 */
import type { Page } from 'playwright-core';
import { STAGE_LABELS, type LlmStage } from '../../../src/domain/pipeline.ts';

/** Choose "OpenAI-compatible server" in the engine panel, connect to `url` with `model`, wait until ready. */
export async function connectServer(page: Page, url: string, model: string, concurrency = 1): Promise<string> {
  if (!(await page.locator('[data-testid=engine-panel]').isVisible())) await page.click('[data-testid=engine-toggle]');
  await page.check('[data-testid=engine-kind] input[value=openai]');
  await page.fill('[data-testid=server-url]', url);
  await page.fill('[data-testid=server-model]', model);
  await page.fill('[data-testid=server-concurrency]', String(concurrency));
  await page.click('[data-testid=server-connect]');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=engine-status]')?.textContent?.startsWith('Ready') ?? false,
    undefined,
    { timeout: 60_000, polling: 100 },
  );
  return (await page.textContent('[data-testid=engine-status]')) ?? '';
}

export type FunnelCounts = { in: number; kept: number; dropped: number; pending: number };

/**
 * The funnel (data-testid="funnel") as numbers per stage. Its format (ui/run/Funnel.svelte): each stage
 * reads `<Label> <in> in <kept> kept <dropped> dropped <pending> pending`; drop reasons follow as
 * `<reason> <count>`.
 */
export async function readFunnel(
  page: Page,
): Promise<{ stages: Record<LlmStage, FunnelCounts>; reasons: Record<string, number>; text: string }> {
  const text = (await page.textContent('[data-testid=funnel]')) ?? '';
  const stages = {} as Record<LlmStage, FunnelCounts>;
  for (const [stage, label] of Object.entries(STAGE_LABELS) as [LlmStage, string][]) {
    const match = new RegExp(`${label} (\\d+) in (\\d+) kept (\\d+) dropped (\\d+) pending`).exec(text);
    if (!match) throw new Error(`the funnel has no "${label}" row: ${text}`);
    const [, n, kept, dropped, pending] = match.map(Number) as [number, number, number, number, number];
    stages[stage] = { in: n, kept, dropped, pending };
  }
  const reasons: Record<string, number> = {};
  for (const el of await page.$$('[data-testid=funnel] .reason')) {
    const [reason, count] = ((await el.textContent()) ?? '').trim().split(' ');
    if (reason) reasons[reason] = (reasons[reason] ?? 0) + Number(count);
  }
  return { stages, reasons, text };
}
