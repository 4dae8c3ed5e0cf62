/** A request the server refuses: the client's fault, answered with `status` (4xx) and the message. */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 400 Bad Request. */
export function badRequest(message: string): RequestError {
  return new RequestError(400, message);
}
