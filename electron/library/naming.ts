import { StudioFailure } from '../shared/failure';
import type { Library } from './library';
import { getPerformer, updatePerformer } from './performers';
import { getPiece } from './projects';
import type { PerformerRecord, PieceRecord, RenderRecord } from './records';
import { getRender } from './renders';

// Renaming: pieces (title, and composer when given), performers (unique names) and renders
// (an optional name; cleared with an empty string).

const MAX_NAME = 200;

function cleanName(value: string, what: string): string {
  const name = value.replace(/\s+/g, ' ').trim();
  if (!name) throw new StudioFailure('invalid-argument', `${what} needs a non-empty name`);
  if (name.length > MAX_NAME)
    throw new StudioFailure('invalid-argument', `${what} names are at most ${MAX_NAME} characters`);
  return name;
}

export function renamePiece(
  lib: Library,
  pieceId: string,
  change: { title?: string; composer?: string | null },
): PieceRecord {
  const piece = getPiece(lib, pieceId);
  const title = change.title === undefined ? piece.title : cleanName(change.title, 'a piece');
  const composer =
    change.composer === undefined ? piece.composer : change.composer?.replace(/\s+/g, ' ').trim() || null;
  lib.write(() =>
    lib.db.prepare('UPDATE pieces SET title = ?, composer = ? WHERE id = ?').run(title, composer, pieceId),
  );
  return getPiece(lib, pieceId);
}

/** Names are unique ignoring case: a name in use is a 'conflict'. */
export function renamePerformer(lib: Library, performerId: string, name: string): PerformerRecord {
  const performer = getPerformer(lib, performerId);
  const clean = cleanName(name, 'a performer');
  const clash = lib.db
    .prepare('SELECT name FROM performers WHERE name = ? COLLATE NOCASE AND id != ?')
    .pluck()
    .get(clean, performerId) as string | undefined;
  if (clash)
    throw new StudioFailure(
      'conflict',
      `a performer named "${clash}" already exists; choose another name for "${performer.name}"`,
    );
  return updatePerformer(lib, performerId, { name: clean });
}

/** Gives a render a name; an empty name clears it (the render is then labelled by piece and performer). */
export function renameRender(lib: Library, renderId: string, name: string): RenderRecord {
  getRender(lib, renderId);
  const clean = name.trim() ? cleanName(name, 'a render') : null;
  lib.write(() => lib.db.prepare('UPDATE renders SET name = ? WHERE id = ?').run(clean, renderId));
  return getRender(lib, renderId);
}
