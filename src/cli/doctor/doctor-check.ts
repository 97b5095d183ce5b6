/** One check's outcome: `fail` makes doctor exit 1, `warn` does not. */
export interface DoctorCheck {
  readonly result: 'ok' | 'warn' | 'fail';
  readonly what: string;
  readonly detail: string;
  /** What to do about a warning or a failure. */
  readonly action?: string;
}
