// 3D scatter of sounds: one THREE.Points draw call, orbit camera, picking through a spatial index; must not own app state or setState per frame.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import type { RootStore, EventManager } from '@react-three/fiber';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { projectToPx, stickyHover } from './picking.ts';
import { PointPickIndex } from './pickIndex.ts';
import {
  POINT_STATE_ACTIVE,
  POINT_STATE_DIMMED,
  POINT_STATE_HOVERED,
  createPointsMaterial,
  createSpritePointsMaterial,
} from './pointsMaterial.ts';
import type { PointSpriteSheet } from './spriteSheet.ts';

export interface ScatterViewProps {
  /** N×3 world positions, roughly in [-1,1]^3. Mutate in place and bump `version`; a new array is fine too. */
  positions: Float32Array;
  /** N×3 RGB in 0..1 (display colours, written to the screen as they are). */
  colors: Float32Array;
  count: number;
  /** Bump whenever positions/colors/dimmed change in place. */
  version: number;
  hoveredIndex: number | null;
  activeIndex: number | null;
  /** Per point: 1 = filtered out (grey, behind the others, not pickable). */
  dimmed?: Uint8Array | null;
  /** Called when the point under the pointer changes (null: none), with the pointer's client coordinates. */
  onHover: (index: number | null, clientX: number, clientY: number) => void;
  /** Called on a click that was not an orbit drag, with the point under the pointer (null: empty space). */
  onClick: (index: number | null) => void;
  /** Hover/click tolerance around a point's centre, CSS px. */
  pickRadiusPx?: number;
  /** Change it to frame the data again (e.g. after switching between cartesian and spherical layouts). */
  frameKey?: string | number;
  /** Filled while mounted: read and set the camera (share links). */
  apiRef?: { current: ScatterApi | null };
  /** Extra scene content rendered inside the Canvas (e.g. a recording's path). */
  children?: ReactNode;
  /** Sprite render mode: draw point i as cell i of this sheet (one draw call); null/absent: round dots. */
  sprites?: PointSpriteSheet | null;
  /** Rotate the camera slowly about the orbit target (the map's centre) until the user presses on the map. */
  autoOrbit?: boolean;
  /** The user pressed on the map while auto-orbiting (the view stops rotating). */
  onUserOrbit?: () => void;
  /** A 2D layout (z = 0): seen from straight above, no rotation, the left button pans. */
  flat?: boolean;
  /** Where the test/debug hook goes on window (a second view beside the first uses its own name). */
  debugHookName?: ScatterHookName;
}

/** The window properties the views' debug hooks use: the map's view, and the second model's view beside it. */
export type ScatterHookName = '__earshotScatter' | '__earshotScatterTwin';

export type { ScatterApi, ScatterCamera } from './viewApi.ts';
import type { ScatterApi } from './viewApi.ts';
import { DEVTOOLS } from '../lib/devtools.ts';

/** What ScatterView puts on window.__earshotScatter while mounted, for e2e tests and debugging. */
export interface ScatterDebugHook {
  /** Viewport (client) CSS px of point i, usable with page.mouse.move; null if off-screen or behind the camera. */
  pointToClient(i: number): { x: number; y: number } | null;
  /** Index under client coordinates (same rule as hover), or -1. */
  pick(clientX: number, clientY: number): number;
  camera(): {
    position: [number, number, number];
    target: [number, number, number];
    fovDeg: number;
    near: number;
    far: number;
    viewportWidthPx: number;
    viewportHeightPx: number;
  };
  /** Frames rendered so far (frameloop is 'demand', so this only grows on changes/interaction). */
  frameCount(): number;
  count(): number;
}

type DebugWindow = Window & Partial<Record<ScatterHookName, ScatterDebugHook>>;

