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
        let firstBuild: (errors: number) => void = () => {};
        const built = new Promise<number>((resolve) => {
          firstBuild = resolve;
        });
        let first = true;
        const plugin: esbuild.Plugin = {
          name: 'gatehouse-rebuild-log',
          setup(build) {
            build.onEnd((result) => {
              if (first) firstBuild(result.errors.length);
              else onLog(`${name}: rebuilt (${result.errors.length} errors)`);
              first = false;
            });
          },
        };
        const context = await esbuild.context({ ...options, plugins: [...(options.plugins ?? []), plugin] });
        contexts.push(context);
        await context.watch();
        const errors = await built;
        if (errors > 0) throw new Error(`the ${name} bundle failed to build (${errors} errors, printed above)`);
      }),
    );
  } catch (error) {
    await Promise.all(contexts.map((c) => c.dispose()));
    throw error;
  }
  return { outfiles, dispose: async () => void (await Promise.all(contexts.map((c) => c.dispose()))) };
}
