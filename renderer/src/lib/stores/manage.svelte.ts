// Tidying the library from the views: rename and delete pieces, performers, renders and takes.
// Deleted items go to the trash; this window's deletions can be undone newest first (Ctrl+Z / Cmd+Z).
// A performer that renders use is not deleted until the user confirms, having read which renders.
import type { TrashItem } from '../../../../electron/contract/methods/common';
import { ApiError, call, errorText } from '../api';
import { library } from './library.svelte';
import { session } from './session.svelte';

export interface PendingConfirm {
  performerId: string;
  /** The services' message, naming the renders that use the performer. */
  message: string;
}

class Manage {
  /** This window's deletions, newest last: what Ctrl+Z restores. */
  undoStack = $state<TrashItem[]>([]);
  /** One line about the last action ("Moved … to the trash."). */
  notice = $state<string | undefined>();
  error = $state<string | undefined>();
  confirm = $state<PendingConfirm | undefined>();
  /** What is in the trash (every window's and the CLI's deletions), newest first. */
  trash = $state<TrashItem[]>([]);

  async loadTrash(): Promise<void> {
    try {
      this.trash = await call('trash.list', {});
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** Restores one entry of the trash list. */
  restore(id: string): Promise<void> {
    return this.attempt(async () => {
      const restored = await call('trash.restore', { id });
      this.undoStack = this.undoStack.filter((item) => item.id !== id);
      this.notice = `Restored ${restored.kind} “${restored.label}”.`;
      await this.refresh();
      if (restored.renderId) await session.refreshRender(restored.renderId);
    });
  }

  /** Deletes everything in the trash for good (the blobs go at the next gc). */
  emptyTrash(): Promise<void> {
    return this.attempt(async () => {
      const { removed } = await call('trash.empty', {});
      this.undoStack = [];
      this.notice = `Deleted ${removed} item${removed === 1 ? '' : 's'} for good.`;
      await this.loadTrash();
    });
  }

  get lastDeleted(): TrashItem | undefined {
    return this.undoStack[this.undoStack.length - 1];
  }

  private deleted(item: TrashItem): void {
    this.undoStack = [...this.undoStack.slice(-19), item];
    this.notice = `Moved ${item.kind} “${item.label}” to the trash${item.summary ? ` with ${item.summary}` : ''}.`;
    this.error = undefined;
  }

  private async refresh(): Promise<void> {
    await Promise.all([library.loadPieces(), library.loadPerformers(), this.loadTrash()]);
    await session.followLibrary(library.pieces);
  }

  private async attempt(work: () => Promise<void>): Promise<void> {
    this.error = undefined;
    try {
      await work();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  renamePiece(id: string, title: string): Promise<void> {
    return this.attempt(async () => {
      const piece = await call('pieces.rename', { id, title });
      this.notice = `Renamed the piece to “${piece.title}”.`;
      await this.refresh();
    });
  }

  renamePerformer(id: string, name: string): Promise<void> {
    return this.attempt(async () => {
      const performer = await call('performers.rename', { id, name });
      this.notice = `Renamed the performer to “${performer.name}”.`;
      await this.refresh();
    });
  }

  renameRender(id: string, name: string): Promise<void> {
    return this.attempt(async () => {
      await call('renders.rename', { id, name });
      this.notice = name.trim() ? `Named the render “${name.trim()}”.` : 'Cleared the render’s name.';
      await session.loadRenders();
    });
  }

  deletePiece(id: string): Promise<void> {
    return this.attempt(async () => {
      const { trash } = await call('pieces.remove', { id });
      if (trash) this.deleted(trash);
      await this.refresh();
    });
  }

  /** Without `force`, a performer that renders use comes back as a question (which renders) instead. */
  deletePerformer(id: string, force = false): Promise<void> {
    return this.attempt(async () => {
      try {
        const { trash } = await call('performers.remove', { id, force });
        this.confirm = undefined;
        this.deleted(trash);
        if (session.performerId === id) session.performerId = undefined;
        await this.refresh();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'conflict' && !force) {
          this.confirm = { performerId: id, message: error.message };
          return;
        }
        throw error;
      }
    });
  }

  deleteRender(id: string): Promise<void> {
    return this.attempt(async () => {
      const { trash } = await call('renders.remove', { id });
      this.deleted(trash);
      await this.refresh();
    });
  }

  deleteTake(takeId: string): Promise<void> {
    return this.attempt(async () => {
      const { trash, render } = await call('takes.remove', { takeId });
      this.deleted(trash);
      session.showRender(render);
    });
  }

  /** Restores this window's newest deletion; false when there is nothing to undo. */
  async undo(): Promise<boolean> {
    const item = this.lastDeleted;
    if (!item) return false;
    await this.attempt(async () => {
      const restored = await call('trash.restore', { id: item.id }).catch((error: unknown) => {
        // emptied meanwhile (another window, the CLI): nothing left to undo for this entry
        if (error instanceof ApiError && error.code === 'not-found') this.undoStack = this.undoStack.slice(0, -1);
        throw error;
      });
      this.undoStack = this.undoStack.slice(0, -1);
      this.notice = `Restored ${restored.kind} “${restored.label}”.`;
      await this.refresh();
      await session.loadRenders();
      if (restored.renderId) await session.refreshRender(restored.renderId);
    });
    return true;
  }
}

export const manage = new Manage();
