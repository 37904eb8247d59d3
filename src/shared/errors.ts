/**
 * An error whose message is one plain-English sentence meant for the person running Throughline.
 * The CLI and the web show `message` as it is; `cause` (technical detail) goes only to the logs.
 */
export class UserFacingError extends Error {
  /** Process exit status the CLI uses for this error. */
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserFacingError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/**
 * Thrown by the data-access door when the acting user may not see or do something. Routes turn it
 * into "Page not found" so that refusal never reveals whether a record exists.
 */
export class AccessDeniedError extends Error {
  constructor(readonly reason: string) {
    super('Access denied');
    this.name = 'AccessDeniedError';
  }
}

/** Thrown when a record does not exist (routes show it exactly like an access refusal). */
export class NotFoundError extends Error {
  constructor(what = 'Not found') {
    super(what);
    this.name = 'NotFoundError';
  }
}

/**
 * The person asked for was merged into another by identity resolution: their page lives at the
 * survivor's address now. Routes redirect there (the survivor's page checks access as usual).
 */
export class PersonMovedError extends Error {
  constructor(readonly survivorId: string) {
    super('This person was merged into another');
    this.name = 'PersonMovedError';
  }
}
