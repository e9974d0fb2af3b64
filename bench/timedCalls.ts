/**
 * Every method call on an object, timed: a proxy that records each call's method, arguments and interval
 * (until its promise settles, for an async method). The target's methods run with the target as `this`,
 * so classes with private fields (DexieStore) work through it.
 */
export type TimedCall = { method: string; args: unknown[]; start: number; end: number };

/** `onCall` hears each call as it starts. */
export function timedCalls<T extends object>(
  target: T,
  onCall: (method: string, args: unknown[]) => void = () => {},
): { proxy: T; calls: TimedCall[] } {
  const calls: TimedCall[] = [];
  const proxy = new Proxy(target, {
    get(obj, key) {
      const value: unknown = Reflect.get(obj, key, obj);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        onCall(String(key), args);
        const start = performance.now();
        const record = () => calls.push({ method: String(key), args, start, end: performance.now() });
        const out: unknown = value.apply(obj, args);
        if (out instanceof Promise) return out.finally(record);
        record();
        return out;
      };
    },
  });
  return { proxy, calls };
}
