// The one place SQL values become TypeScript values: JSON text ↔ values, 0/1 ↔ booleans.

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T>(text: string): T;
export function fromJson<T>(text: string | null): T | null;
export function fromJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function fromFlag(value: number): boolean;
export function fromFlag(value: number | null): boolean | null;
export function fromFlag(value: number | null): boolean | null {
  return value === null ? null : Number(value) !== 0;
}
