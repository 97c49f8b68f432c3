/**
 * The `default` branch of an exhaustive `switch`: a value the types say cannot exist. The compiler rejects a call
 * while a case is missing; at run time (data from outside the types) it throws instead of going on silently.
 */
export function assertNever(x: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(x)}`);
}
