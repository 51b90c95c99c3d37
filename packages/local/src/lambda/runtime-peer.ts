/**
 * Whether a connection to an environment's Runtime API was opened by that environment's own
 * runtime: the process the service started, or one of its descendants (a `bootstrap` script that
 * runs its runtime as a child). On AWS nothing but the sandbox's processes can reach the Runtime
 * API; on a laptop any local process and any web page can reach a loopback port, and whoever takes
 * `/next` receives the caller's event — tokens included — and answers in the function's name.
 *
 * Linux tells who holds the other end of a loopback connection without changing the contract for
 * runtime clients: the peer's socket is the row of `/proc/net/tcp` (or `tcp6`) whose local port is
 * the connection's remote port and whose remote port is the server's; its inode is among the
 * file descriptors (`/proc/<pid>/fd/* → socket:[inode]`) of exactly one process tree. A runtime
 * keeps one connection for its life, so this runs once per connection (the Runtime API caches the
 * verdict), not per invocation, and off the event loop: reading `/proc/net/tcp` walks the kernel's
 * whole connection table, ≈ 6 ms on a 24 GiB VM (docs/PERFORMANCE.md). Elsewhere (macOS, Windows) there is no such table to read; the
 * Runtime API then relies on its `Host` and `Origin` checks alone (docs/SECURITY.md).
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

export const CAN_CHECK_PEER = process.platform === 'linux';

/**
 * `true` when the process `rootPid` or a descendant holds the peer end of the connection from
 * `remotePort` to `localPort`; `false` when another process does or nobody can be found.
 */
export async function peerIsProcessTree(rootPid: number, localPort: number, remotePort: number): Promise<boolean> {
  const inode = await peerInode(localPort, remotePort);
  if (inode === undefined) return false;
  const target = `socket:[${inode}]`;
  if (await holdsSocket(rootPid, target)) return true;
  for (const pid of await descendantsOf(rootPid)) if (await holdsSocket(pid, target)) return true;
  return false;
}

/** The inode of the socket bound to `remotePort` and connected to `localPort`. */
async function peerInode(localPort: number, remotePort: number): Promise<string | undefined> {
  const peerLocal = `:${hexPort(remotePort)}`;
  const peerRemote = `:${hexPort(localPort)}`;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(table, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(peerLocal) && fields[2]?.endsWith(peerRemote)) return fields[9];
    }
  }
  return undefined;
}

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

async function holdsSocket(pid: number, target: string): Promise<boolean> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if ((await readlink(`/proc/${pid}/fd/${fd}`)) === target) return true;
    } catch {
      // closed while we looked
    }
  }
  return false;
}

/**
 * Every live descendant of `rootPid`, from each process's parent in `/proc/<pid>/stat` (the
 * kernel's `children` lists are not built everywhere). Only reached when the connection is not the
 * runtime process's own.
 */
async function descendantsOf(rootPid: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue;
    }
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so parse after the last `)`.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const siblings = children.get(parent);
    if (siblings) siblings.push(pid);
    else children.set(parent, [pid]);
  }
  const found: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0 && found.length < entries.length) {
    for (const child of children.get(pending.pop() as number) ?? []) {
      found.push(child);
      pending.push(child);
    }
  }
  return found;
}
