// Saved-maps state (zustand): the list, what happened to the current map's saving, and what a restored map still
// needs; small values only (the records themselves live in IndexedDB, the map in MapData).
import { create } from 'zustand';
import type { SavedMapSummary } from './codec.ts';

export interface PersistState {
  saved: SavedMapSummary[];
  /** The saved map the page shows (or builds), or null. */
  currentId: string | null;
  /** Files of this run that came from the embedding cache (not decoded, not embedded). */
  cacheHits: number;
  /** A restored map whose sound waits for its files ("drop them again" / "re-grant"). */
  needsFiles: boolean;
  /** Handles were kept: a click can ask the browser for access again. */
  canRegrant: boolean;
  /** What the last restore or re-drop did, in words. */
  notice: string | null;
  /** Saving failed (quota…): the map goes on in memory. */
  saveError: string | null;
}

export const usePersistStore = create<PersistState>(() => ({
  saved: [],
  currentId: null,
  cacheHits: 0,
  needsFiles: false,
  canRegrant: false,
  notice: null,
  saveError: null,
}));
