/**
 * The engine state the UI shows, driven by the scripted model host and LLM (test/fakes): choosing, loading
 * with progress, failing with a typed error, cancelling, coming back after a reload, and servers.
 */
import { describe, expect, it } from 'vitest';
import type { ServerConnector, SettingsPort } from '../../src/core/ports.ts';
import { LlmError, type EngineChoice } from '../../src/domain/llm.ts';
import { EngineState } from '../../src/state/engine.svelte.ts';
import { loadScenario, parseScenario } from '../fakes/llmScenario.ts';
import { ScriptedLlm } from '../fakes/scriptedLlm.ts';
import { ScriptedModelHost } from '../fakes/scriptedModelHost.ts';

class MemorySettings implements SettingsPort {
  saved: EngineChoice | null = null;
  async engineChoice() {
    return this.saved;
  }
  async saveEngineChoice(choice: EngineChoice) {
    this.saved = choice;
  }
  async pipelineSettings() {
    return null;
  }
  async savePipelineSettings() {}
}

const LOADS = parseScenario(
  {
    description: 'loads in two phases',
    rules: [{ stage: 'any', match: {}, replies: [{ type: 'text', text: 'ok' }] }],
    host: {
      load: {
        progress: [
          { phase: 'download', fraction: 0.5, bytesDone: 50, bytesTotal: 100 },
          { phase: 'load', fraction: 1 },
        ],
      },
    },
  },
  'inline',
);

const noServer: ServerConnector = {
  models: async () => [],
  connect: async () => {
    throw new LlmError('cors', 'The server refused this page.', 'Set OLLAMA_ORIGINS.');
  },
};

function engineWith(host: ScriptedModelHost, settings = new MemorySettings(), servers = noServer) {
  return { engine: new EngineState({ models: () => host, servers, settings }), settings };
}

describe('engine state', () => {
  it('starts in natural mode with nothing stored', async () => {
    const { engine } = engineWith(new ScriptedModelHost(LOADS));
    await engine.restore();
    expect(engine.status).toEqual({ state: 'none' });
    expect(engine.client).toBeNull();
  });

  it('picks a model without downloading it, then loads it in two phases on request', async () => {
    const host = new ScriptedModelHost(LOADS);
    const { engine, settings } = engineWith(host);
    await engine.choose({ kind: 'webllm', family: host.defaultFamily });
    expect(settings.saved).toEqual({ kind: 'webllm', family: host.defaultFamily });
    expect(engine.status).toMatchObject({ state: 'idle', cached: false, warnings: [] });
    expect(engine.loadMode).toBe('download');
    expect(host.loads).toHaveLength(0);

    const phases: string[] = [];
    const loading = engine.load();
    expect(engine.status.state).toBe('loading');
    await loading;
    phases.push(...host.loads[0]!.progress.map((p) => p.phase));
    expect(phases).toEqual(['download', 'load']);
    expect(engine.status).toMatchObject({ state: 'ready', capabilities: { engine: 'webllm' } });
    expect(engine.client).toBe(host.clients[0]);
    expect(engine.cachedModels.map((m) => m.modelId)).toEqual([host.clients[0]!.capabilities.model]);
  });

  it('shows a failed download as a typed problem and offers to try again', async () => {
    const host = new ScriptedModelHost(loadScenario('load-failure'));
    const { engine } = engineWith(host);
    await engine.choose({ kind: 'webllm', family: host.defaultFamily });
    await engine.load();
    expect(engine.status).toMatchObject({ state: 'failed', problem: { code: 'network' } });
    expect(engine.loadMode).toBe('retry');
    expect(engine.client).toBeNull();
  });

  it('goes back to the picked model when a load is cancelled', async () => {
    const slow = parseScenario(
      {
        description: 'slow load',
        rules: [],
        host: {
          load: {
            delayMs: 50,
            progress: [
              { phase: 'download', fraction: 0.1 },
              { phase: 'download', fraction: 0.2 },
            ],
          },
        },
      },
      'inline',
    );
    const host = new ScriptedModelHost(slow);
    const { engine } = engineWith(host);
    await engine.choose({ kind: 'webllm', family: host.defaultFamily });
    const loading = engine.load();
    engine.cancelLoad();
    await loading;
    expect(engine.status.state).toBe('idle');
    expect(host.loads[0]!.outcome).toBe('aborted');
  });

  it('after a reload, loads again a model that is already downloaded, and waits for one that is not', async () => {
    const host = new ScriptedModelHost(LOADS);
    const settings = new MemorySettings();
    const first = engineWith(host, settings).engine;
    await first.choose({ kind: 'webllm', family: host.defaultFamily });
    await first.load();

    const again = engineWith(host, settings).engine;
    await again.restore();
    expect(again.status.state).toBe('ready');
    expect(host.loads).toHaveLength(2);

    await again.removeModel(host.clients[1]!.capabilities.model);
    const third = engineWith(host, settings).engine;
    await third.restore();
    expect(third.status).toMatchObject({ state: 'idle', cached: false });
    expect(host.loads).toHaveLength(2);
  });

  it('explains a GPU that cannot run models', async () => {
    const scenario = parseScenario(
      {
        description: 'no adapter',
        rules: [],
        host: {
          probeError: { code: 'no-adapter', message: 'No WebGPU adapter.', action: 'Try Chrome.' },
          load: { progress: [] },
        },
      },
      'inline',
    );
    const { engine } = engineWith(new ScriptedModelHost(scenario));
    await engine.choose({ kind: 'webllm', family: 'Scripted-Coder' });
    expect(engine.status).toEqual({
      state: 'unavailable',
      problem: { code: 'no-adapter', message: 'No WebGPU adapter.', action: 'Try Chrome.' },
    });
    expect(engine.loadMode).toBe('none');
  });

  it('connects to a server, and shows why it could not', async () => {
    const client = new ScriptedLlm(loadScenario('valid-output'));
    const servers: ServerConnector = { models: async () => ['m'], connect: async () => client };
    const choice = {
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: 'k',
      model: 'm',
      concurrency: 2,
    } as const;
    const ok = engineWith(new ScriptedModelHost(LOADS), new MemorySettings(), servers).engine;
    await ok.choose(choice);
    expect(ok.client).toBe(client);

    const refused = engineWith(new ScriptedModelHost(LOADS)).engine;
    await refused.choose(choice);
    expect(refused.status).toMatchObject({ state: 'failed', problem: { code: 'cors' } });
    expect(refused.loadMode).toBe('none');
  });

  it('disposes the engine it leaves', async () => {
    const host = new ScriptedModelHost(LOADS);
    const { engine } = engineWith(host);
    await engine.choose({ kind: 'webllm', family: host.defaultFamily });
    await engine.load();
    await engine.choose({ kind: 'none' });
    expect(host.clients[0]!.disposed).toBe(true);
    expect(engine.client).toBeNull();
  });
});
