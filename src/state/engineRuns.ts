/**
 * The engine and the runs, linked (AppState uses this; so do the Node tests of the handshake):
 * - a run takes the engine's ready client when it starts (RunLinks.llm);
 * - before the engine lets a client go, `beforeRelease` pauses the run that holds it and waits for it to
 *   stop (RunController.release), so the client is disposed only once no request of the run is in flight;
 * - when a client becomes ready, the open project goes on if it waits for an engine
 *   (RunController.engineReady: runProject then runs it, or says it waits for another model).
 */
import type { PipelineSettings } from '../domain/pipeline.ts';
import { EngineState } from './engine.svelte.ts';
import type { Notices } from './notices.svelte.ts';
import { RunController } from './runController.svelte.ts';
import type { Services } from './services.ts';

export type EngineRunLinks = {
  /** The stage settings new LLM configurations get. */
  settings: () => PipelineSettings;
  /** The id of the project open on screen (auto-resume looks at it). */
  current: () => string | null;
  /** Anything else that holds the client and must stop first (the engine trial). */
  beforeRelease?: () => void;
};

export function linkEngineAndRuns(
  services: Services,
  notices: Notices,
  links: EngineRunLinks,
): { engine: EngineState; run: RunController } {
  const run: RunController = new RunController(services, notices, {
    llm: () => engine.client,
    settings: links.settings,
  });
  const engine: EngineState = new EngineState(
    { models: services.models, servers: services.servers, settings: services.settings },
    notices,
    {
      beforeRelease: async (client) => {
        links.beforeRelease?.();
        await run.release(client);
      },
      onReady: () => run.engineReady(links.current()),
    },
  );
  return { engine, run };
}
