export const handle = async () => ({ ok: true });
