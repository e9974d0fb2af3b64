/**
 * Choosing an LLM engine in the built app, through the same controls a person uses, and what the status line
 * (data-testid="engine-status") says: natural mode by default; WebGPU missing, without an adapter, or only a
 * software one, each explained with what to do; a model whose weights cannot be downloaded fails with a typed
 * error; an OpenAI-compatible server that is listed, connected and reconnected after a reload, and one that
 * refuses the page's origin. No weights can be downloaded on these machines: nothing here loads a model.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startOpenAiServer, type OpenAiServer } from '../builders/openaiServer.ts';
import { launchChromium } from './support/browser.ts';
import { watchPageErrors } from './support/pageErrors.ts';
import { serveStatic, type StaticServer } from './support/staticServer.ts';

type Opened = { browser: Browser; context: BrowserContext; page: Page; server: StaticServer };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw failures[0];
});

/** The app in a fresh browser; `args` are extra Chromium flags, `initScript` runs before the page's own. */
async function open(opts: { args?: string[]; initScript?: string } = {}): Promise<Opened> {
  const server = await serveStatic(inject('distDir'));
  const browser = await launchChromium(opts.args ?? []);
  cleanups.push(async () => {
    await browser.close();
    await server.close();
  });
  const context = await browser.newContext();
  if (opts.initScript) await context.addInitScript(opts.initScript);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  cleanups.push(async () => errors.check());
  await page.goto(server.url);
  return { browser, context, page, server };
}

const status = (page: Page) => page.locator('[data-testid=engine-status]');

async function waitForStatus(page: Page, pattern: RegExp, timeout = 60_000): Promise<string> {
  await expect.poll(async () => (await status(page).textContent()) ?? '', { timeout, interval: 200 }).toMatch(pattern);
  return (await status(page).textContent()) ?? '';
}

async function pickKind(page: Page, kind: 'none' | 'webllm' | 'openai'): Promise<void> {
  if (!(await page.locator('[data-testid=engine-panel]').isVisible())) await page.click('[data-testid=engine-toggle]');
  await page.check(`[data-testid=engine-kind] input[value=${kind}]`);
}

