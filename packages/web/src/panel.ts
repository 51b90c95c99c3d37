/**
 * What the web app hands a project's own page (`web.panel` in the project config), and the parts
 * of the app such a page may reuse. A panel imports these from `@gatehouse/web/panel`, never by path.
 */
import type { GatehouseClientOptions } from '@gatehouse/client';

export interface ProjectPanelProps {
  /**
   * For `createGatehouseClient<typeof config>(clientOptions)`: the API's URL, the signed-in user's
   * tokens (Amplify), and how the API admits callers.
   */
  clientOptions: GatehouseClientOptions;
  /** Call when a call throws `SessionEndedError`: the app has signed out and says why. */
  onSessionEnded: () => void;
}

export { ErrorPanel } from './components/error-panel';
export { formatMs, latencyText } from './components/latency';
