// Ambient types for audio packages that ship none.
declare module '@echogarden/speex-resampler-wasm/simd' {
  const factory: (moduleArg?: object) => Promise<unknown>;
  export default factory;
}
declare module '@echogarden/pffft-wasm/simd' {
  const factory: (moduleArg?: object) => Promise<unknown>;
  export default factory;
}
