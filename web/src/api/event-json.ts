// The JSON body of one server-sent event, read defensively: the stream is outside the OpenAPI document, so a
// body that is not an object is ignored rather than trusted.

/** The event's data as an object, or undefined when it is not JSON or not an object. */
export function eventObject(data: string): Record<string, unknown> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return undefined;
  }
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : undefined;
}
