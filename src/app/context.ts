import { getContext, setContext } from 'svelte';
import type { AppState } from '../state/appState.svelte.ts';

const KEY = Symbol('semiverse');

export function provideApp(state: AppState): void {
  setContext(KEY, state);
}

export function useApp(): AppState {
  const state = getContext<AppState | undefined>(KEY);
  if (!state) throw new Error('useApp() outside <App>');
  return state;
}
