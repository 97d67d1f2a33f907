import type { MethodArgs, MethodName, MethodOutput } from '../contract';
import type { Library } from '../library';
import type { EventHub } from './events';
import type { RenderJobs } from './render/jobs';
import type { TaskRunner } from './tasks';
import type { SettingsStore } from './settings-store';
import type { UploadStore } from './uploads';

export type HostKind = 'electron' | 'web' | 'cli';

/** What every handler may use; built once per studio. */
export interface ServiceContext {
  home: string;
  host: HostKind;
  events: EventHub;
  /** Render jobs: start, regenerate, resume, cancel (electron/services/render/jobs.ts). */
  jobs: RenderJobs;
  /** Other long work (pack installs): background tasks with progress and cancel. */
  tasks: TaskRunner;
  settings: SettingsStore;
  /** Files the browser host received in chunks, until a call takes them. */
  uploads: UploadStore;
  /** The library, opened on first use (so `midi-valle --version` never touches the database). */
  library(): Library;
}

export type Handler<M extends MethodName> = (
  args: MethodArgs<M>,
  ctx: ServiceContext,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

export type StudioHandlers = { [M in MethodName]: Handler<M> };
