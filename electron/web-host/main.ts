import { join } from 'node:path';
import { createStudio } from '../services/studio';
import { projectRoot } from '../shared/package-info';
import { resolveHome } from '../shared/paths';
import { startWebHost } from './server';

/** `npm run studio:web`: the whole studio in a browser, served from this machine only. */
export async function runWebHost(argv: string[], rendererDir = join(projectRoot(), 'out', 'renderer')): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const port = arg('--port') ? Number(arg('--port')) : 0;
  const studio = createStudio({ home: resolveHome(arg('--home')), host: 'web' });
  const host = await startWebHost({
    studio,
    rendererDir,
    port,
    token: arg('--token') ?? process.env.MIDI_VALLE_WEB_TOKEN,
  });
  console.log(`MIDI-VALLE Studio (browser host) — library: ${studio.ctx.home}`);
  console.log(`Open ${host.url}`);
  console.log('Listening on 127.0.0.1 only. From another computer: ssh -L <port>:127.0.0.1:<port> this-host');
  const resumed = studio.ctx.jobs.resumeInterrupted();
  if (resumed.length) console.log(`Resuming ${resumed.length} render job(s) that a crash or kill interrupted.`);
  const stop = async (): Promise<void> => {
    await host.close();
    await studio.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
