/** The keys of a registry object as the non-empty tuple `z.enum` wants. */
export function registryKeys<T extends Record<string, unknown>>(
  registry: T,
): [keyof T & string, ...(keyof T & string)[]] {
  return Object.keys(registry) as [keyof T & string, ...(keyof T & string)[]];
}
