/** The module `project-plugin.ts` generates: the project this app was started for, if any. */
declare module 'virtual:gatehouse-project' {
  import type { GatehouseConfig } from '@gatehouse/contract';
  import type { ComponentType } from 'react';
  import type { ProjectPanelProps } from './panel';

  export const projectConfig: GatehouseConfig | undefined;
  export const ProjectPanel: ComponentType<ProjectPanelProps> | undefined;
}
