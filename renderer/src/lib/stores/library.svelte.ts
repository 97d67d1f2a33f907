// What the library holds: pieces, performers, packs and the install's engines. Each list keeps its
// own error so a view can show the failure where it happened.
import type { AppInfo } from '../../../../electron/contract/methods/app';
import type { PackSummary } from '../../../../electron/contract/methods/packs';
import type { PerformerSummary } from '../../../../electron/contract/methods/performers';
import type { PieceSummary } from '../../../../electron/contract/methods/pieces';
import { call, errorText, readFileData, type PickedFile } from '../api';

export const MIDI_FILE = /\.(mid|midi)$/i;
export const AUDIO_FILE = /\.(wav|flac|mp3|ogg|oga|m4a|aif|aiff)$/i;

class Library {
  info = $state<AppInfo | undefined>();
  infoError = $state<string | undefined>();
  pieces = $state<PieceSummary[]>([]);
  piecesError = $state<string | undefined>();
  performers = $state<PerformerSummary[]>([]);
  performersError = $state<string | undefined>();
  packs = $state<PackSummary[]>([]);
  packsError = $state<string | undefined>();
  importing = $state(false);
  importError = $state<string | undefined>();
  /** Says when an import opened a piece the library already held instead of adding a copy. */
  importNotice = $state<string | undefined>();

  async loadInfo(): Promise<void> {
    try {
      this.info = await call('app.info', {});
      this.infoError = undefined;
    } catch (error) {
      this.infoError = errorText(error);
    }
  }

  async loadPieces(): Promise<void> {
    try {
      this.pieces = await call('pieces.list', {});
      this.piecesError = undefined;
    } catch (error) {
      this.piecesError = errorText(error);
    }
  }

  async loadPerformers(): Promise<void> {
    try {
      this.performers = await call('performers.list', {});
      this.performersError = undefined;
    } catch (error) {
      this.performersError = errorText(error);
    }
  }

  async loadPacks(): Promise<void> {
    try {
      this.packs = await call('packs.list', {});
      this.packsError = undefined;
    } catch (error) {
      this.packsError = errorText(error);
    }
  }

  loadAll(): Promise<unknown> {
    return Promise.all([this.loadInfo(), this.loadPieces(), this.loadPerformers(), this.loadPacks()]);
  }

  /** Imports MIDI files as pieces; returns the id of the last one imported. */
  async importMidi(files: PickedFile[]): Promise<string | undefined> {
    this.importing = true;
    this.importError = undefined;
    this.importNotice = undefined;
    let lastId: string | undefined;
    try {
      for (const file of files) {
        const piece = await call('pieces.import', { file: await readFileData(file) });
        if (piece.existing)
          this.importNotice = `“${piece.title}” is already in the library: opened it instead of adding a copy.`;
        lastId = piece.id;
      }
      await this.loadPieces();
    } catch (error) {
      this.importError = errorText(error);
    } finally {
      this.importing = false;
    }
    return lastId;
  }
}

export const library = new Library();
