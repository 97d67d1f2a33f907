import type { MethodArgs, MethodName, MethodOutput } from '../contract';
import type { EventHub } from './events';

export type HostKind = 'electron' | 'web' | 'cli';

/** What every handler may use; built once per studio. */
export interface ServiceContext {
  home: string;
  host: HostKind;
  events: EventHub;
}

export type Handler<M extends MethodName> = (
  args: MethodArgs<M>,
  ctx: ServiceContext,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

export type StudioHandlers = { [M in MethodName]: Handler<M> };
