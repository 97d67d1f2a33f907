// A render's state in words, the same in the render list and the panel: queued, rendering n/N,
// assembling the mix, done, cancelled or interrupted (resumable), failed with the reason.
import type { RenderDetail, RenderSummary } from '../../../electron/contract/methods/renders';
import type { JobState } from './stores/jobs.svelte';

export const RESUMABLE = new Set<RenderSummary['status']>(['cancelled', 'interrupted']);

export function renderStatusText(
  render: Pick<RenderSummary, 'status' | 'error'> & Partial<Pick<RenderDetail, 'segments'>>,
  job: JobState | undefined,
): string {
  const total = job?.total || render.segments?.length || 0;
  const done = job?.status === 'running' ? job.done : (render.segments?.filter((s) => s.takes.length).length ?? 0);
  // The list may still say queued when the job's first progress has already arrived.
  const status = render.status === 'queued' && job?.status === 'running' && job.total ? 'running' : render.status;
  switch (status) {
    case 'queued':
      return 'queued';
    case 'running':
      if (total && done >= total) return 'assembling the mix';
      return total ? `rendering ${Math.min(done + 1, total)}/${total}` : 'rendering';
    case 'done':
      return job?.status === 'running'
        ? job.done >= job.total && job.total
          ? 'assembling the mix'
          : 'new takes…'
        : 'done';
    case 'cancelled':
      return total ? `cancelled at ${done}/${total}` : 'cancelled';
    case 'interrupted':
      return total ? `interrupted at ${done}/${total}` : 'interrupted';
    case 'failed':
      return `failed${render.error ? `: ${render.error}` : ''}`;
  }
}
