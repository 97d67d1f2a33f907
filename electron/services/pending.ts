import { StudioFailure, studioMethods, type MethodName } from '../contract';
import type { StudioHandlers } from './handlers';

/**
 * Handlers for contract methods whose service is not wired in this build: they answer with an
 * 'unavailable' error value instead of leaving the method undefined.
 */
export function pendingHandlers(implemented: Partial<StudioHandlers>): StudioHandlers {
  const all = {} as Record<MethodName, unknown>;
  for (const name of Object.keys(studioMethods) as MethodName[]) {
    all[name] =
      implemented[name] ??
      (() => {
        throw new StudioFailure('unavailable', `${name} is not available in this build`);
      });
  }
  return all as StudioHandlers;
}
