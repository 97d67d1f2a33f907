// Works: performances of one piece grouped, with an optional score, and their curves.
import type { WorkCurves, WorkDetail, WorkSummary } from '../../../../electron/contract/methods/works';
import { call, errorText, readFileData, type PickedFile } from '../api';

class Works {
  list = $state<WorkSummary[]>([]);
  listError = $state<string | undefined>();
  current = $state.raw<WorkDetail | undefined>();
  curves = $state.raw<WorkCurves | undefined>();
  loading = $state(false);
  error = $state<string | undefined>();
  busy = $state(false);
  private request = 0;

  async load(): Promise<void> {
    try {
      this.list = await call('works.list', {});
      this.listError = undefined;
    } catch (error) {
      this.listError = errorText(error);
    }
  }

  /** Opens a work and aligns its performances (milliseconds each; the answer for an older click is dropped). */
  async open(id: string): Promise<void> {
    const mine = ++this.request;
    this.loading = true;
    this.error = undefined;
    try {
      const [detail, curves] = await Promise.all([call('works.get', { id }), call('works.curves', { id })]);
      if (mine !== this.request) return;
      this.current = detail;
      this.curves = curves;
    } catch (error) {
      if (mine === this.request) this.error = errorText(error);
    } finally {
      if (mine === this.request) this.loading = false;
    }
  }

  async create(title: string, files: PickedFile[], score: PickedFile | undefined): Promise<boolean> {
    this.busy = true;
    this.error = undefined;
    try {
      const work = await call('works.create', {
        title,
        files: await Promise.all(files.map(readFileData)),
        ...(score ? { score: await readFileData(score) } : {}),
      });
      await this.load();
      await this.open(work.id);
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async add(files: PickedFile[], as: 'performance' | 'score'): Promise<void> {
    const work = this.current;
    if (!work) return;
    this.busy = true;
    this.error = undefined;
    try {
      for (const file of files) {
        await call('works.addPiece', { workId: work.id, source: { file: await readFileData(file) }, as });
      }
      await this.load();
      await this.open(work.id);
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }
}

export const works = new Works();