const BACKGROUND_CSS = '#0b0d12';
const DEFAULT_PICK_RADIUS_PX = 8;
/** Camera distance at which a sphere of `radius` fills the narrower field of view (a tall pane must not crop the sides). */
function fitDistance(radius: number, camera: THREE.PerspectiveCamera): number {
  const vFovRad = THREE.MathUtils.degToRad(camera.fov);
  const hFovRad = 2 * Math.atan(Math.tan(vFovRad / 2) * Math.max(1e-3, camera.aspect));
  return radius / Math.sin(Math.min(vFovRad, hFovRad) / 2);
}
/** A new point takes the hover only when it is this much nearer the cursor than the one hovered (px). */
const HOVER_HYSTERESIS_PX = 3;
/** Pointer travel beyond which a press is an orbit drag, not a click. */
const DRAG_THRESHOLD_PX = 4;
const FOV_DEG = 50;
/** Oblique first view: flat front views hide a 3D embedding's depth. */
const VIEW_DIRECTION = new THREE.Vector3(0.55, 0.4, 1).normalize();
/** A 2D layout is read from straight above its plane. */
const FLAT_VIEW_DIRECTION = new THREE.Vector3(0, 0, 1);
/** Sprite diameter = sceneRadius × this / ∛count: keeps the cloud's fill roughly constant from 100 to 1e5 points. */
const POINT_SIZE_FACTOR = 0.3;
/** Thumbnails are drawn this much larger than dots: a spectrogram needs room to be read. */
const THUMB_SIZE_FACTOR = 2.5;
const MIN_THUMB_CSS_PX = 10;
const MAX_THUMB_CSS_PX = 72;
/** OrbitControls' autoRotateSpeed: 2 = one turn per 30 s at 60 fps; slower reads better. */
const AUTO_ORBIT_SPEED = 0.8;
const MIN_POINT_SIZE_CSS_PX = 3;
const MAX_POINT_SIZE_CSS_PX = 32;

/** R3F's own pointer events raycast on every move; picking is screen-space (picking.ts), so switch them off. */
const noPointerEvents = (_store: RootStore): EventManager<HTMLElement> => ({ enabled: false, priority: 0 });

export function ScatterView(props: ScatterViewProps): ReactElement {
  return (
    <div
      style={{ position: 'relative', width: '100%', height: '100%', background: BACKGROUND_CSS, overflow: 'hidden' }}
    >
      <Canvas
        dpr={[1, 2]}
        frameloop="demand"
        flat
        events={noPointerEvents}
        camera={{ fov: FOV_DEG, near: 0.01, far: 100, position: [0, 0, 4] }}
        gl={{ antialias: false, alpha: false, powerPreference: 'high-performance' }}
      >
        <color attach="background" args={[BACKGROUND_CSS]} />
        <ScatterScene {...props} />
        {props.children}
      </Canvas>
    </div>
  );
}

interface Framing {
  target: THREE.Vector3;
  radius: number;
  framed: boolean;
}

