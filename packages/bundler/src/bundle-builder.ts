/**
 * Builds bundles once, or keeps them built: in watch mode esbuild rebuilds on source changes (the
 * local Lambda service's file watcher then recycles the function's environments). A first build
 * with errors fails with them; later ones are reported and the last good bundle keeps running.
 */
import * as esbuild from 'esbuild';

export interface BuiltBundles {
  dispose(): Promise<void>;
}

export class BundleBuildError extends Error {
  constructor(
    readonly bundle: string,
    readonly messages: string[],
  ) {
    super(`The ${bundle} bundle failed to build:\n${messages.map((m) => `  ${m}`).join('\n')}`);
    this.name = 'BundleBuildError';
  }
}

export async function buildAll(
  bundles: ReadonlyArray<{ name: string; options: esbuild.BuildOptions }>,
  watch: boolean,
  onLog: (line: string) => void,
): Promise<BuiltBundles> {
  const contexts: esbuild.BuildContext[] = [];
  try {
    await Promise.all(
      bundles.map(async ({ name, options }) => {
        if (!watch) {
          const result = await esbuild.build(options).catch((error: esbuild.BuildFailure) => error);
          if ('errors' in result && result.errors.length > 0)
            throw new BundleBuildError(name, result.errors.map(formatMessage));
          return;
        }
        let resolveFirst: (errors: esbuild.Message[]) => void = () => {};
        const first = new Promise<esbuild.Message[]>((resolve) => {
          resolveFirst = resolve;
        });
        let built = false;
        const plugin: esbuild.Plugin = {
          name: 'gatehouse-rebuild-log',
          setup(build) {
            build.onEnd((result) => {
              if (!built) resolveFirst(result.errors);
              else
                onLog(
                  `${name}: rebuilt${result.errors.length > 0 ? ` with ${result.errors.length} errors: ${result.errors.map(formatMessage).join('; ')}` : ''}`,
                );
              built = true;
            });
          },
        };
        const context = await esbuild.context({ ...options, plugins: [...(options.plugins ?? []), plugin] });
        contexts.push(context);
        await context.watch();
        const errors = await first;
        if (errors.length > 0) throw new BundleBuildError(name, errors.map(formatMessage));
      }),
    );
  } catch (error) {
    await Promise.all(contexts.map((c) => c.dispose()));
    throw error;
  }
  return { dispose: async () => void (await Promise.all(contexts.map((c) => c.dispose()))) };
}

function formatMessage(message: esbuild.Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}: ` : '';
  return `${where}${message.text}`;
}
