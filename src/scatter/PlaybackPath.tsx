// A recording's path through the 3D map (one THREE.Line through its consecutive windows) and a cursor that follows playback along it; renders inside ScatterView's Canvas, must not own app state.
import { useEffect, useMemo } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import * as THREE from 'three';

export type { RecordingPath } from './viewApi.ts';
import type { RecordingPath } from './viewApi.ts';

export interface PlaybackPathProps {
  path: RecordingPath;
  /** Seconds into this path's file that play now, or null (read every frame; must be cheap). */
  cursorSec: () => number | null;
}

/** Position at `sec` along the path: linear between the two windows whose centres bracket it. */
export function positionAt(path: RecordingPath, sec: number, out: THREE.Vector3): THREE.Vector3 {
  const c = path.centresSec;
  const n = c.length;
  if (n === 0) return out.set(0, 0, 0);
  let i = 0;
  while (i < n - 1 && (c[i + 1] ?? 0) < sec) i++;
  const a = c[i] ?? 0;
  const b = c[Math.min(n - 1, i + 1)] ?? a;
  const t = b > a ? Math.max(0, Math.min(1, (sec - a) / (b - a))) : 0;
  const j = Math.min(n - 1, i + 1);
  const v = path.vertices;
  return out.set(
    (v[i * 3] ?? 0) * (1 - t) + (v[j * 3] ?? 0) * t,
    (v[i * 3 + 1] ?? 0) * (1 - t) + (v[j * 3 + 1] ?? 0) * t,
    (v[i * 3 + 2] ?? 0) * (1 - t) + (v[j * 3 + 2] ?? 0) * t,
  );
}

export function PlaybackPath({ path, cursorSec }: PlaybackPathProps): null {
  const scene = useThree((s) => s.scene);
  const invalidate = useThree((s) => s.invalidate);
  const res = useMemo(() => {
    const geometry = new THREE.BufferGeometry();
    const line = new THREE.Line(
      geometry,
      new THREE.LineBasicMaterial({ color: 0xffd27a, transparent: true, opacity: 0.55, depthTest: false }),
    );
    line.frustumCulled = false;
    line.renderOrder = 1;
    const cursor = new THREE.Mesh(
      new THREE.SphereGeometry(1, 12, 8),
      new THREE.MeshBasicMaterial({ color: 0xffffff, depthTest: false }),
    );
    cursor.renderOrder = 2;
    cursor.visible = false;
    return { geometry, line, cursor, at: new THREE.Vector3() };
  }, []);

  useEffect(() => {
    res.geometry.setAttribute('position', new THREE.BufferAttribute(path.vertices, 3));
    res.geometry.computeBoundingSphere();
    // Cursor size: a little of the path's extent.
    const r = res.geometry.boundingSphere?.radius ?? 1;
    res.cursor.scale.setScalar(Math.max(1e-3, r * 0.03));
    invalidate();
  }, [path, res, invalidate]);

  useEffect(() => {
    scene.add(res.line);
    scene.add(res.cursor);
    return () => {
      scene.remove(res.line);
      scene.remove(res.cursor);
    };
  }, [scene, res]);

  useEffect(
    () => () => {
      res.geometry.dispose();
      (res.line.material as THREE.Material).dispose();
      res.cursor.geometry.dispose();
      (res.cursor.material as THREE.Material).dispose();
    },
    [res],
  );

  useFrame(() => {
    const sec = cursorSec();
    const wasVisible = res.cursor.visible;
    res.cursor.visible = sec !== null;
    if (sec !== null) {
      res.cursor.position.copy(positionAt(path, sec, res.at));
      // Keep drawing while something plays (frameloop is 'demand').
      invalidate();
    } else if (wasVisible) invalidate();
  });
  return null;
}
