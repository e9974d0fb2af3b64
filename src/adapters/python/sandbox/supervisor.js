// @ts-check
/**
 * Runs inside the sandboxed iframe (opaque origin, strict CSP; see sandboxDocument.ts). It starts the
 * Python workers as classic blob workers, holds their interrupt buffers, and stops them on request.
 * It accepts exactly one message from the page (the init, carrying the port for everything after) and
 * never reads messages from its workers: calls go straight between the page and each worker.
 * Plain JavaScript, included verbatim: its SHA-256 is the only script the sandbox's CSP allows.
 */
(() => {
  /** @type {MessagePort | null} */
  let port = null;
  let workerUrl = '';
  /** @type {unknown} */
  let runtime = null;
  /** @type {Map<number, { worker: Worker, interrupt: Int32Array | null }>} */
  const workers = new Map();

  /** @param {{ type: string, [key: string]: unknown }} event */
  const send = (event) => port?.postMessage(event);

  window.addEventListener('message', (event) => {
    if (port !== null || event.source !== window.parent || event.ports.length !== 1) return;
    const init = event.data;
    if (!init || init.type !== 'init' || typeof init.workerSource !== 'string') return;
    runtime = init.runtime;
    workerUrl = URL.createObjectURL(new Blob([init.workerSource], { type: 'text/javascript' }));
    port = event.ports[0] ?? null;
    if (port) port.onmessage = (message) => command(message.data, message.ports);
    send({ type: 'ready', isolated: crossOriginIsolated });
  });

  /** @param {any} cmd @param {readonly MessagePort[]} ports */
  function command(cmd, ports) {
    const entry = workers.get(cmd?.id);
    switch (cmd?.type) {
      case 'spawn': {
        const callPort = ports[0];
        if (!callPort || workers.has(cmd.id)) return;
        const interrupt = crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
        const worker = new Worker(workerUrl, { name: `python-${cmd.id}` });
        worker.addEventListener('error', (error) => {
          error.preventDefault();
          stop(cmd.id, error.message || 'the Python worker failed');
        });
        workers.set(cmd.id, { worker, interrupt });
        const start = { runtime, port: callPort, interrupt: interrupt?.buffer ?? null, hashSeed: cmd.hashSeed };
        worker.postMessage(start, [callPort]);
        send({ type: 'spawned', id: cmd.id, interruptible: interrupt !== null });
        return;
      }
      case 'interrupt':
        if (entry?.interrupt) Atomics.store(entry.interrupt, 0, 2); // SIGINT
        return;
      case 'clear-interrupt':
        if (entry?.interrupt) Atomics.store(entry.interrupt, 0, 0);
        send({ type: 'cleared', id: cmd.id });
        return;
      case 'terminate':
        stop(cmd.id, null);
        return;
    }
  }

  /** @param {number} id @param {string | null} reason null when the page asked for it */
  function stop(id, reason) {
    const entry = workers.get(id);
    if (!entry) return;
    workers.delete(id);
    entry.worker.terminate();
    if (reason !== null) send({ type: 'died', id, reason });
  }
})();
