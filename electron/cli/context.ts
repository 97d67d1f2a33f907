import type { Command } from 'commander';
import type { MethodInput, MethodName, MethodOutput } from '../contract';
import { createStudio, type Studio } from '../services/studio';
import { resolveHome } from '../shared/paths';
import { terminalSafe } from '../shared/untrusted-text';
import { CliError, exitCodeFor } from './exit-codes';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
  debug?: boolean;
}

/** What a command needs: the global options, the library folder and, on demand, the services. */
export class CliContext {
  private studio: Studio | undefined;
  constructor(readonly options: GlobalOptions) {}

  static from(command: Command): CliContext {
    return new CliContext(command.optsWithGlobals<GlobalOptions>());
  }

  get json(): boolean {
    return Boolean(this.options.json);
  }

  get home(): string {
    return resolveHome(this.options.home);
  }

  services(): Studio {
    this.studio ??= createStudio({ home: this.home, host: 'cli' });
    return this.studio;
  }

  /** Calls a contract method exactly as the UI would, turning an error value into a CliError. */
  async call<M extends MethodName>(method: M, args: MethodInput<M>): Promise<MethodOutput<M>> {
    const result = await this.services().dispatch(method, args);
    if (!result.ok) throw new CliError(exitCodeFor(result.error.code), result.error.message);
    return result.value as MethodOutput<M>;
  }

  /** Prints a result: JSON when asked (which escapes controls itself), else the human text, in which
   *  control characters from names, titles and track names are shown as escapes, never sent raw. */
  print(value: unknown, human: () => string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${terminalSafe(human(), '\n\t')}\n`);
  }

  async close(): Promise<void> {
    await this.studio?.close();
  }
}
