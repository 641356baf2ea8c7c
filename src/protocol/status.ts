/** Status codes of replies (docs/PROTOCOL.md §5), with their fixed reason phrases. */
export const STATUS = {
  100: 'Continue',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
} as const;

export type StatusCode = keyof typeof STATUS;

export function isStatusCode(code: number): code is StatusCode {
  return Object.hasOwn(STATUS, code);
}

export function reasonPhrase(code: StatusCode): string {
  return STATUS[code];
}