describe('choosing an LLM engine', () => {
  it('starts in natural mode', async () => {
    const { page } = await open();
    expect(await waitForStatus(page, /natural mode/)).toMatch(/^No LLM: natural mode/);
  });

  it('explains a browser without WebGPU, and what to do', async () => {
    const { page } = await open({
      initScript: 'delete Navigator.prototype.gpu;',
    });
    await pickKind(page, 'webllm');
    const text = await waitForStatus(page, /WebGPU cannot run a model here/);
    expect(text).toMatch(/OpenAI-compatible/);
    expect(await page.locator('[data-testid=model-load]').count()).toBe(0);
  });

  it('explains a GPU without a WebGPU adapter (headless Chromium without flags)', async () => {
    const { page } = await open();
    await pickKind(page, 'webllm');
    const text = await waitForStatus(page, /WebGPU cannot run a model here/);
    expect(text).toMatch(/adapter/i);
  });

  it('on a software adapter: warns, picks q4f32_1, and a failed weight download is a typed error', async () => {
    const { context, page, server } = await open({ args: ['--enable-unsafe-webgpu'] });
    // Nothing can be downloaded here; fail every request that leaves the app's origin, the way an offline
    // machine or a blocked host would, and count them to show the download was really attempted.
    const outside: string[] = [];
    await context.route(
      (url) => !url.href.startsWith(server.url),
      async (route) => {
        outside.push(route.request().url());
        await route.abort('internetdisconnected');
      },
    );
    await pickKind(page, 'webllm');
    const idle = await waitForStatus(page, /not downloaded/);
    expect(idle).toMatch(/Qwen2\.5.Coder.1\.5B/i);
    expect(idle).toMatch(/q4f32_1/);
    expect(idle).toMatch(/Warning: .*(software|fallback)/i);
    await page.click('[data-testid=model-load]'); // "Load anyway"
    const failed = await waitForStatus(page, /Engine failed/, 120_000);
    console.info(`software adapter: "${idle}"\nfailed download: "${failed}"`);
    expect(failed).toMatch(/^Engine failed \((network|model-not-found)\): /);
    expect(outside.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=model-load]').textContent()).toBe('Try again');
  });

  it('lists a downloaded model with its size and deletes it', async () => {
    const { page } = await open({ args: ['--enable-unsafe-webgpu'] });
    // The files web-llm would have stored for the q4f32_1 build of the default model (no download is
    // possible here): its manifest, two weight shards, a tokenizer and its chat config, 1.5 MB in all.
    const bytes = await page.evaluate(async () => {
      const base = 'https://huggingface.co/mlc-ai/Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC/resolve/main/';
      const shards = [1_000_000, 500_000];
      const records = shards.map((nbytes, i) => ({
        dataPath: `params_shard_${i}.bin`,
        format: 'raw-shard',
        nbytes,
        records: [],
      }));
      const manifest = JSON.stringify({ metadata: {}, records });
      const model = await caches.open('webllm/model');
      await model.put(base + 'tensor-cache.json', new Response(manifest));
      await model.put(base + 'tokenizer.json', new Response('{}'));
      for (const [i, nbytes] of shards.entries()) {
        const headers = { 'content-length': String(nbytes) };
        await model.put(base + `params_shard_${i}.bin`, new Response(new Uint8Array(nbytes), { headers }));
      }
      const chatConfig = JSON.stringify({ tokenizer_files: ['tokenizer.json'] });
      await (await caches.open('webllm/config')).put(base + 'mlc-chat-config.json', new Response(chatConfig));
      return manifest.length + 2 + 1_500_000 + chatConfig.length;
    });
    await pickKind(page, 'webllm');
    expect(await waitForStatus(page, /downloaded, not loaded/)).toMatch(/^Qwen2\.5 Coder 1\.5B \(q4f32_1/);
    const cached = page.locator('[data-testid=cached-models]');
    await expect
      .poll(() => cached.textContent())
      .toMatch(/Qwen2\.5 Coder 1\.5B \(Qwen2\.5-Coder-1\.5B-Instruct-q4f32_1-MLC\)/);
    expect(await cached.locator('li').textContent()).toContain(`${(bytes / 2 ** 20).toFixed(1)} MB`);
    expect(await page.locator('[data-testid=storage-estimate]').textContent()).toMatch(
      /This site uses \S+ MB of\s+\S+ GB available to it/,
    );
    expect(await page.locator('[data-testid=model-list] .chip').count()).toBe(1);

    await cached.getByRole('button', { name: /Delete/ }).click();
    await expect.poll(() => cached.textContent()).toMatch(/None yet/);
    expect(await waitForStatus(page, /not downloaded/)).toMatch(/q4f32_1/);
    const left = await page.evaluate(async () => {
      const names = ['webllm/model', 'webllm/config'];
      const keys = await Promise.all(names.map(async (n) => (await (await caches.open(n)).keys()).length));
      return keys.reduce((a, b) => a + b, 0);
    });
    expect(left).toBe(0);
  });

  it('connects to an OpenAI-compatible server, and again after a reload with the key it stored', async () => {
    const llm = await startOpenAiServer({ models: ['coder-7b', 'chat-1b'], apiKey: 'sk-local', cors: true });
    cleanups.push(() => llm.close());
    const { page } = await open();
    await pickKind(page, 'openai');
    await page.fill('[data-testid=server-url]', `${llm.url}/v1`);
    await page.fill('[data-testid=server-key]', 'sk-local');
    await page.click('[data-testid=server-list]');
    await expect.poll(() => page.locator('[data-testid=server-models]').textContent()).toMatch(/coder-7b, chat-1b/);
    expect(await page.inputValue('[data-testid=server-model]')).toBe('coder-7b');
    await page.fill('[data-testid=server-concurrency]', '3');
    await page.click('[data-testid=server-connect]');
    const ready = `Ready: coder-7b at ${llm.url}/v1, 3 at a time, with log-probabilities.`;
    expect(await waitForStatus(page, /^Ready/)).toBe(ready);

    const chats = () => llm.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
    const probes = chats().length;
    await page.reload();
    expect(await waitForStatus(page, /^Ready/)).toBe(ready);
    const after = chats();
    expect(after.length).toBeGreaterThan(probes);
    expect(after.every((r) => r.authorization === 'Bearer sk-local')).toBe(true);
  });

  it('streams a trial answer from the server into the page, and stops one midway', async () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const llm = await startOpenAiServer({
      models: ['m'],
      tokenDelayMs: 20,
      replies: {
        'say hello': { kind: 'text', text: 'Hello, streamed, one word at a time.' },
        'go on': { kind: 'text', text: long },
      },
    });
    cleanups.push(() => llm.close());
    const { page } = await open();
    await pickKind(page, 'openai');
    await page.fill('[data-testid=server-url]', llm.url);
    await page.fill('[data-testid=server-model]', 'm');
    await page.click('[data-testid=server-connect]');
    await waitForStatus(page, /^Ready/);

    const output = page.locator('[data-testid=engine-trial-output]');
    await page.fill('[data-testid=engine-trial-prompt]', 'say hello');
    await page.click('[data-testid=engine-trial-send]');
    await expect
      .poll(() => page.locator('[data-testid=engine-trial-stats]').textContent())
      .toMatch(/written \(finished: stop\)/);
    expect(await output.textContent()).toBe('Hello, streamed, one word at a time.');
    const stats = (await page.locator('[data-testid=engine-trial-stats]').textContent()) ?? '';
    expect(stats).toMatch(/writing \d+(\.\d)? tokens\/s/);

    await page.fill('[data-testid=engine-trial-prompt]', 'go on');
    await page.click('[data-testid=engine-trial-send]');
    await expect.poll(async () => ((await output.textContent()) ?? '').length, { timeout: 10_000 }).toBeGreaterThan(30);
    await page.click('[data-testid=engine-trial-stop]');
    await expect.poll(() => page.locator('[data-testid=engine-trial-stats]').textContent()).toBe('Stopped.');
    const partial = (await output.textContent()) ?? '';
    expect(long.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(long.length);
    await expect.poll(() => llm.closedEarly).toBe(1);
  });

  it('names the server setting when a server refuses the page (CORS)', async () => {
    const llm = await startOpenAiServer({ models: ['m'], cors: false });
    cleanups.push(() => llm.close());
    const { page } = await open();
    await pickKind(page, 'openai');
    await page.fill('[data-testid=server-url]', `${llm.url}/v1`);
    await page.fill('[data-testid=server-model]', 'm');
    await page.click('[data-testid=server-connect]');
    const text = await waitForStatus(page, /Engine failed/);
    expect(text).toMatch(/^Engine failed \(cors\)/);
    expect(text).toMatch(/OLLAMA_ORIGINS|allowed-origins|Enable CORS/);
    expect(llm.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
