/**
 * Tiny structural checks for data that crosses a trust boundary (worker replies, stored rows, imported
 * files). They throw a `ShapeError` naming the path of the first field that does not fit; parsers catch it
 * at the boundary and turn it into a typed failure.
 */

export class ShapeError extends Error {
  override name = 'ShapeError';
}

export type Obj = Record<string, unknown>;

export function obj(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ShapeError(`${path}: not an object`);
  return value as Obj;
}

export function str(o: Obj, key: string, path: string): string {
  const value = o[key];
  if (typeof value !== 'string') throw new ShapeError(`${path}.${key}: not a string`);
  return value;
}

export function strOrNull(o: Obj, key: string, path: string): string | null {
  return o[key] === null || o[key] === undefined ? null : str(o, key, path);
}

export function int(o: Obj, key: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ShapeError(`${path}.${key}: not an integer`);
  return value;
}

export function intOrNull(o: Obj, key: string, path: string): number | null {
  return o[key] === null || o[key] === undefined ? null : int(o, key, path);
}

export function bool(o: Obj, key: string, path: string): boolean {
  const value = o[key];
  if (typeof value !== 'boolean') throw new ShapeError(`${path}.${key}: not a boolean`);
  return value;
}

export function list<T>(o: Obj, key: string, path: string, item: (value: unknown, path: string) => T): T[] {
  const value = o[key];
  if (!Array.isArray(value)) throw new ShapeError(`${path}.${key}: not a list`);
  return value.map((v, i) => item(v, `${path}.${key}[${i}]`));
}

export function oneOf<T extends string>(o: Obj, key: string, path: string, options: readonly T[]): T {
  const value = str(o, key, path);
  if (!(options as readonly string[]).includes(value)) throw new ShapeError(`${path}.${key}: unexpected "${value}"`);
  return value as T;
}

export const asString = (value: unknown, path: string): string => {
  if (typeof value !== 'string') throw new ShapeError(`${path}: not a string`);
  return value;
};

export const asInt = (value: unknown, path: string): number => {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ShapeError(`${path}: not an integer`);
  return value;
};
