import { expect } from 'vitest';
import { StudioFailure } from '../../electron/shared/failure';

/** Awaits a promise that must reject with a StudioFailure, and returns it for its code and message. */
export async function failure(promise: Promise<unknown>): Promise<StudioFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StudioFailure);
    return error as StudioFailure;
  }
  throw new Error('expected a StudioFailure');
}
