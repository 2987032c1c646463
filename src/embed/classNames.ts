// Class names for models with score outputs, by model id: a main-thread registry filled from each manifest's class map; no fetching or React here.
const names = new Map<string, readonly string[]>();

export function setClassNames(modelId: string, list: readonly string[]): void {
  names.set(modelId, list);
}

export function getClassNames(modelId: string): readonly string[] | null {
  return names.get(modelId) ?? null;
}
