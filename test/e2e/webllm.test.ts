/**
 * The WebLLM adapter in headless Chromium, through the app's own host (test page: pages/webllm.ts). No GPU
 * and no model weights are reachable here, so nothing loads: these check that every capability branch is
 * explained before loading, that a load really runs web-llm in its worker and fails there with a typed
 * error, that cancelling a load stops its worker, and the weights cache. Capability branches:
 * - default headless Chromium: WebGPU exists but no adapter → 'no-adapter';
 * - navigator.gpu removed by an init script (Chromium has no flag that hides the API and keeps the page
 *   otherwise the same) → 'no-webgpu';
 * - --enable-unsafe-webgpu: the SwiftShader fallback adapter → ok, a fallback warning, no shader-f16, so
 *   q4f32_1; and the same adapter with an init script lowering one limit → 'gpu-limits'.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuReport } from '../../src/domain/llm.ts';
import type { LoadOutcome } from './pages/webllm.ts';
import { launchChromium } from './support/browser.ts';
import { startDevServer } from './support/devServer.ts';

const MODEL = 'Qwen2.5-Coder-0.5B-Instruct-q4f32_1-MLC';

/**
 * A loopback model host: 404 for every file (with CORS, so the page can read the status); /hang/ never answers,
 * and counts the hanging requests whose connection the browser closed.
 */
type ModelServer = { url: string; requests: string[]; readonly hangsClosed: number; close(): Promise<void> };

