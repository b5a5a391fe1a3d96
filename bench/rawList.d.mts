// Types of bench/rawList.mjs (plain JavaScript, so a fresh `node` runs it as it is).
export function rawList(target: { server: string; ca: Buffer | string; token: string }): Promise<number>;
