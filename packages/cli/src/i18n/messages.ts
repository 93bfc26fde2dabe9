// The type of pakt's message catalogues: English (en.ts) defines it, German (de.ts) must have
// every message, so the compiler finds a missing translation.
import type { en } from './en.js';

export type Messages = typeof en;
