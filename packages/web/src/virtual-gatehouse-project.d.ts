/** The module `project-plugin.ts` generates: the project this app was started for, if any. */
declare module 'virtual:gatehouse-project' {
  import type { ComponentType } from 'react';
  import type { BundledRoutes } from './console/console-routes';
  import type { ProjectPanelProps } from './panel';

  /** The routes' descriptions and input JSON Schemas, never the rest of the config. */
  export const projectRoutes: BundledRoutes | undefined;
  export const ProjectPanel: ComponentType<ProjectPanelProps> | undefined;
}
