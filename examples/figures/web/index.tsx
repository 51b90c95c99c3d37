/**
 * The sample project's page for the local web app, named by `web.panel` in its gatehouse config:
 * the app imports this module's default export lazily and shows it as the main page.
 */
export { FiguresPage as default } from './src/figures-page';
