import { packageInfo } from '../shared/package-info';
import type { Handler } from './handlers';

export const appInfo: Handler<'app.info'> = (_args, ctx) => {
  const pkg = packageInfo();
  return {
    name: pkg.productName,
    version: pkg.version,
    host: ctx.host,
    home: ctx.home,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    engines: [
      {
        id: 'sampler',
        label: 'Sampled grand (non-neural)',
        available: true,
        detail: 'Salamander Grand Piano V3 samples, built in',
      },
      {
        id: 'neural',
        label: 'MIDI-VALLE (neural)',
        available: false,
        detail: 'no model pack installed',
      },
    ],
  };
};

export const appEcho: Handler<'app.echo'> = (args) => ({
  text: args.text,
  receivedAt: new Date().toISOString(),
});
