/**
 * Messages between the page, the sandbox supervisor (the opaque-origin iframe) and the Python workers.
 * Calls themselves go over Comlink on a MessagePort the page hands each worker; these are the rest.
 */

/** Pyodide's runtime files, fetched by the page from its own origin and handed in as bytes. */
export type PythonRuntime = { asm: string; wasm: ArrayBuffer; stdlib: ArrayBuffer; lock: string };

/** Supervisor → worker, once: everything the worker needs to start. */
export type WorkerStart = {
  runtime: PythonRuntime;
  port: MessagePort;
  /** Made inside the iframe when it is cross-origin isolated: writing 2 raises KeyboardInterrupt. */
  interrupt: SharedArrayBuffer | null;
  hashSeed: number;
};

/** Page → supervisor, once, with a MessagePort for everything after. */
export type SupervisorInit = { type: 'init'; runtime: PythonRuntime; workerSource: string };

/** Page → supervisor, over the port. */
export type SupervisorCommand =
  | { type: 'spawn'; id: number; hashSeed: number } // with the worker's call port transferred
  | { type: 'interrupt'; id: number }
  | { type: 'clear-interrupt'; id: number }
  | { type: 'terminate'; id: number };

/** Supervisor → page, over the port. */
export type SupervisorEvent =
  | { type: 'ready'; isolated: boolean }
  | { type: 'spawned'; id: number; interruptible: boolean }
  /** The interrupt buffer is 0 again, and every earlier interrupt for this worker has been applied. */
  | { type: 'cleared'; id: number }
  | { type: 'died'; id: number; reason: string };
