/** The Python worker as one classic script's source (see workers/pythonWorkerBundle.ts). */
declare module 'virtual:python-worker' {
  const source: string;
  export default source;
}

/** The decontamination index of HumanEval and MBPP, built at build time (see build/benchmarkIndexPlugin.ts). */
declare module 'virtual:benchmark-index' {
  const index: import('./core/screen/indexCodec.ts').EncodedBenchmarkIndex;
  export default index;
}
