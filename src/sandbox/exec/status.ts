/**
 * The `metav1.Status` a kubelet writes on an exec's error channel when the
 * command ends. kubectl reads `reason: NonZeroExitCode` and the `ExitCode`
 * cause (serialized as `reason`) to exit with the same code; any other
 * failure it prints as `error: <message>` and exits 1.
 */

export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes: Array<{ reason?: string; message: string }> };
}

export function successStatus(): ExecStatus {
  return { metadata: {}, status: 'Success' };
}

export function exitCodeStatus(code: number, command: string[]): ExecStatus {
  return {
    metadata: {},
    status: 'Failure',
    // containerd's words for the exit error, wrapped by the kubelet.
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** A command that could not be started (the runtime's error), as the kubelet reports it. */
export function internalErrorStatus(message: string): ExecStatus {
  const text = `error executing command in container: ${message}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${text}`,
    reason: 'InternalError',
    code: 500,
    details: { causes: [{ message: text }] },
  };
}
