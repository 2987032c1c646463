// What the 3D view offers the services while mounted, and the shapes they hand it: types only, so services depend on
// this port and never on the React components (ScatterView.tsx, PlaybackPath.tsx) behind it.

/** The camera as a share link stores it: eye, orbit target, up vector and vertical field of view. */
export interface ScatterCamera {
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
  fovDeg: number;
}

/** What ScatterView offers the app while mounted. */
export interface ScatterApi {
  getCamera(): ScatterCamera;
  /** Puts the camera exactly there (no damping left over), keeping the data's framing limits. */
  setCamera(camera: ScatterCamera): void;
  /** Points drawn. */
  count(): number;
  /** Moves the camera, looking from where it looks now, to frame these points (a selection, a cluster); false when none has a finite position. */
  framePoints(points: readonly number[]): boolean;
  /** The point under client coordinates (the hover rule: nearest within the pick radius, dimmed points skipped), or -1. */
  pick(clientX: number, clientY: number): number;
  /**
   * Every drawn point projected with the current camera (the picking maths): x, y in CSS px relative to the canvas's
   * top-left, NaN for points off-screen, behind the camera or filtered out; plus the canvas's client rect.
   */
  project(): { xy: Float32Array; leftPx: number; topPx: number; widthPx: number; heightPx: number };
}

/** A recording's path through the map (PlaybackPath draws it). */
export interface RecordingPath {
  /** Windows of one file in time order: n × 3 positions and each window's centre (s into the file). */
  vertices: Float32Array;
  centresSec: Float32Array;
}

/** A name written on the map at one point (MapLabels draws them), e.g. a cluster's at its most central member. */
export interface MapLabel {
  text: string;
  /** The point the name sits on (an index into the layout's positions). */
  point: number;
  color: [number, number, number];
  /** Larger groups win where two names would overlap. */
  weight: number;
}
