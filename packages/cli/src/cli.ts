/** `gatehouse/cli`: the command's entry, which the `gatehouse` bin runs. */
export { main } from './cli/main';
