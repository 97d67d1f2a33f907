import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio, type Studio } from '../../electron/services/studio';

/** A studio on a fresh library, driven exactly as the UI drives it: through the validating dispatcher. */
export interface TestStudio {
  studio: Studio;
  /** Calls a method; an error value becomes a thrown Error naming its code. */
  call<T = any>(method: string, args: unknown): Promise<T>;
  /** Calls a method that must fail; returns its error value. */
  failure(method: string, args: unknown): Promise<{ code: string; message: string }>;
  /** Resolves with a job's end event. */
  jobEnd(jobId: string): Promise<{ status: string; message?: string }>;
}

export function testStudio(prefix: string, options: { host?: 'cli' | 'web' | 'electron' } = {}): TestStudio {
  const studio = createStudio({ home: mkdtempSync(join(tmpdir(), prefix)), host: options.host ?? 'cli' });
  return {
    studio,
    async call(method, args) {
      const result = await studio.dispatch(method, args);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as never;
    },
    async failure(method, args) {
      const result = await studio.dispatch(method, args);
      if (result.ok) throw new Error(`${method} succeeded but was expected to fail`);
      return result.error;
    },
    jobEnd: (jobId) =>
      new Promise((resolve) => {
        const off = studio.events.subscribe((e) => {
          if (e.type === 'job.ended' && e.jobId === jobId) {
            off();
            resolve(e);
          }
        });
      }),
  };
}
