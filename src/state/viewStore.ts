// View and dataset-source state (zustand): where the map came from, loading progress, colour mode, layout, filters, selection; ids and small values only, never typed arrays.
import { create } from 'zustand';
import type { ShareLayout, ShareState } from '../share/shareLink.ts';
import type { DescriptorName } from '../dsp/descriptors.ts';

/**
 * 'cluster', 'predicted' and 'trust' colour by the last clustering / classifier / trust run (not carried by share links);
 * 'descriptor:…' by a window descriptor (dsp/descriptors.ts) on a continuous colour map.
 */
export type ColourMode =
  | 'label'
  | 'file'
  | 'folder'
  | 'time-of-day'
  | 'date'
  /** Where in its recording a window starts (s): a long recording's start → end on a continuous colour map. */
  | 'time-in-recording'
  | 'cluster'
  | 'predicted'
  | 'trust'
  | `descriptor:${DescriptorName}`;
export const DESCRIPTOR_MODES = [
  'descriptor:rms_dbfs',
  'descriptor:centroid_hz',
  'descriptor:rolloff_hz',
  'descriptor:bandwidth_hz',
] as const satisfies readonly ColourMode[];
/** Colour modes a share link may carry. */
export const COLOUR_MODES: readonly ColourMode[] = [
  'label',
  'file',
  'folder',
  'time-of-day',
  'date',
  'time-in-recording',
  ...DESCRIPTOR_MODES,
];

/** A range filter on a continuous colour mode's values: points outside [min, max] (or without a value) are dimmed. */
export interface RangeFilter {
  mode: ColourMode;
  min: number;
  max: number;
}

export interface LoadProgress {
  url: string;
  /** What is happening now, in words ("columns", "projections", "layout"). */
  stage: string;
  receivedBytes: number;
  /** Bytes expected in all, when known. */
  totalBytes: number | null;
}

/** A dataset a link (?dataset= or a share link) asks to open from another origin: waits for the user's yes. */
export interface PendingOpen {
  /** Absolute URL, already through the URL sanitiser. */
  url: string;
  /** Its origin, shown to the user. */
  origin: string;
  /** The share link's view, when it came from one. */
  view: ShareState | null;
  /** What of the link was left out and why (shown once the map opens). */
  notes: string[];
}

/** An opened (or opening) dataset needs files from origins not agreed yet: waits for the user's yes. */
export interface PendingOrigins {
  /** The dataset being opened, as given. */
  datasetUrl: string;
  /** The origins asked about. */
  origins: string[];
  /** What needs them, in words ("the dataset's audio files", "the dataset file: <url> redirected to <url>"). */
  why: string;
}

export interface ViewState {
  pendingOpen: PendingOpen | null;
  pendingOrigins: PendingOrigins | null;
  /** The dataset URL of the map on screen (absolute), or null for dropped files. */
  datasetUrl: string | null;
  datasetName: string | null;
  datasetFormat: 'native' | 'scatter-sounds' | 'projector' | null;
  loading: LoadProgress | null;
  loadError: string | null;
  /** A URL open that failed (error, stall): the Retry button opens it again; null when there is nothing to retry. */
  loadRetryUrl: string | null;
  /** A hover whose audio could not be fetched: what went wrong (text). */
  audioError: string | null;
  /** Thumbnails that could not be fetched or decoded: what went wrong (text). */
  thumbError: string | null;
  colourMode: ColourMode;
  layout: ShareLayout;
  hiddenLabels: string[];
  isolatedLabels: string[];
  /** Folder filters (legend clicks while colouring by folder). */
  hiddenFolders: string[];
  isolatedFolders: string[];
  rangeFilter: RangeFilter | null;
  /** Draw every point as its spectrogram thumbnail. */
  spriteMode: boolean;
  /** The camera circles the map slowly until the user drags. */
  autoOrbit: boolean;
  /** Selected point indices, ascending. */
  selection: number[];
  /** Bumped when lazily fetched assets (thumbnails) arrive, so panels redraw. */
  assetsVersion: number;
  /** Bumped when dimmed/colours change without a new layout. */
  viewVersion: number;
  /** Timeline brush [startMs, endMs] (UTC epoch ms): points outside are dimmed; null = none. */
  timeBrush: [number, number] | null;
  /** Hover/loop playback rate: 1/16 … 16. */
  playbackRate: number;
  /** Bumped when a full layout replaces a provisional one, so the scatter frames the data again. */
  layoutEpoch: number;
  /** Bumped by "Reset view": the scatter frames the points again (part of its frameKey). */
  resetViewToken: number;
  /** The 2D view's layout is being computed (the first time it is asked for). */
  flatLayout: 'idle' | 'laying-out';
  /** Why the 2D view could not be laid out, or null. */
  flatLayoutError: string | null;
  /** Cluster names are written on the map while it is coloured by cluster. */
  clusterNamesOnMap: boolean;
}

export const useViewStore = create<ViewState>(() => ({
  pendingOpen: null,
  pendingOrigins: null,
  datasetUrl: null,
  datasetName: null,
  datasetFormat: null,
  loading: null,
  loadError: null,
  loadRetryUrl: null,
  audioError: null,
  thumbError: null,
  colourMode: 'label',
  layout: 'cartesian',
  hiddenLabels: [],
  isolatedLabels: [],
  hiddenFolders: [],
  isolatedFolders: [],
  rangeFilter: null,
  spriteMode: false,
  autoOrbit: false,
  selection: [],
  assetsVersion: 0,
  viewVersion: 0,
  timeBrush: null,
  playbackRate: 1,
  layoutEpoch: 0,
  resetViewToken: 0,
  flatLayout: 'idle',
  flatLayoutError: null,
  clusterNamesOnMap: true,
}));
