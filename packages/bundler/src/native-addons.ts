/**
 * Native addons (`.node` files) in a Node core's dependencies: esbuild cannot put one in a bundle,
 * and one installed on this machine is built for it, not for Lambda's Linux — so a core that loads
 * one works here and fails on AWS with "invalid ELF header" or "Cannot find module". The bundle's
 * inputs name each package it uses; a package that ships a `.node` file (or builds one, `binding.gyp`)
 * fails the build with the package named and the ways out.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type * as esbuild from 'esbuild';

export interface NativeAddon {
  /** `bcrypt`, `@scope/name`. */
  packageName: string;
  /** The addon (or `binding.gyp`), relative to the package. */
  file: string;
}

/** Folders deep enough for `build/Release/x.node` and `prebuilds/<platform>/x.node`. */
const MAX_DEPTH = 4;
const PACKAGE_ROOT = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//;

/** Packages among a bundle's inputs that ship or build a native addon. */
export function findNativeAddons(metafile: esbuild.Metafile, workingDir: string): NativeAddon[] {
  const roots = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const root = PACKAGE_ROOT.exec(input.replaceAll('\\', '/'))?.[1];
    if (root) roots.add(path.resolve(workingDir, root));
  }
  const found: NativeAddon[] = [];
  for (const root of roots) {
    const file = existsSync(path.join(root, 'binding.gyp')) ? 'binding.gyp' : addonIn(root, '', 0);
    if (file) found.push({ packageName: root.slice(root.lastIndexOf('node_modules/') + 'node_modules/'.length), file });
  }
  return found;
}

export function nativeAddonMessage(addons: readonly NativeAddon[], architecture = 'arm64'): string {
  const cpu = architecture === 'x86_64' ? 'x64' : 'arm64';
  const names = addons.map((a) => a.packageName);
  return (
    `${addons.map((a) => `${a.packageName} (${a.file})`).join(', ')} ${addons.length === 1 ? 'is a native addon' : 'are native addons'}: ` +
    `esbuild cannot bundle ${addons.length === 1 ? 'it' : 'them'}, and one built on this machine does not load on Lambda (Linux ${cpu}). ` +
    `Use a pure-JavaScript package instead, or mark ${names.join(', ')} external and ship ${addons.length === 1 ? 'it' : 'them'} in a layer ` +
    `installed for Lambda: npm install --os=linux --cpu=${cpu} ${names.join(' ')}`
  );
}

/** Fails a Node core's build on a `.node` import or a dependency that ships a native addon. */
export function nativeAddonGuard(architecture = 'arm64'): esbuild.Plugin {
  return {
    name: 'gatehouse-native-addons',
    setup(build) {
      build.onResolve({ filter: /\.node$/ }, (args) => {
        const packageName = PACKAGE_ROOT.exec(`${args.resolveDir.replaceAll('\\', '/')}/`)?.[1]
          ?.split('node_modules/')
          .pop();
        return {
          errors: [
            {
              text: nativeAddonMessage([{ packageName: packageName ?? args.importer, file: args.path }], architecture),
            },
          ],
        };
      });
      build.onEnd((result) => {
        if (!result.metafile || result.errors.length > 0) return;
        const addons = findNativeAddons(result.metafile, build.initialOptions.absWorkingDir ?? process.cwd());
        return addons.length > 0 ? { errors: [{ text: nativeAddonMessage(addons, architecture) }] } : undefined;
      });
    },
  };
}

function addonIn(root: string, relative: string, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(path.join(root, relative), { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const child = path.join(relative, entry.name);
    if (entry.isFile() && entry.name.endsWith('.node')) return child;
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      const found = addonIn(root, child, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
