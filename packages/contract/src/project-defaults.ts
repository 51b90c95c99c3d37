/**
 * The defaults of a project config, once: the config's resolver, the edge's environment contract
 * and the construct's props all read them from here.
 */
export type TokenUse = 'id' | 'access';

export const PROJECT_DEFAULTS = {
  name: 'gatehouse',
  stage: 'prod',
  tokenUse: 'id' as TokenUse,
  coreTimeoutSeconds: 10,
  coreMemoryMb: 512,
  maxBodyBytes: 262_144,
  /** How long the edge waits for a core: well below the 30 s the API waits for the edge. */
  coreTimeoutMs: 8_000,
} as const;
