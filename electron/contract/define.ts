import type { z } from 'zod';

/** One method of the studio API: a runtime schema for its arguments and one for its result. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for --help texts and docs. */
  summary: string;
}

export const defineMethod = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> =>
  spec;
