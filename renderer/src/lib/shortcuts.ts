// Keyboard shortcuts as a pure mapping from a key event to an action, so the mapping can be read
// (and tested) in one place; App.svelte performs the actions.
export type ShortcutAction =
  | 'play-pause'
  | 'regenerate-segment'
  | 'switch-a'
  | 'switch-b'
  | 'switch-next'
  | 'previous-segment'
  | 'next-segment'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-fit'
  | 'pan-left'
  | 'pan-right'
  | 'undo-delete';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  target: EventTarget | null;
}

/** Typing in a field must never trigger a shortcut. */
function isEditable(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const field = element.closest('input, textarea, select, [contenteditable="true"]');
  if (!field) return false;
  const type = (field as HTMLInputElement).type;
  return !(field.tagName === 'INPUT' && (type === 'checkbox' || type === 'radio' || type === 'range'));
}

export const SHORTCUT_HELP: Array<[string, string]> = [
  ['Space', 'Play / pause'],
  ['R', 'Regenerate the selected segment with a new seed'],
  ['A / B', 'Listen to render A or B (compare view)'],
  ['S', 'Next render in the comparison'],
  ['← / →', 'Previous / next segment'],
  ['+ / − / 0', 'Zoom in / out / whole piece'],
  ['Shift + ← / →', 'Scroll the piano roll'],
  ['Ctrl / ⌘ + Z', 'Undo the last deletion (it comes back from the trash)'],
];

export function resolveShortcut(event: KeyLike): ShortcutAction | null {
  // Ctrl+Z (Cmd+Z on macOS) outside a text field undoes a deletion; in a field it stays the field's undo.
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'z')
    return isEditable(event.target) ? null : 'undo-delete';
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isEditable(event.target)) return null;
  const target = event.target as HTMLElement | null;
  const onButton = !!target && typeof target.closest === 'function' && !!target.closest('button, a, [role="tab"]');
  switch (event.key) {
    case ' ':
      // Space on a focused button presses it; elsewhere it is the transport.
      return onButton ? null : 'play-pause';
    case 'r':
    case 'R':
      return 'regenerate-segment';
    case 'a':
    case 'A':
      return 'switch-a';
    case 'b':
    case 'B':
      return 'switch-b';
    case 's':
    case 'S':
      return 'switch-next';
    case 'ArrowLeft':
      return event.shiftKey ? 'pan-left' : 'previous-segment';
    case 'ArrowRight':
      return event.shiftKey ? 'pan-right' : 'next-segment';
    case '+':
    case '=':
      return 'zoom-in';
    case '-':
    case '_':
      return 'zoom-out';
    case '0':
      return 'zoom-fit';
    default:
      return null;
  }
}
