// What a drop (one run of the pipeline over dropped files) tells the rest of the app, as typed events: the progress
// view turns them into words and store updates, persistence saves from them. Types only.
import type { Emitter } from '../lib/emitter.ts';
import type { MapData } from './mapData.ts';

export type DropStage = 'decode' | 'features';

export type DropEvent =
  /** The run has its map (files queued) and its model; `modelReady` settles when the model is loaded. */
  | {
      type: 'started';
      map: MapData;
      inputs: readonly { readonly path: string; readonly file: File }[];
      modelId: string;
      frontend: unknown;
      modelReady: Promise<unknown>;
    }
  /** One file got through a stage (or was accounted for there: failed, or taken from the cache). */
  | { type: 'file-through'; stage: DropStage }
  | {
      type: 'file-failed';
      path: string;
      reason: string;
      /** Its notes, already shown, are withdrawn. */ hadNotes: boolean;
    }
  | { type: 'file-noted'; path: string; notes: readonly string[] }
  /** Every file has been through features (the counts are final). */
  | { type: 'files-accounted' }
  /** A batch of windows is embedded into the map. */
  | { type: 'windows-embedded'; map: MapData; count: number }
  /** The run ended without a full map: nothing mapped, cancelled (with or without finished files), or an error. */
  | {
      type: 'ended';
      outcome: 'nothing-mapped' | 'cancelled' | 'error';
      doneFiles: number;
      totalFiles: number;
      error: string | null;
    };

export type Drop = Emitter<DropEvent>;