function ScatterScene(props: ScatterViewProps): null {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const camera = useThree((s) => s.camera) as THREE.PerspectiveCamera;
  const invalidate = useThree((s) => s.invalidate);
  const heightCssPx = useThree((s) => s.size.height);
  const dpr = useThree((s) => s.viewport.dpr);

  // Latest props for event handlers and the frame loop, without re-binding listeners on every render.
  const propsRef = useRef(props);
  useLayoutEffect(() => {
    propsRef.current = props;
  });

  const res = useMemo(() => {
    const geometry = new THREE.BufferGeometry();
    const material = createPointsMaterial();
    const points = new THREE.Points(geometry, material);
    // Bounds change with every data update; the whole cloud is almost always in view anyway.
    points.frustumCulled = false;
    return {
      geometry,
      material,
      points,
      state: new Float32Array(0),
      spriteMaterial: createSpritePointsMaterial(),
      sheet: null as THREE.DataTexture | null,
    };
  }, []);
  const controlsRef = useRef<OrbitControls | null>(null);
  const framingRef = useRef<Framing>({ target: new THREE.Vector3(), radius: 1, framed: false });
  const frameCountRef = useRef(0);
  const frameKeyRef = useRef<string | number | undefined>(props.frameKey);
  const schedulePickRef = useRef<() => void>(() => {});
  const viewProj = useMemo(() => new THREE.Matrix4(), []);
  // Pick index over the drawn points; dropped when the data changes and rebuilt on the next pick (or when idle).
  const pickIndexRef = useRef<PointPickIndex | null>(null);
  const projected = useMemo(() => new Float64Array(3), []);

  useEffect(() => {
    scene.add(res.points);
    return () => {
      scene.remove(res.points);
    };
  }, [scene, res]);
  useEffect(
    () => () => {
      res.geometry.dispose();
      res.material.dispose();
      res.spriteMaterial.dispose();
      res.sheet?.dispose();
    },
    [res],
  );

  // Orbit controls, created before the data effects below so first-data framing can set their target.
  useLayoutEffect(() => {
    const controls = new OrbitControls(camera, gl.domElement);
    controls.enableDamping = true;
    controls.dampingFactor = 0.12;
    controls.screenSpacePanning = true;
    controls.zoomToCursor = true; // exploring a map means zooming into the cluster under the cursor
    const f = framingRef.current;
    controls.target.copy(f.target);
    controls.minDistance = f.radius * 0.05;
    controls.maxDistance = f.radius * 15;
    const onChange = (): void => {
      invalidate();
      schedulePickRef.current(); // the point under a still pointer changes when the camera moves
    };
    controls.addEventListener('change', onChange);
    controlsRef.current = controls;
    return () => {
      controls.removeEventListener('change', onChange);
      controls.dispose();
      controlsRef.current = null;
    };
  }, [camera, gl, invalidate]);

  /** Points the camera at the bounding sphere of the first `count` points. */
  const frameData = useCallback(
    (positions: Float32Array, count: number): void => {
      const box = new THREE.Box3();
      const v = new THREE.Vector3();
      for (let i = 0; i < count; i++) {
        v.fromArray(positions, i * 3);
        if (Number.isFinite(v.x) && Number.isFinite(v.y) && Number.isFinite(v.z)) box.expandByPoint(v);
      }
      if (box.isEmpty()) return;
      const center = box.getCenter(new THREE.Vector3());
      let r2 = 0;
      for (let i = 0; i < count; i++) {
        v.fromArray(positions, i * 3);
        const d2 = v.distanceToSquared(center);
        if (d2 > r2) r2 = d2;
      }
      const radius = Math.max(Math.sqrt(r2), 1e-3);
      const distance = fitDistance(radius, camera) * 1.05;
      const direction = propsRef.current.flat === true ? FLAT_VIEW_DIRECTION : VIEW_DIRECTION;
      camera.position.copy(center).addScaledVector(direction, distance);
      camera.near = radius * 0.01;
      camera.far = distance + radius * 30;
      camera.up.set(0, 1, 0);
      camera.lookAt(center);
      camera.updateProjectionMatrix();
      const f = framingRef.current;
      f.target.copy(center);
      f.radius = radius;
      f.framed = true;
      const controls = controlsRef.current;
      if (controls) {
        controls.target.copy(center);
        controls.minDistance = radius * 0.05;
        controls.maxDistance = radius * 15;
        controls.update();
      }
    },
    [camera],
  );

  // Geometry: wrap the caller's arrays (no copy) and re-upload when version bumps.
  useLayoutEffect(() => {
    const { positions, colors, count } = props;
    const g = res.geometry;
    const pos = g.getAttribute('position') as THREE.BufferAttribute | undefined;
    if (pos?.array === positions) pos.needsUpdate = true;
    else g.setAttribute('position', new THREE.BufferAttribute(positions, 3));
    const col = g.getAttribute('color') as THREE.BufferAttribute | undefined;
    if (col?.array === colors) col.needsUpdate = true;
    else g.setAttribute('color', new THREE.BufferAttribute(colors, 3));
    const drawable = Math.max(0, Math.min(count, Math.floor(positions.length / 3), Math.floor(colors.length / 3)));
    g.setDrawRange(0, drawable);

    const f = framingRef.current;
    if (props.frameKey !== frameKeyRef.current) {
      frameKeyRef.current = props.frameKey;
      f.framed = false;
    }
    if (drawable === 0) f.framed = false;
    else if (!f.framed) frameData(positions, drawable);
    res.material.uniforms.uPointSizeWorld.value = (f.radius * POINT_SIZE_FACTOR) / Math.cbrt(Math.max(drawable, 1));
    res.spriteMaterial.uniforms.uPointSizeWorld.value = res.material.uniforms.uPointSizeWorld.value * THUMB_SIZE_FACTOR;
    pickIndexRef.current = null;
    // Build the pick index when the browser is idle (~20 ms per 1e5 points) rather than on the first hover.
    const idle =
      typeof requestIdleCallback === 'function' ? requestIdleCallback(() => ensurePickIndex(), { timeout: 1000 }) : 0;
    invalidate();
    schedulePickRef.current();
    return () => {
      if (idle !== 0) cancelIdleCallback(idle);
    };
    // Deps: the arrays are mutated in place, so `version` (not identity) is the signal to re-upload.
  }, [props.positions, props.colors, props.count, props.version, props.frameKey, res, frameData, invalidate]);

  /** State bits of point i from the current props. */
  const stateOf = (i: number): number => {
    const p = propsRef.current;
    let s = p.dimmed && p.dimmed[i] ? POINT_STATE_DIMMED : 0;
    if (i === p.hoveredIndex) s |= POINT_STATE_HOVERED;
    if (i === p.activeIndex) s |= POINT_STATE_ACTIVE;
    return s;
  };

  // Full state rebuild when data, count or the dimmed mask change.
  const prevMarkedRef = useRef<{ hovered: number | null; active: number | null }>({ hovered: null, active: null });
  useLayoutEffect(() => {
    const capacity = Math.floor(props.positions.length / 3);
    if (res.state.length < capacity) {
      res.state = new Float32Array(capacity);
      res.geometry.setAttribute('state', new THREE.BufferAttribute(res.state, 1));
    }
    const n = Math.min(props.count, res.state.length);
    for (let i = 0; i < n; i++) res.state[i] = stateOf(i);
    const attr = res.geometry.getAttribute('state') as THREE.BufferAttribute;
    attr.clearUpdateRanges(); // a pending partial update must not shadow this full one
    attr.needsUpdate = true;
    prevMarkedRef.current = { hovered: props.hoveredIndex, active: props.activeIndex };
    invalidate();
    // Deps: hovered/active are left out on purpose, the effect below updates them incrementally.
  }, [props.positions, props.count, props.version, props.dimmed, res, invalidate]);

  // Hover/active: touch only the two or four affected points, not N.
  useLayoutEffect(() => {
    const prev = prevMarkedRef.current;
    const next = { hovered: props.hoveredIndex, active: props.activeIndex };
    if (prev.hovered === next.hovered && prev.active === next.active) return;
    const attr = res.geometry.getAttribute('state') as THREE.BufferAttribute | undefined;
    if (!attr) return;
    const n = Math.min(props.count, res.state.length);
    for (const i of [prev.hovered, prev.active, next.hovered, next.active]) {
      if (i === null || i < 0 || i >= n) continue;
      res.state[i] = stateOf(i);
      attr.addUpdateRange(i, 1);
    }
    attr.needsUpdate = true;
    prevMarkedRef.current = next;
    invalidate();
  }, [props.hoveredIndex, props.activeIndex, res, invalidate]);

  // Sprite size depends on viewport height and device pixel ratio (gl_PointSize is in framebuffer px).
  useEffect(() => {
    const u = res.material.uniforms;
    u.uPxPerWorldAt1.value = (heightCssPx * dpr) / (2 * Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2));
    u.uMinSizePx.value = MIN_POINT_SIZE_CSS_PX * dpr;
    u.uMaxSizePx.value = MAX_POINT_SIZE_CSS_PX * dpr;
    u.uDpr.value = dpr;
    const su = res.spriteMaterial.uniforms;
    su.uPxPerWorldAt1.value = u.uPxPerWorldAt1.value;
    su.uMinSizePx.value = MIN_THUMB_CSS_PX * dpr;
    su.uMaxSizePx.value = MAX_THUMB_CSS_PX * dpr;
    su.uDpr.value = dpr;
    invalidate();
  }, [heightCssPx, dpr, camera, res, invalidate]);

  // Sprite mode: upload the sheet as one texture and swap the material (same geometry, same single draw call).
  useEffect(() => {
    const sheet = props.sprites ?? null;
    res.sheet?.dispose();
    res.sheet = null;
    if (sheet) {
      const tex = new THREE.DataTexture(
        sheet.rgba,
        sheet.widthPx,
        sheet.heightPx,
        THREE.RGBAFormat,
        THREE.UnsignedByteType,
      );
      tex.magFilter = THREE.LinearFilter;
      tex.minFilter = THREE.LinearFilter;
      tex.generateMipmaps = false;
      tex.needsUpdate = true;
      res.sheet = tex;
      const su = res.spriteMaterial.uniforms;
      su.uSheet.value = tex;
      su.uColumns.value = sheet.columns;
      su.uCellUv.value.set(sheet.cellWidthPx / sheet.widthPx, sheet.cellHeightPx / sheet.heightPx);
      res.points.material = res.spriteMaterial;
    } else {
      res.points.material = res.material;
    }
    invalidate();
  }, [props.sprites, res, invalidate]);

  // Auto-orbit about the orbit target; OrbitControls' 'change' then keeps the demand frameloop going.
  // A 2D layout neither orbits nor rotates: turning a plane only hides it, so the left button pans instead.
  useEffect(() => {
    const controls = controlsRef.current;
    if (!controls) return;
    const flat = props.flat === true;
    controls.autoRotate = props.autoOrbit === true && !flat;
    controls.autoRotateSpeed = AUTO_ORBIT_SPEED;
    controls.enableRotate = !flat;
    controls.mouseButtons.LEFT = flat ? THREE.MOUSE.PAN : THREE.MOUSE.ROTATE;
    controls.touches.ONE = flat ? THREE.TOUCH.PAN : THREE.TOUCH.ROTATE;
    invalidate();
  }, [props.autoOrbit, props.flat, invalidate]);

  /** Fresh projection × view matrix (the camera may have moved since the last render). */
  const updateViewProj = (): THREE.Matrix4 => {
    camera.updateMatrixWorld();
    return viewProj.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
  };

  /** The index for the current data (positions + drawn count), built if the data changed since the last one. */
  function ensurePickIndex(): PointPickIndex {
    const existing = pickIndexRef.current;
    if (existing) return existing;
    const index = new PointPickIndex(propsRef.current.positions, res.geometry.drawRange.count);
    pickIndexRef.current = index;
    return index;
  }

  // Same rule as picking.ts's brute-force pickNearest (nearest projected centre within the radius, nearer
  // point on ties), answered from a spatial index: ~0.1 ms at 1e6 points instead of ~10 ms per move.
  const pickAtClient = (clientX: number, clientY: number): number => {
    const p = propsRef.current;
    const rect = gl.domElement.getBoundingClientRect();
    const xPx = clientX - rect.left;
    const yPx = clientY - rect.top;
    if (xPx < 0 || yPx < 0 || xPx > rect.width || yPx > rect.height) return -1;
    const radiusPx = p.pickRadiusPx ?? DEFAULT_PICK_RADIUS_PX;
    const vp = updateViewProj().elements;
    return ensurePickIndex().pick(vp, rect.width, rect.height, xPx, yPx, radiusPx, p.dimmed ?? null);
  };

  /** Pixel distance from the cursor to point `index` on screen; NaN when it is not drawn there (or dimmed). */
  const distanceToClient = (index: number, clientX: number, clientY: number): number => {
    const p = propsRef.current;
    if (index < 0 || index >= res.geometry.drawRange.count || p.dimmed?.[index]) return NaN;
    const rect = gl.domElement.getBoundingClientRect();
    if (!projectToPx(p.positions, index, updateViewProj().elements, rect.width, rect.height, projected)) return NaN;
    const ndcZ = projected[2]!;
    if (ndcZ < -1 || ndcZ > 1) return NaN;
    return Math.hypot(projected[0]! - (clientX - rect.left), projected[1]! - (clientY - rect.top));
  };

  /** Hover pick: nearest point, but the one already hovered keeps it until another is clearly nearer. */
  const hoverPickAtClient = (current: number, clientX: number, clientY: number): number => {
    const candidate = pickAtClient(clientX, clientY);
    if (current < 0 || candidate === current) return candidate;
    return stickyHover(
      current,
      distanceToClient(current, clientX, clientY),
      candidate,
      distanceToClient(candidate, clientX, clientY),
      propsRef.current.pickRadiusPx ?? DEFAULT_PICK_RADIUS_PX,
      HOVER_HYSTERESIS_PX,
    );
  };

  // Pointer: hover throttled to animation frames, click = press + release without an orbit drag.
  useEffect(() => {
    const el = gl.domElement;
    let rafId = 0;
    let lastClientX = 0;
    let lastClientY = 0;
    let inside = false;
    let press: { x: number; y: number } | null = null;
    let dragging = false;
    let reported = -1;

    const report = (index: number): void => {
      if (index === reported) return;
      reported = index;
      propsRef.current.onHover(index < 0 ? null : index, lastClientX, lastClientY);
    };
    const runPick = (): void => {
      rafId = 0;
      if (!inside || dragging) return;
      report(hoverPickAtClient(reported, lastClientX, lastClientY));
    };
    const schedulePick = (): void => {
      if (rafId === 0 && inside && !dragging) rafId = requestAnimationFrame(runPick);
    };
    schedulePickRef.current = schedulePick;

    const onPointerMove = (e: PointerEvent): void => {
      lastClientX = e.clientX;
      lastClientY = e.clientY;
      inside = true;
      if (press && !dragging && Math.hypot(e.clientX - press.x, e.clientY - press.y) > DRAG_THRESHOLD_PX) {
        dragging = true;
        report(-1); // orbiting: stop auditioning whatever was under the pointer
      }
      schedulePick();
    };
    const onPointerDown = (e: PointerEvent): void => {
      if (propsRef.current.autoOrbit) propsRef.current.onUserOrbit?.();
      press = e.button === 0 ? { x: e.clientX, y: e.clientY } : null;
      dragging = e.button !== 0; // right/middle buttons pan and zoom
      if (dragging) report(-1);
    };
    const onPointerUp = (e: PointerEvent): void => {
      if (press && !dragging && e.button === 0) {
        const index = pickAtClient(e.clientX, e.clientY);
        propsRef.current.onClick(index < 0 ? null : index);
      }
      press = null;
      dragging = false;
      lastClientX = e.clientX;
      lastClientY = e.clientY;
      schedulePick();
    };
    const onPointerCancel = (): void => {
      press = null;
      dragging = false;
    };
    const onPointerLeave = (): void => {
      inside = false;
      if (!press) report(-1);
    };
    const onDoubleClick = (): void => {
      const p = propsRef.current;
      frameData(p.positions, res.geometry.drawRange.count);
      invalidate();
    };

    el.addEventListener('pointermove', onPointerMove);
    el.addEventListener('pointerdown', onPointerDown);
    el.addEventListener('pointerup', onPointerUp);
    el.addEventListener('pointercancel', onPointerCancel);
    el.addEventListener('pointerleave', onPointerLeave);
    el.addEventListener('dblclick', onDoubleClick);
    return () => {
      if (rafId !== 0) cancelAnimationFrame(rafId);
      schedulePickRef.current = () => {};
      el.removeEventListener('pointermove', onPointerMove);
      el.removeEventListener('pointerdown', onPointerDown);
      el.removeEventListener('pointerup', onPointerUp);
      el.removeEventListener('pointercancel', onPointerCancel);
      el.removeEventListener('pointerleave', onPointerLeave);
      el.removeEventListener('dblclick', onDoubleClick);
    };
  }, [gl, camera, res, frameData, invalidate]);

  // Debug/test hook (dev and test builds only).
  useEffect(() => {
    if (!DEVTOOLS) return;
    const w = window as DebugWindow;
    const hook: ScatterDebugHook = {
      pointToClient(i) {
        const p = propsRef.current;
        if (!Number.isInteger(i) || i < 0 || i >= res.geometry.drawRange.count) return null;
        const rect = gl.domElement.getBoundingClientRect();
        const vp = updateViewProj().elements;
        if (!projectToPx(p.positions, i, vp, rect.width, rect.height, projected)) return null;
        const xPx = projected[0]!;
        const yPx = projected[1]!;
        const ndcZ = projected[2]!;
        if (xPx < 0 || yPx < 0 || xPx > rect.width || yPx > rect.height || ndcZ < -1 || ndcZ > 1) return null;
        return { x: rect.left + xPx, y: rect.top + yPx };
      },
      pick: (clientX, clientY) => pickAtClient(clientX, clientY),
      camera() {
        const rect = gl.domElement.getBoundingClientRect();
        const t = controlsRef.current?.target ?? framingRef.current.target;
        return {
          position: [camera.position.x, camera.position.y, camera.position.z],
          target: [t.x, t.y, t.z],
          fovDeg: camera.fov,
          near: camera.near,
          far: camera.far,
          viewportWidthPx: rect.width,
          viewportHeightPx: rect.height,
        };
      },
      frameCount: () => frameCountRef.current,
      count: () => res.geometry.drawRange.count,
    };
    const name = propsRef.current.debugHookName ?? '__earshotScatter';
    w[name] = hook;
    return () => {
      if (w[name] === hook) delete w[name];
    };
  }, [gl, camera, res]);

  // App API: camera get/set for share links.
  useEffect(() => {
    const holder = props.apiRef;
    if (!holder) return;
    const api: ScatterApi = {
      getCamera() {
        const t = controlsRef.current?.target ?? framingRef.current.target;
        return {
          position: [camera.position.x, camera.position.y, camera.position.z],
          target: [t.x, t.y, t.z],
          up: [camera.up.x, camera.up.y, camera.up.z],
          fovDeg: camera.fov,
        };
      },
      setCamera(c) {
        camera.up.set(...c.up);
        camera.position.set(...c.position);
        camera.fov = c.fovDeg;
        const controls = controlsRef.current;
        if (controls) {
          controls.target.set(...c.target);
          // Near/far and zoom limits follow the distance, so a far-away shared camera still sees the data.
          const distance = camera.position.distanceTo(controls.target);
          controls.minDistance = Math.min(controls.minDistance, distance);
          controls.maxDistance = Math.max(controls.maxDistance, distance);
          camera.far = Math.max(camera.far, distance + framingRef.current.radius * 30);
        }
        camera.lookAt(...c.target);
        camera.updateProjectionMatrix();
        controls?.update();
        invalidate();
        schedulePickRef.current();
      },
      count: () => res.geometry.drawRange.count,
      pick: (clientX, clientY) => pickAtClient(clientX, clientY),
      framePoints(points) {
        const positions = propsRef.current.positions;
        const v = new THREE.Vector3();
        const box = new THREE.Box3();
        for (const i of points) {
          if (i < 0 || i * 3 + 2 >= positions.length) continue;
          v.fromArray(positions, i * 3);
          if (Number.isFinite(v.x) && Number.isFinite(v.y) && Number.isFinite(v.z)) box.expandByPoint(v);
        }
        if (box.isEmpty()) return false;
        const center = box.getCenter(new THREE.Vector3());
        // A single point (or a tight clump) is framed as a small neighbourhood, not at zero distance.
        const radius = Math.max(box.getSize(new THREE.Vector3()).length() / 2, framingRef.current.radius * 0.03);
        const controls = controlsRef.current;
        const from = controls?.target ?? framingRef.current.target;
        const direction = camera.position.clone().sub(from).normalize();
        if (!(direction.lengthSq() > 0)) direction.copy(VIEW_DIRECTION);
        const distance = fitDistance(radius, camera) * 1.1;
        camera.position.copy(center).addScaledVector(direction, distance);
        camera.near = Math.min(camera.near, radius * 0.01);
        camera.lookAt(center);
        camera.updateProjectionMatrix();
        if (controls) {
          controls.target.copy(center);
          controls.minDistance = Math.min(controls.minDistance, distance * 0.2);
          controls.update();
        }
        invalidate();
        schedulePickRef.current();
        return true;
      },
      project() {
        const p = propsRef.current;
        const rect = gl.domElement.getBoundingClientRect();
        const n = res.geometry.drawRange.count;
        const xy = new Float32Array(n * 2).fill(NaN);
        const vp = updateViewProj().elements;
        const out = new Float64Array(3);
        for (let i = 0; i < n; i++) {
          if (p.dimmed && p.dimmed[i]) continue;
          if (!projectToPx(p.positions, i, vp, rect.width, rect.height, out)) continue;
          const ndcZ = out[2]!;
          if (ndcZ < -1 || ndcZ > 1) continue;
          xy[2 * i] = out[0]!;
          xy[2 * i + 1] = out[1]!;
        }
        return { xy, leftPx: rect.left, topPx: rect.top, widthPx: rect.width, heightPx: rect.height };
      },
    };
    holder.current = api;
    return () => {
      if (holder.current === api) holder.current = null;
    };
  }, [props.apiRef, camera, res, invalidate]);

  // Per frame: only damping. Reads refs, never sets React state.
  useFrame(() => {
    frameCountRef.current++;
    controlsRef.current?.update(); // dispatches 'change' (→ invalidate) while damping is still moving
    // Auto-orbit's first steps are below OrbitControls' change threshold (damping ramps up): keep frames coming.
    if (controlsRef.current?.autoRotate) invalidate();
  });

  return null;
}
