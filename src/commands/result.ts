/**
 * A verb result that main prints like any other and that also sets a non-zero exit code: `validate` prints its
 * findings (-o table/json) and exits 1 when one is an error. Errors that print nothing stay exceptions.
 */
export class ResultWithExitCode<T = unknown> {
  constructor(
    readonly result: T,
    readonly exitCode: number,
  ) {}
}
