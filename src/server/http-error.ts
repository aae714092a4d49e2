// An error the API answers with its own status and a message meant for the client. Anything else
// thrown in a handler is the server's fault: logged here, answered with a generic 500.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
