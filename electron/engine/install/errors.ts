import { StudioFailure } from '../../shared/failure';

/** The file is not the checkpoint we expected (exit 3 in the CLI); the message says what differs. */
export class CheckpointError extends StudioFailure {
  constructor(message: string) {
    super('bad-input', message);
  }
}
