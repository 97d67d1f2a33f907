// Keyboard shortcuts: the mapping, and that typing in a field never triggers one.
import { describe, expect, it } from 'vitest';
import { resolveShortcut, type KeyLike } from '../../renderer/src/lib/shortcuts';

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  target: null,
  ...extra,
});

/** A stand-in for a DOM element: only what the resolver asks of its target. */
const element = (tag: string, type = ''): EventTarget =>
  ({
    tagName: tag,
    type,
    isContentEditable: false,
    closest(selector: string) {
      const matches = selector.split(',').some((s) => s.trim().split(/[[\s]/)[0]!.toUpperCase() === tag);
      return matches ? this : null;
    },
  }) as unknown as EventTarget;

describe('shortcuts', () => {
  it('maps the studio keys', () => {
    expect(resolveShortcut(key(' '))).toBe('play-pause');
    expect(resolveShortcut(key('r'))).toBe('regenerate-segment');
    expect(resolveShortcut(key('A'))).toBe('switch-a');
    expect(resolveShortcut(key('b'))).toBe('switch-b');
    expect(resolveShortcut(key('ArrowRight'))).toBe('next-segment');
    expect(resolveShortcut(key('ArrowLeft'))).toBe('previous-segment');
    expect(resolveShortcut(key('ArrowLeft', { shiftKey: true }))).toBe('pan-left');
    expect(resolveShortcut(key('+'))).toBe('zoom-in');
    expect(resolveShortcut(key('0'))).toBe('zoom-fit');
    expect(resolveShortcut(key('x'))).toBeNull();
  });

  it('leaves typing, browser shortcuts and button presses alone', () => {
    expect(resolveShortcut(key('r', { target: element('INPUT', 'text') }))).toBeNull();
    expect(resolveShortcut(key('a', { target: element('TEXTAREA') }))).toBeNull();
    expect(resolveShortcut(key('r', { ctrlKey: true }))).toBeNull();
    expect(resolveShortcut(key(' ', { target: element('BUTTON') }))).toBeNull();
    expect(resolveShortcut(key('r', { target: element('INPUT', 'checkbox') }))).toBe('regenerate-segment');
  });

  it('undoes a deletion with Ctrl+Z or Cmd+Z, except inside a text field', () => {
    expect(resolveShortcut(key('z', { ctrlKey: true }))).toBe('undo-delete');
    expect(resolveShortcut(key('Z', { metaKey: true }))).toBe('undo-delete');
    expect(resolveShortcut(key('z', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(resolveShortcut(key('z', { ctrlKey: true, target: element('INPUT', 'text') }))).toBeNull();
    expect(resolveShortcut(key('z'))).toBeNull();
  });
});