async function startModelServer(): Promise<ModelServer> {
  const requests: string[] = [];
  let hangsClosed = 0;
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith('/hang/')) return void res.on('close', () => (hangsClosed += 1)); // never answers
    res
      .writeHead(404, { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' })
      .end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    get hangsClosed() {
      return hangsClosed;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let dev: { url: string; close(): Promise<void> };
let models: ModelServer;
let plain: Browser;
let webgpu: Browser;

beforeAll(async () => {
  [dev, models, plain, webgpu] = await Promise.all([
    startDevServer(),
    startModelServer(),
    launchChromium(),
    launchChromium(['--enable-unsafe-webgpu']),
  ]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), webgpu?.close()]);
  await Promise.all([dev?.close(), models?.close()]);
});

async function open(browser: Browser, initScript?: () => void): Promise<{ page: Page; workers: Worker[] }> {
  const page = await browser.newPage();
  const workers: Worker[] = [];
  page.on('worker', (worker) => workers.push(worker));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(dev.url + 'test/e2e/pages/webllm.html');
  await page.waitForFunction(() => document.title === 'ready', null, { timeout: 60_000 });
  return { page, workers };
}

const probe = (page: Page): Promise<GpuReport> => page.evaluate(() => window.webllm.probe());
const load = (page: Page, opts: { base?: string } = {}): Promise<LoadOutcome> =>
  page.evaluate(([id, o]) => window.webllm.load(id, o), [MODEL, opts] as const);

describe('WebGPU capability checks, before loading anything', () => {
  it('default headless Chromium has WebGPU but no adapter: no-adapter, and a load stops before any worker', async () => {
    const { page, workers } = await open(plain);
    const report = await probe(page);
    expect(report).toMatchObject({
      ok: false,
      error: { code: 'no-adapter', action: expect.stringContaining('OpenAI-compatible') },
    });
    const outcome = await load(page);
    expect(outcome.error).toMatchObject({ name: 'LlmError', code: 'no-adapter' });
    expect(outcome.progress).toEqual([]);
    expect(workers).toEqual([]);
    await page.close();
  });

  it('a page without navigator.gpu: no-webgpu, naming what to do', async () => {
    const { page } = await open(plain, () => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
    expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);
    const report = await probe(page);
    expect(report).toMatchObject({
      ok: false,
      error: { code: 'no-webgpu', message: expect.stringContaining('navigator.gpu') },
    });
    if (!report.ok) expect(report.error.action).toMatch(/Chrome.*--enable-unsafe-webgpu.*OpenAI-compatible/s);
    await page.close();
  });

  it('--enable-unsafe-webgpu gives the SwiftShader fallback adapter: usable with a warning, no shader-f16, q4f32_1', async () => {
    const { page } = await open(webgpu);
    const facts = await page.evaluate(() => window.webllm.facts());
    console.log('SwiftShader adapter:', JSON.stringify(facts.adapter));
    const report = await probe(page);
    expect(report).toMatchObject({
      ok: true,
      quantization: 'q4f32_1',
      features: { shaderF16: false },
      adapter: { fallback: true },
      warnings: [{ code: 'fallback-adapter', action: expect.stringMatching(/anyway/) }],
    });
    if (!report.ok) return;
    expect(report.limits.maxComputeWorkgroupStorageSize).toBeGreaterThanOrEqual(32768);
    expect(report.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(10);
    await page.close();
  });

  it('an adapter reporting a lower maxComputeWorkgroupStorageSize: gpu-limits', async () => {
    const { page } = await open(webgpu, () => {
      const gpu = (
        globalThis as unknown as { GPU: { prototype: { requestAdapter(...a: unknown[]): Promise<object | null> } } }
      ).GPU;
      const original = gpu.prototype.requestAdapter;
      gpu.prototype.requestAdapter = async function (this: unknown, ...args: unknown[]) {
        const adapter = await original.apply(this, args);
        if (!adapter) return adapter;
        const real = (adapter as { limits: object }).limits;
        const limits = new Proxy(real, {
          get: (target, key) => (key === 'maxComputeWorkgroupStorageSize' ? 16384 : Reflect.get(target, key)),
        });
        return new Proxy(adapter, { get: (target, key) => (key === 'limits' ? limits : Reflect.get(target, key)) });
      };
    });
    expect(await probe(page)).toMatchObject({
      ok: false,
      error: {
        code: 'gpu-limits',
        message: expect.stringContaining('maxComputeWorkgroupStorageSize is 16384, needs 32768'),
      },
    });
    await page.close();
  });
});

describe('loading on the SwiftShader adapter (no weights are reachable here)', () => {
  it('runs web-llm in its worker, and an unreachable huggingface.co fails there as network', async () => {
    const { page, workers } = await open(webgpu);
    // No clock here: the test's own timeout is the only one (a load that hung would fail it).
    const outcome = await load(page);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatchObject({ name: 'LlmError', code: 'network', retryable: false });
    expect(outcome.error!.message).toMatch(/could not be downloaded/);
    expect(outcome.error!.action).toMatch(/connection/);
    // The worker ran: it started, and web-llm's failure crossed from it as its handler's string.
    expect(workers.map((w) => w.url())).toEqual([expect.stringContaining('webllm.worker')]);
    expect(outcome.error).toMatchObject({ causeType: 'string', cause: expect.stringMatching(/^TypeError: /) });
    expect(outcome.progress[0]).toMatchObject({ phase: 'download', fraction: 0 });
    await page.close();
  });

  it('a model host that answers 404 makes model-not-found; the worker asked it for the config', async () => {
    const { page } = await open(webgpu);
    models.requests.length = 0;
    const outcome = await load(page, { base: models.url });
    expect(outcome.error).toMatchObject({ name: 'LlmError', code: 'model-not-found', causeType: 'string' });
    expect(outcome.error!.message).toContain('404');
    expect(models.requests).toEqual([
      `GET /${MODEL}/resolve/main/mlc-chat-config.json`, // web-llm, in the worker (Cache.add)
      `HEAD /${MODEL}/resolve/main/mlc-chat-config.json`, // the host telling 404 from a network failure
    ]);
    await page.close();
  });

  it('cancelling a load that hangs rejects with AbortError while the download still hangs, and stops the worker', async () => {
    const { page, workers } = await open(webgpu);
    const asked = models.requests.length;
    const closedBefore = models.hangsClosed;
    const loading = load(page, { base: models.url + 'hang/' });
    // Cancel once the worker is running web-llm and waiting on the model host (not after a fixed delay:
    // on a busy machine the worker may not have started yet).
    await expect
      .poll(() => models.requests.slice(asked).some((r) => r.includes('/hang/')), { timeout: 30_000 })
      .toBe(true);
    await page.evaluate(() => window.webllm.abortLoad());
    const outcome = await loading;
    // The model host never answers, so nothing but the cancel can have settled the load: it did not wait for
    // the download to end or time out.
    expect(outcome).toMatchObject({ ok: false, aborted: true, error: { name: 'AbortError', code: null } });
    expect(workers).toHaveLength(1);
    await expect
      .poll(() => page.evaluate(() => 0).then(() => workers[0]!.evaluate(() => 1).catch(() => 'gone')))
      .toBe('gone');
    // The worker's download went with it: the browser closed the hanging connection.
    await expect.poll(() => models.hangsClosed, { timeout: 30_000 }).toBeGreaterThan(closedBefore);
    await page.close();
  });
});

describe('the weights in the browser cache', () => {
  it('lists a cached model with its size, deletes it, and reports storage', async () => {
    const { page } = await open(plain);
    expect(await page.evaluate(() => window.webllm.cached())).toEqual([]);
    const bytes = await page.evaluate((id) => window.webllm.seedCache(id, [1_000_000, 250_000]), MODEL);
    expect(await page.evaluate(() => window.webllm.cached())).toEqual([{ modelId: MODEL, bytes }]);
    const storage = await page.evaluate(() => window.webllm.storage());
    expect(storage.usage).toBeGreaterThan(1_000_000);
    expect(storage.quota).toBeGreaterThan(storage.usage!);
    const persisted = await page.evaluate(() => window.webllm.persist());
    console.log(`storage: ${JSON.stringify(storage)}, persist() granted: ${persisted}`);
    await page.evaluate((id) => window.webllm.remove(id), MODEL);
    expect(await page.evaluate(() => window.webllm.cached())).toEqual([]);
    expect(await page.evaluate(() => window.webllm.cacheEntries())).toEqual([]);
    await page.close();
  });

  it('deletes what a download that stopped early left (no manifest), without asking the network', async () => {
    const { page } = await open(plain);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.evaluate((id) => window.webllm.seedCache(id, [1000], { manifest: false }), MODEL);
    expect(await page.evaluate(() => window.webllm.cached())).toEqual([]); // not complete: not listed
    await page.evaluate((id) => window.webllm.remove(id), MODEL);
    expect(await page.evaluate(() => window.webllm.cacheEntries())).toEqual([]);
    expect(requests.filter((url) => url.includes('huggingface'))).toEqual([]);
    await page.close();
  });
});
