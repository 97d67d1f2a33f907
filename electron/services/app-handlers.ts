import { packageInfo } from '../shared/package-info';
import type { Handler } from './handlers';
import { listPacks } from './neural/pack-registry';

export const appInfo: Handler<'app.info'> = async (_args, ctx) => {
  const pkg = packageInfo();
  const packs = await listPacks(ctx.home);
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
        // The built-in pack has random weights: it exercises the neural path but makes noise, so it
        // does not make the neural engine the default.
        available: packs.some((p) => !p.builtIn),
        detail: packs.length
          ? packs
              .map((p) => `${p.manifest.displayName} (${p.manifest.id})${p.builtIn ? ' — built-in test pack' : ''}`)
              .join('; ')
          : 'no model pack installed',
      },
    ],
  };
};

export const appEcho: Handler<'app.echo'> = (args) => ({
  text: args.text,
  receivedAt: new Date().toISOString(),
});
