/**
 * The WebLLM engine's worker (a module worker: web-llm is an ES module). web-llm's handler owns this
 * worker's messages: the page talks to it only through web-llm's WebWorkerMLCEngine (its own protocol, no
 * Comlink), which is created in src/adapters/llm/webllm/workerEngine.ts. Errors thrown by the engine
 * cross back as strings ("DeviceLostError: ..."), which src/adapters/llm/webllm/errors.ts classifies.
 */
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (event: MessageEvent) => handler.onmessage(event);
