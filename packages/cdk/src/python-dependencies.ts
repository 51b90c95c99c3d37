/**
 * A Python core's `requirements.txt` installed into its Lambda asset without Docker: wheels only
 * (`--only-binary :all:`, so nothing is compiled for the build machine), chosen for the function's
 * architecture and runtime — with uv when it is on PATH, else the machine's pip with several
 * manylinux tags (numpy 2.3 publishes no `manylinux2014` wheel; Python 3.12+ runs on AL2023's
 * glibc 2.34). pip and uv read their usual settings (`PIP_INDEX_URL`, `PIP_FIND_LINKS`,
 * `UV_INDEX_URL`…).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { CoreArchitecture, CoreRuntime } from '@gatehouse/contract';

export const REQUIREMENTS_FILE = 'requirements.txt';

/** Tags pip may pick for a Lambda on AL2023 (glibc 2.34), oldest first. */
const MANYLINUX = ['manylinux2014', 'manylinux_2_28', 'manylinux_2_34'];
const MACHINE: Record<CoreArchitecture, string> = { arm64: 'aarch64', x86_64: 'x86_64' };

export interface InstallTarget {
  runtime: CoreRuntime;
  architecture: CoreArchitecture;
}

export type Installer = { tool: 'uv' | 'pip'; command: string; args: string[] };

/** The install command for `requirementsFile` into `targetDir`: uv when on PATH, else pip. */
export function installCommand(requirementsFile: string, targetDir: string, target: InstallTarget): Installer {
  const version = target.runtime.replace(/^python/, '');
  const machine = MACHINE[target.architecture];
  if (onPath('uv')) {
    return {
      tool: 'uv',
      command: 'uv',
      args: [
        'pip',
        'install',
        '--python-platform',
        `${machine}-manylinux2014`,
        '--python-version',
        version,
        '--only-binary',
        ':all:',
        '--target',
        targetDir,
        '-r',
        requirementsFile,
      ],
    };
  }
  return {
    tool: 'pip',
    command: process.env.GATEHOUSE_PYTHON ?? 'python3',
    args: [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      ...MANYLINUX.flatMap((tag) => ['--platform', `${tag}_${machine}`]),
      '--implementation',
      'cp',
      '--python-version',
      version,
      '--only-binary=:all:',
      '--target',
      targetDir,
      '-r',
      requirementsFile,
    ],
  };
}

/**
 * Installs the requirements into the asset folder.
 * @throws Error naming the requirement that has no wheel for the platform, and the ways out.
 */
export function installRequirements(requirementsFile: string, targetDir: string, target: InstallTarget): void {
  const installer = installCommand(requirementsFile, targetDir, target);
  try {
    execFileSync(installer.command, installer.args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 });
  } catch (error) {
    const output = `${(error as { stderr?: Buffer }).stderr ?? ''}${(error as { stdout?: Buffer }).stdout ?? ''}`;
    const platform = `Linux ${target.architecture} (${target.runtime})`;
    const missing =
      /No matching distribution found for (\S+)/.exec(output)?.[1] ??
      /Because (\S+) has no wheels with a matching/.exec(output)?.[1] ??
      /Because (?:there are no versions of|only) (\S+)/.exec(output)?.[1];
    if (missing) {
      throw new Error(
        `${requirementsFile}: "${missing}" has no wheel for ${platform}, and Lambda cannot build one. Use a version ` +
          'that publishes a manylinux wheel, put the package in a layer (coreFunctionProps.layers), or build the ' +
          'function yourself (e.g. with Docker) and pass it as cores.<name>',
        { cause: error },
      );
    }
    const reason = output.trim().split('\n').filter(Boolean).slice(-3).join(' ') || (error as Error).message;
    throw new Error(`${installer.tool} could not install ${requirementsFile} for ${platform}: ${reason}`, {
      cause: error,
    });
  }
}

function onPath(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}
