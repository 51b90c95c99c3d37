// Preloaded (`--require`) into the children the local stack spawns with an IPC channel: when the
// channel closes, the parent is gone (even killed with SIGKILL), so the child leaves instead of
// living on as an orphan holding a port.
process.on('disconnect', () => process.exit(0));
