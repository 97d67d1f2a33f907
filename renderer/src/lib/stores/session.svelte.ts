// The open piece and render: what the piano roll, segment lane, waveform and render panel show,
// and the actions that change them.
import type { PieceDetail } from '../../../../electron/contract/methods/pieces';
import type { RenderDetail, RenderSummary } from '../../../../electron/contract/methods/renders';
import { call, errorText } from '../api';
import { prepareNotes, type RollNotes } from '../pianoroll/notes';
import { jobs } from './jobs.svelte';
import { playback } from './playback.svelte';
import { timeline } from './timeline.svelte';

/** The render panel's choices; opening a render shows the ones it was made with. */
export interface RenderForm {
  /** 'sampler' or a model pack's id. */
  engineChoice: string;
  seedText: string;
  temperature: number;
  topK: number;
  /** Sampled grand: play through the performer's profile (false: the plain grand). */
  match: boolean;
}

export const SAMPLER_CHOICE = 'sampler';

/** Why the sampled grand offers no new takes: the same notes always sound the same. */
export const SAMPLER_TAKES_REASON =
  'The sampled grand plays the same notes the same way every time, so a new take would be identical. Render with a neural pack for takes that differ.';

const LAST_RENDER_KEY = 'midi-valle-last-render';

/** Which render each piece had open last, kept in this browser (or window) across reloads. */
function lastRenders(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(LAST_RENDER_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

function rememberRender(pieceId: string, renderId: string): void {
  try {
    localStorage.setItem(LAST_RENDER_KEY, JSON.stringify({ ...lastRenders(), [pieceId]: renderId }));
  } catch {
    // storage disabled: the piece opens on its newest render instead
  }
}

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
  /** What the last regeneration request did (e.g. locked segments it skipped). */
  segmentNote = $state<string | undefined>();
  busySegment = $state(false);
  form = $state<RenderForm>({ engineChoice: SAMPLER_CHOICE, seedText: '', temperature: 1, topK: 0, match: true });

  async openPiece(id: string): Promise<void> {
    this.loadingPiece = true;
    this.pieceError = undefined;
    try {
      const piece = await call('pieces.get', { id });
      this.piece = piece;
      // A render still in progress previews with its finished segments' own takes.
      playback.openPiece(piece.id, () => ({
        performerId: this.performerId,
        renderId: this.render && !this.render.mix ? this.render.id : undefined,
      }));
      this.notes = prepareNotes(piece.notes);
      this.render = undefined;
      this.selection = null;
      this.selectedSegment = piece.segments.length ? 0 : null;
      timeline.reset(Math.max(piece.duration, this.notes.end, 1));
      this.segmentError = undefined;
      this.segmentNote = undefined;
      // The piece shows before its last render is fetched; a performer or engine picked in that
      // moment is the user's and must not be replaced by the restored render's.
      const choicesAtOpen = this.choices();
      await this.loadRenders();
      // The piece opens on the render it had open last (else its newest), with that render's settings.
      const last = lastRenders()[piece.id];
      const reopen = this.renders.find((r) => r.id === last) ?? this.renders[0];
      if (reopen && this.piece?.id === piece.id) await this.openRender(reopen.id, { unlessChosen: choicesAtOpen });
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

  /** The performer and render form as the user last left them. */
  private choices(): string {
    return JSON.stringify([this.performerId, $state.snapshot(this.form)]);
  }

  /**
   * Opens a render and shows its performer, engine and settings; with `unlessChosen`, only when the
   * user's choices are still those of that snapshot.
   */
  async openRender(id: string, options: { unlessChosen?: string } = {}): Promise<void> {
    // Events trigger many refetches; only the newest answer may land, never an older one late.
    const request = ++this.renderRequest;
    try {
      const render = await call('renders.get', { id });
      if (request !== this.renderRequest) return;
      const another = this.render?.id !== render.id;
      const untouched = options.unlessChosen === undefined || options.unlessChosen === this.choices();
      this.render = render;
      if (another && untouched) this.adoptSettings(render);
      else if (another) rememberRender(render.pieceId, render.id);
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
    // A render opened meanwhile (a render just started opens itself) wins over this refresh.
    const request = this.renderRequest;
    await this.loadRenders();
    if (request !== this.renderRequest) return;
    if (this.render && !this.renders.some((r) => r.id === this.render!.id)) this.render = undefined;
    else if (this.render) await this.openRender(this.render.id);
  }

  /** A render opened: remember it for its piece, and show its performer, engine and settings. */
  private adoptSettings(render: RenderDetail): void {
    rememberRender(render.pieceId, render.id);
    if (render.performerId) this.performerId = render.performerId;
    this.form = {
      engineChoice: render.engine === 'neural' && render.packId ? render.packId : SAMPLER_CHOICE,
      seedText: '',
      temperature: render.sampling?.temperature ?? 1,
      topK: render.sampling?.topK ?? 0,
      match: true,
    };
    this.segmentError = undefined;
    this.segmentNote = undefined;
  }

  /** Finish a cancelled or interrupted render: its missing segments are rendered, the rest kept. */
  async resume(renderId: string): Promise<void> {
    this.renderError = undefined;
    try {
      const { jobIds } = await call('renders.resume', { id: renderId });
      for (const jobId of jobIds) jobs.started(jobId, renderId);
      if (jobIds[0]) this.jobId = jobIds[0];
      await this.openRender(renderId);
      await this.loadRenders();
    } catch (error) {
      this.renderError = errorText(error);
    }
  }

  /** Segments whose takes are locked: regeneration leaves them as they are. */
  lockedSegments(): Set<number> {
    return new Set(
      (this.render?.segments ?? []).filter((s) => s.takes.some((t) => t.locked && t.chosen)).map((s) => s.index),
    );
  }

  /** Why the open render offers no new takes of `segmentIndex`, or undefined when it does. */
  regenerateRefusal(segmentIndex: number): string | undefined {
    if (!this.render) return 'Open a render first.';
    if (this.lockedSegments().has(segmentIndex))
      return `Segment ${segmentIndex + 1} is locked: unlock its take to make new ones.`;
    if (this.render.engine === 'sampler') return SAMPLER_TAKES_REASON;
    return undefined;
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
      this.renderRequest++; // a library refresh that starts while this render is created must not reopen the old one
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
    this.segmentNote = undefined;
    const locked = this.lockedSegments();
    const skipped = segmentIndices.filter((i) => locked.has(i));
    if (skipped.length) {
      segmentIndices = segmentIndices.filter((i) => !locked.has(i));
      const names = skipped.map((i) => i + 1).join(', ');
      const skippedWords = `${skipped.length} locked segment${skipped.length === 1 ? '' : 's'} (${names})`;
      if (!segmentIndices.length) {
        this.segmentError =
          skipped.length === 1
            ? `Segment ${names} is locked: unlock its take to make new ones.`
            : `Nothing to regenerate: the ${skippedWords} are kept as they are.`;
        return;
      }
      if (this.render.engine !== 'sampler')
        this.segmentNote = `Regenerating segment${segmentIndices.length === 1 ? '' : 's'} ${segmentIndices.map((i) => i + 1).join(', ')}; skipped ${skippedWords}.`;
    }
    if (this.render.engine === 'sampler') {
      this.segmentError = SAMPLER_TAKES_REASON;
      return;
    }
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
