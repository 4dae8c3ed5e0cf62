/** Where in a user's file a problem is, for annotations. */
export interface Location {
  file?: string;
  line?: number;
  column?: number;
}

/** The user's mistake: a bad input, file or rule. Reported as one clear message, never a stack trace. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly at: Location = {},
  ) {
    super(message);
  }
}

/** A service (registry, Docker, GitHub, a subprocess) failed; the message says which and what was tried. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly service: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${service}: ${message}`, options);
  }
}
