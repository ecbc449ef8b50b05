export function keyId(_k: unknown): string { throw new Error("not implemented"); }
export function canonicalKeyId(_k: unknown): string { throw new Error("not implemented"); }
