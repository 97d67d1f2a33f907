// Memory hand-off between pipeline stages. The AR stage leaves large typed arrays behind (its KV cache and
// the copies made when it grew); V8 frees them only at its next major GC, which may come after the NAR and
// codec have allocated their own activations — the peak RSS then holds both. The engine host runs with
// --expose-gc (host/host-env.ts) so the pipeline can collect between stages; elsewhere this is a no-op.

export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
