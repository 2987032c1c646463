// A ring on the point whose sound plays now (hover, loop, playlist, keyboard): DOM over the canvas that follows the
// point as the camera moves. Renders inside ScatterView's Canvas; reads the playing point through callbacks, no app state.
import { useEffect, useMemo } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import * as THREE from 'three';

export interface PlayingMarkerProps {
  /** rows × 3, the layout on screen. */
  positions: Float32Array;
  /** Point playing now, or -1 (read every frame; must be cheap). */
  playingPoint: () => number;
  /** Calls back when playback starts or stops; returns the unsubscribe. */
  subscribe: (onChange: () => void) => () => void;
}

export function PlayingMarker({ positions, playingPoint, subscribe }: PlayingMarkerProps): null {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const invalidate = useThree((s) => s.invalidate);
  const ring = useMemo(() => {
    const el = document.createElement('div');
    el.className = 'playing-marker';
    el.dataset['testid'] = 'playing-marker';
    el.title = 'playing';
    el.style.visibility = 'hidden';
    return el;
  }, []);

  useEffect(() => {
    const parent = gl.domElement.parentElement;
    if (!parent) return;
    parent.appendChild(ring);
    return () => ring.remove();
  }, [gl, ring]);
  // The frameloop is 'demand': draw a frame when playback starts or stops so the ring follows at once.
  useEffect(() => subscribe(() => invalidate()), [subscribe, invalidate]);

  const viewProj = useMemo(() => new THREE.Matrix4(), []);
  const v = useMemo(() => new THREE.Vector4(), []);
  useFrame(() => {
    const p = playingPoint();
    const rect = gl.domElement.getBoundingClientRect();
    let shown = p >= 0 && p * 3 + 2 < positions.length;
    if (shown) {
      viewProj.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
      v.set(positions[p * 3]!, positions[p * 3 + 1]!, positions[p * 3 + 2]!, 1).applyMatrix4(viewProj);
      const x = ((v.x / v.w + 1) / 2) * rect.width;
      const y = ((1 - v.y / v.w) / 2) * rect.height;
      shown = v.w > 0 && x >= 0 && y >= 0 && x <= rect.width && y <= rect.height;
      if (shown) ring.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
    }
    ring.dataset['point'] = shown ? String(p) : '';
    ring.style.visibility = shown ? 'visible' : 'hidden';
  });
  return null;
}
