// Names written on the map (cluster names at each cluster's most central point): DOM text over the canvas that follows
// its point as the camera moves, so it reads the same at any zoom. Renders inside ScatterView's Canvas; no app state.
import { useEffect, useMemo } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import * as THREE from 'three';
import type { MapLabel } from './viewApi.ts';

export type { MapLabel } from './viewApi.ts';

export interface MapLabelsProps {
  labels: readonly MapLabel[];
  /** rows × 3, the layout on screen. */
  positions: Float32Array;
}

/** Gap kept between two names' boxes, in CSS px. */
const GAP_PX = 4;

export function MapLabels({ labels, positions }: MapLabelsProps): null {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const invalidate = useThree((s) => s.invalidate);
  // Heaviest first: the greedy placement below keeps the name of the larger group where two collide.
  const order = useMemo(() => labels.map((_, i) => i).sort((a, b) => labels[b]!.weight - labels[a]!.weight), [labels]);

  const layer = useMemo(() => {
    const root = document.createElement('div');
    root.className = 'map-labels';
    root.dataset['testid'] = 'map-labels';
    return root;
  }, []);
  const nodes = useMemo(
    () =>
      labels.map((l) => {
        const el = document.createElement('div');
        el.className = 'map-label';
        el.dataset['testid'] = 'map-label';
        el.dataset['point'] = String(l.point);
        el.textContent = l.text;
        el.style.borderColor = `rgb(${l.color.map((c) => Math.round(c * 255)).join(',')})`;
        return el;
      }),
    [labels],
  );

  useEffect(() => {
    const parent = gl.domElement.parentElement;
    if (!parent) return;
    parent.appendChild(layer);
    return () => layer.remove();
  }, [gl, layer]);
  useEffect(() => {
    layer.replaceChildren(...nodes);
    invalidate();
  }, [layer, nodes, invalidate]);

  const viewProj = useMemo(() => new THREE.Matrix4(), []);
  const v = useMemo(() => new THREE.Vector4(), []);
  useFrame(() => {
    const rect = gl.domElement.getBoundingClientRect();
    viewProj.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    const placed: { l: number; t: number; r: number; b: number }[] = [];
    for (const i of order) {
      const el = nodes[i]!;
      const p = labels[i]!.point;
      v.set(positions[p * 3] ?? NaN, positions[p * 3 + 1] ?? NaN, positions[p * 3 + 2] ?? NaN, 1).applyMatrix4(
        viewProj,
      );
      const ndcX = v.x / v.w;
      const ndcY = v.y / v.w;
      const inView = v.w > 0 && Math.abs(ndcX) <= 1 && Math.abs(ndcY) <= 1;
      const x = ((ndcX + 1) / 2) * rect.width;
      const y = ((1 - ndcY) / 2) * rect.height;
      // Centred above its point; offsetWidth is the text's own box (fixed font size, so it does not change with zoom).
      const w = el.offsetWidth;
      const h = el.offsetHeight;
      const box = { l: x - w / 2, t: y - h - 6, r: x + w / 2, b: y - 6 };
      const clash = placed.some(
        (o) => box.l < o.r + GAP_PX && box.r > o.l - GAP_PX && box.t < o.b + GAP_PX && box.b > o.t - GAP_PX,
      );
      const shown = inView && Number.isFinite(x) && Number.isFinite(y) && !clash;
      el.style.visibility = shown ? 'visible' : 'hidden';
      if (!shown) continue;
      placed.push(box);
      el.style.transform = `translate(${Math.round(box.l)}px, ${Math.round(box.t)}px)`;
    }
  });
  return null;
}
