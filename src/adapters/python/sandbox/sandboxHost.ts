/**
 * The page's side of the Python sandbox: one hidden, opaque-origin iframe (see sandboxDocument.ts) that
 * starts and stops Python workers. The page fetches Pyodide's files from its own origin once and hands
 * them in as bytes (loading by URL inside the sandbox would need a URL in its CSP: a way out for data).
 * Each worker's calls use a MessagePort from the page, so they never pass through the iframe's scripts.
 * Invariants: the page reads only its own port (window messages from the iframe are never trusted), and
 * everything that arrives on that port is checked before use.
 */
import type { PythonRuntime, SupervisorCommand, SupervisorEvent } from '../../../../workers/python/protocol.ts';
import type { SpawnedWorker } from '../slot.ts';
import { sandboxDocument } from './sandboxDocument.ts';
import supervisorSource from './supervisor.js?raw';

/** The supervisor has nothing to load: if it is not ready in this time, it never will be. */
const READY_TIMEOUT_MS = 15_000;

export class SandboxError extends Error {
  override name = 'SandboxError';
}

export class SandboxHost {
  #port: MessagePort;
  #isolated: boolean;
  #nextId = 1;
  #deaths = new Map<number, (reason: string) => void>();
  #cleared = new Map<number, () => void>();

  private constructor(port: MessagePort, isolated: boolean) {
    this.#port = port;
    this.#isolated = isolated;
    port.onmessage = (event: MessageEvent<unknown>) => this.#onEvent(event.data);
  }

  /** Whether workers can be interrupted (the page and the iframe are cross-origin isolated). */
  get interruptible(): boolean {
    return this.#isolated;
  }

  static async create(
    indexURL: string,
    workerSource: string,
    parent: HTMLElement = document.body,
  ): Promise<SandboxHost> {
    const runtime = await fetchRuntime(indexURL);
    const iframe = document.createElement('iframe');
    iframe.setAttribute('sandbox', 'allow-scripts'); // never allow-same-origin: the opaque origin is the wall
    iframe.setAttribute('allow', 'cross-origin-isolated');
    iframe.title = 'Python sandbox';
    iframe.hidden = true;
    iframe.srcdoc = await sandboxDocument(supervisorSource);
    const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    parent.append(iframe);
    await loaded;
    const channel = new MessageChannel();
    const ready = new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SandboxError('the Python sandbox did not start')), READY_TIMEOUT_MS);
      channel.port1.onmessage = (event: MessageEvent<SupervisorEvent>) => {
        if (event.data?.type !== 'ready') return;
        clearTimeout(timer);
        resolve(event.data.isolated === true);
      };
    });
    // The iframe's origin is opaque, so '*' is the only target that reaches it; the message holds nothing
    // secret (Pyodide's public files and our worker's code).
    iframe.contentWindow!.postMessage({ type: 'init', runtime, workerSource }, '*', [channel.port2]);
    return new SandboxHost(channel.port1, await ready);
  }

  spawn(hashSeed = 0): SpawnedWorker {
    const id = this.#nextId++;
    const calls = new MessageChannel();
    const died = new Promise<string>((resolve) => this.#deaths.set(id, resolve));
    this.#send({ type: 'spawn', id, hashSeed }, [calls.port2]);
    const interrupt = this.#isolated
      ? {
          raise: () => this.#send({ type: 'interrupt', id }),
          clear: () =>
            new Promise<void>((resolve) => {
              this.#cleared.set(id, resolve);
              this.#send({ type: 'clear-interrupt', id });
            }),
        }
      : null;
    return {
      endpoint: calls.port1,
      died,
      interrupt,
      terminate: () => {
        this.#deaths.delete(id);
        this.#send({ type: 'terminate', id });
        calls.port1.close();
      },
    };
  }

  #send(command: SupervisorCommand, transfer: Transferable[] = []): void {
    this.#port.postMessage(command, transfer);
  }

  #onEvent(data: unknown): void {
    const event = data as Partial<SupervisorEvent> | null;
    if (event?.type === 'cleared' && typeof event.id === 'number') {
      this.#cleared.get(event.id)?.();
      this.#cleared.delete(event.id);
    } else if (event?.type === 'died' && typeof event.id === 'number') {
      this.#deaths.get(event.id)?.(typeof event.reason === 'string' ? event.reason : 'the Python worker died');
      this.#deaths.delete(event.id);
    }
  }
}

async function fetchRuntime(indexURL: string): Promise<PythonRuntime> {
  const get = async (file: string): Promise<Response> => {
    const url = new URL(file, indexURL).href;
    const response = await fetch(url).catch((error: unknown) => {
      throw new SandboxError(`Python's runtime file ${url} could not be fetched (${String(error)})`);
    });
    if (!response.ok)
      throw new SandboxError(`Python's runtime file ${url} is missing from this site (HTTP ${response.status})`);
    return response;
  };
  const [asm, wasm, stdlib, lock] = await Promise.all([
    get('pyodide.asm.mjs').then((r) => r.text()),
    get('pyodide.asm.wasm').then((r) => r.arrayBuffer()),
    get('python_stdlib.zip').then((r) => r.arrayBuffer()),
    get('pyodide-lock.json').then((r) => r.text()),
  ]);
  return { asm, wasm, stdlib, lock };
}
