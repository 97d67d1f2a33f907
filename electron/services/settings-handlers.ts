import type { Handler } from './handlers';

export const settingsGet: Handler<'settings.get'> = (_args, ctx) => ctx.settings.get();
export const settingsSet: Handler<'settings.set'> = (args, ctx) => ctx.settings.set(args);
