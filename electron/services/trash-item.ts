import type { TrashItem } from '../contract/methods/common';
import type { TrashEntry } from '../library';

export const trashItem = (entry: TrashEntry): TrashItem => ({
  id: entry.id,
  kind: entry.kind,
  itemId: entry.itemId,
  label: entry.label,
  summary: entry.summary,
  deletedAt: new Date(entry.deletedAt).toISOString(),
});
