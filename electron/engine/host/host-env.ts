// The environment the engine host process starts with. Set before the process starts because glibc reads
// its malloc tunables once, at start-up.
//
// Why: the NAR and codec runs allocate hundreds of MB of activations per segment. glibc's default mmap
// threshold is dynamic — after the first large free it rises to 32 MB, so later blocks below that come from
// the heap and are kept by the process after free (measured: +300 MB resident after one NAR pass, real
// dims). A fixed threshold keeps large blocks mmapped, so they go back to the system at free; peak RSS of a
// 17.5 s fp32 render fell from 2.7 GB to 2.4 GB. Other C libraries ignore these variables.
//
// glibc.malloc.hugetlb=1 (glibc ≥ 2.35; older ones ignore it) asks for transparent huge pages on those mmapped
// blocks (madvise, which Debian and Ubuntu kernels honour by default): each NAR or codec run maps its
// activations afresh, and one fault per 2 MiB instead of per 4 KiB is what makes that affordable — on a
// virtual machine whose 4 KiB faults cost ~13 µs it halved the int8 render time (docs/benchmarks.md). The
// weights land on huge pages too, which spares the AR step TLB misses. Peak RSS moved by about 10 MB.
const MALLOC_TUNING = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
  GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
} as const;

/**
 * Node flags of the engine host. `--expose-gc` lets the pipeline collect the AR stage's garbage (its KV cache,
 * ~115 MB a segment at real dims, and the copies left by each growth) before the NAR and codec runs, whose
 * activations would otherwise stack on top of it: see collectGarbage() in pipeline/memory.ts.
 */
export const ENGINE_HOST_EXEC_ARGV = ['--expose-gc'] as const;

/** `base` plus the engine's malloc tuning; values already set by the user win. */
export function engineHostEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...MALLOC_TUNING, ...base };
}
