/** The Python worker as one classic script's source (see workers/pythonWorkerBundle.ts). */
declare module 'virtual:python-worker' {
  const source: string;
  export default source;
}
