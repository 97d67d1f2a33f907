// The open piece and render: what the piano roll, segment lane, waveform and render panel show,
// and the actions that change them.
import type { PieceDetail } from '../../../../electron/contract/methods/pieces';
import type { RenderDetail, RenderSummary } from '../../../../electron/contract/methods/renders';
import { call, errorText } from '../api';
import { prepareNotes, type RollNotes } from '../pianoroll/notes';
import { jobs } from './jobs.svelte';
import { timeline } from './timeline.svelte';

export interface RenderOptions {
  engine: 'sampler' | 'neural';
  packId?: string;
  seed?: number;
  temperature?: number;
  topK?: number;
  /** Sampled grand: false plays the plain grand instead of the performer's profile. */
  match?: boolean;
}

class Session {
  piece = $state.raw<PieceDetail | undefined>();
  notes = $state.raw<RollNotes | undefined>();
  pieceError = $state<string | undefined>();
  loadingPiece = $state(false);

  renders = $state<RenderSummary[]>([]);
  rendersError = $state<string | undefined>();
  render = $state.raw<RenderDetail | undefined>();
  renderError = $state<string | undefined>();

  performerId = $state<string | undefined>();
  selectedSegment = $state<number | null>(null);
  selection = $state<{ from: number; to: number } | null>(null);
  /** The latest job started from this view (render or regeneration). */
  jobId = $state<string | undefined>();
  segmentError = $state<string | undefined>();
  busySegment = $state(false);

  async openPiece(id: string): Promise<void> {
    this.loadingPiece = true;
    this.pieceError = undefined;
    try {
      const piece = await call('pieces.get', { id });
      this.piece = piece;
      this.notes = prepareNotes(piece.notes);
      this.render = undefined;
      this.selection = null;
      this.selectedSegment = piece.segments.length ? 0 : null;
      timeline.reset(Math.max(piece.duration, this.notes.end, 1));
      await this.loadRenders();
    } catch (error) {
      this.pieceError = errorText(error);
    } finally {
      this.loadingPiece = false;
    }
  }

  async loadRenders(): Promise<void> {
    if (!this.piece) return;
    try {
      this.renders = await call('renders.list', { pieceId: this.piece.id });
      this.rendersError = undefined;
    } catch (error) {
      this.rendersError = errorText(error);
    }
  }

  private renderRequest = 0;

  async openRender(id: string): Promise<void> {
    // Events trigger many refetches; only the newest answer may land, never an older one late.
    const request = ++this.renderRequest;
    try {
      const render = await call('renders.get', { id });
      if (request !== this.renderRequest) return;
      this.render = render;
      this.renderError = undefined;
    } catch (error) {
      this.renderError = errorText(error);
    }
  }

  /** Shows a render the services just returned (a take deleted or chosen). */
  showRender(render: RenderDetail): void {
    this.renderRequest++;
    this.render = render;
    this.renderError = undefined;
  }

  /**
   * After the library changed (here, in another window or from the CLI): a deleted piece or render
   * closes, a renamed one shows its new name.
   */
  async followLibrary(pieces: Array<{ id: string; title: string }>): Promise<void> {
    if (!this.piece) return;
    const listed = pieces.find((p) => p.id === this.piece!.id);
    if (!listed) {
      this.piece = undefined;
      this.notes = undefined;
      this.render = undefined;
      this.renders = [];
      this.selectedSegment = null;
      this.selection = null;
      return;
    }
    if (listed.title !== this.piece.title) this.piece = { ...this.piece, title: listed.title };
    await this.loadRenders();
    if (this.render && !this.renders.some((r) => r.id === this.render!.id)) this.render = undefined;
    else if (this.render) await this.openRender(this.render.id);
  }

  /** Refetch after a render.updated or job event that concerns the open render. */
  async refreshRender(id: string): Promise<void> {
    if (this.render?.id === id) await this.openRender(id);
  }

  async startRender(options: RenderOptions): Promise<void> {
    this.renderError = undefined;
    if (!this.piece || !this.performerId) {
      this.renderError = !this.piece ? 'Open a piece first.' : 'Pick a performer first.';
      return;
    }
    const sampling =
      options.temperature !== undefined || options.topK !== undefined
        ? { temperature: options.temperature, topK: options.topK }
        : undefined;
    try {
      const started = await call('renders.start', {
        pieceId: this.piece.id,
        performerId: this.performerId,
        engine: options.engine,
        packId: options.engine === 'neural' ? options.packId : undefined,
        seed: options.seed,
        sampling: options.engine === 'neural' ? sampling : undefined,
        match: options.engine === 'sampler' && options.match === false ? false : undefined,
      });
      this.jobId = started.jobId;
      jobs.started(started.jobId, started.renderId);
      await this.openRender(started.renderId);
      await this.loadRenders();
    } catch (error) {
      this.renderError = errorText(error);
    }
  }

  async cancel(): Promise<void> {
    const jobId = this.jobId ?? this.render?.jobId ?? undefined;
    if (!jobId) return;
    try {
      await call('renders.cancel', { jobId });
    } catch (error) {
      this.renderError = errorText(error);
    }
  }

  async regenerate(segmentIndices: number[], seed?: number): Promise<void> {
    if (!this.render || !segmentIndices.length) return;
    this.segmentError = undefined;
    try {
      const { jobId } = await call('segments.regenerate', { renderId: this.render.id, segmentIndices, seed });
      this.jobId = jobId;
      jobs.started(jobId, this.render.id);
    } catch (error) {
      this.segmentError = errorText(error);
    }
  }

  async chooseTake(takeId: string): Promise<void> {
    this.busySegment = true;
    this.segmentError = undefined;
    try {
      const render = await call('takes.choose', { takeId });
      this.renderRequest++;
      this.render = render;
    } catch (error) {
      this.segmentError = errorText(error);
    } finally {
      this.busySegment = false;
    }
  }

  async lockTake(takeId: string, locked: boolean): Promise<void> {
    this.segmentError = undefined;
    try {
      await call('takes.lock', { takeId, locked });
      if (this.render) await this.openRender(this.render.id);
    } catch (error) {
      this.segmentError = errorText(error);
    }
  }

  /** Segments overlapping the selected time range. */
  segmentsInSelection(): number[] {
    const range = this.selection;
    const segments = this.render?.segments ?? this.piece?.segments ?? [];
    if (!range) return [];
    return segments.filter((s) => s.end > range.from && s.start < range.to).map((s) => s.index);
  }

  segmentCount(): number {
    return (this.render?.segments ?? this.piece?.segments ?? []).length;
  }
}

export const session = new Session();
