// `ogas … | head` closes the pipe once it has read enough: that is the reader's choice, not a failure, so the
// command stops writing and exits with the code it would have had (0 on success) instead of crashing on EPIPE.
// Any other write error is still thrown (exit 1, a bug or a full disk).
const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export function ignoreClosedOutput(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (!CLOSED.has(e.code ?? '')) throw e;
    stream.destroy();
  });
}
