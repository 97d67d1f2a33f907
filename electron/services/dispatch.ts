import { isMethodName, studioMethods, StudioFailure, fail, ok } from '../contract';
import type { MethodName, Result } from '../contract';
import { describeIssues } from '../contract/issue-words';
import type { ServiceContext, StudioHandlers } from './handlers';

export type Dispatch = (method: unknown, args: unknown) => Promise<Result<unknown>>;

/**
 * The single entry of every transport: the method name and its arguments arrive untrusted,
 * are checked against the contract at runtime, and every outcome comes back as a value.
 */
export function createDispatch(handlers: StudioHandlers, ctx: ServiceContext): Dispatch {
  return async (method, args) => {
    if (!isMethodName(method)) {
      return fail('unknown-method', `unknown method ${JSON.stringify(method)}`);
    }
    const spec = studioMethods[method];
    const parsed = spec.input.safeParse(args ?? {});
    if (!parsed.success) {
      return fail('invalid-argument', `${method}: ${describeIssues(parsed.error.issues, spec.input, args)}`);
    }
    try {
      const handler = handlers[method] as (a: unknown, c: ServiceContext) => unknown;
      return ok(await handler(parsed.data, ctx));
    } catch (error) {
      if (error instanceof StudioFailure) return fail(error.code, error.message);
      const message = error instanceof Error ? error.message : String(error);
      if (process.env.MIDI_VALLE_DEBUG) console.error(error);
      return fail('runtime', `${method as MethodName} failed: ${message}`);
    }
  };
}
