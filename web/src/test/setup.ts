import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { forgetSignedInHint } from '../session/signed-in-hint';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  forgetSignedInHint();
});
