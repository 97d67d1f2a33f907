// Paths that come from a client are checked against the one folder they may reach. Both the lexical
// path and its real path (symlinks followed, for the part that exists) must stay inside the folder.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** True when `path` is `root` itself or lies below it, compared as given (no symlinks followed). */
export function isInsideLexically(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of `path`'s deepest existing ancestor (itself when it exists). */
function realAncestor(path: string): string {
  let p = resolve(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return realpathSync(p);
}

/** True when `path` lies inside `root`, both as written and after following symlinks. */
export function isContained(root: string, path: string): boolean {
  if (!isInsideLexically(root, path)) return false;
  const realRoot = existsSync(root) ? realpathSync(root) : resolve(root);
  return isInsideLexically(realRoot, realAncestor(path));
}
