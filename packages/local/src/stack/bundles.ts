/**
 * The Lambda bundles the stack runs, built with the same esbuild options `npm run build` uses — so
 * what runs locally is what would be uploaded. In watch mode esbuild rebuilds on source changes and
 * the Lambda service's file watcher recycles the workers.
 */
import * as esbuild from 'esbuild';
import { lambdaBuildOptions } from '../../../../scripts/bundle-lambda';

export interface BundleBuilds {
  /** Bundle path per package name. */
  outfiles: Record<string, string>;
  dispose(): Promise<void>;
}

export async function buildBundles(
  names: readonly string[],
  watch: boolean,
  onLog: (line: string) => void,
): Promise<BundleBuilds> {
  const outfiles: Record<string, string> = {};
  const contexts: esbuild.BuildContext[] = [];
  try {
    await Promise.all(
      names.map(async (name) => {
        const options = lambdaBuildOptions(name);
        outfiles[name] = options.outfile;
        if (!watch) {
          await esbuild.build(options);
          return;
        }
        const plugin: esbuild.Plugin = {
          name: 'gatehouse-rebuild-log',
          setup(build) {
            let first = true;
            build.onEnd((result) => {
              if (!first) onLog(`${name}: rebuilt (${result.errors.length} errors)`);
              first = false;
            });
          },
        };
        const context = await esbuild.context({ ...options, plugins: [...(options.plugins ?? []), plugin] });
        contexts.push(context);
        await context.rebuild();
        await context.watch();
      }),
    );
  } catch (error) {
    await Promise.all(contexts.map((c) => c.dispose()));
    throw error;
  }
  return { outfiles, dispose: async () => void (await Promise.all(contexts.map((c) => c.dispose()))) };
}
