// Shader material for the scatter's single THREE.Points draw call (round soft sprites, hover/active rings); must not hold app state.
import * as THREE from 'three';

/** Bits of the per-point `state` attribute (stored as float because WebGL attributes are floats; decoded as int in GLSL). */
export const POINT_STATE_DIMMED = 1;
export const POINT_STATE_HOVERED = 2;
export const POINT_STATE_ACTIVE = 4;

const vertexShader = /* glsl */ `
attribute vec3 color;
attribute float state;
uniform float uPointSizeWorld;  // sprite diameter in world units
uniform float uPxPerWorldAt1;   // framebuffer px per world unit at view distance 1 (viewport height / 2tan(fov/2))
uniform float uMinSizePx;       // framebuffer px: distant points never vanish
uniform float uMaxSizePx;       // framebuffer px: zooming in never fills the screen with one point
uniform float uDpr;
varying vec3 vColor;
varying float vSizePx;
flat varying int vState;

void main() {
  vec4 mvPosition = modelViewMatrix * vec4(position, 1.0);
  gl_Position = projectionMatrix * mvPosition;
  int s = int(state + 0.5);
  float sizePx = clamp(uPointSizeWorld * uPxPerWorldAt1 / max(-mvPosition.z, 1e-4), uMinSizePx, uMaxSizePx);
  vColor = color;
  if ((s & ${POINT_STATE_DIMMED}) != 0) {
    // Filtered out: small, grey, and at the far end of the depth range so it never hides a live point.
    sizePx *= 0.7;
    vColor = vec3(0.20, 0.21, 0.24);
    gl_Position.z = 0.9999 * gl_Position.w;
  }
  if ((s & ${POINT_STATE_ACTIVE}) != 0) {
    // Pulled to the front of the depth range so its ring is never occluded by the cloud.
    sizePx = max(sizePx * 2.0, 15.0 * uDpr);
    gl_Position.z = -0.999 * gl_Position.w;
  }
  if ((s & ${POINT_STATE_HOVERED}) != 0) {
    sizePx = max(sizePx * 2.5, 19.0 * uDpr);
    gl_Position.z = -0.9999 * gl_Position.w;
  }
  vSizePx = sizePx;
  vState = s;
  gl_PointSize = sizePx;
}
`;

const fragmentShader = /* glsl */ `
uniform float uDpr;
varying vec3 vColor;
varying float vSizePx;
flat varying int vState;

void main() {
  vec2 p = gl_PointCoord * 2.0 - 1.0;
  float r = length(p);
  float onePx = 2.0 / vSizePx;  // one framebuffer pixel in sprite-radius units
  // 1.5 px soft edge: antialiasing without MSAA, which SwiftShader and big point clouds both dislike.
  float alpha = 1.0 - smoothstep(1.0 - 1.5 * onePx, 1.0, r);
  if (alpha <= 0.0) discard;
  // Slightly darker rim reads as a sphere and separates overlapping points of the same colour.
  vec3 col = vColor * (1.0 - 0.3 * r * r);
  bool isHovered = (vState & ${POINT_STATE_HOVERED}) != 0;
  bool isActive = (vState & ${POINT_STATE_ACTIVE}) != 0;
  if (isHovered || isActive) {
    float ringW = (isHovered ? 2.5 : 3.0) * uDpr * onePx;
    float gapW = 1.5 * uDpr * onePx;
    float ringIn = 1.0 - ringW;
    float gapIn = ringIn - gapW;
    vec3 ringCol = isHovered ? vec3(1.0) : vec3(1.0, 0.76, 0.18);
    // Core keeps the label colour; a dark gap then the ring, so the ring reads on any neighbour colour.
    col = mix(vColor, vec3(0.02), smoothstep(gapIn - onePx, gapIn, r));
    col = mix(col, ringCol, smoothstep(ringIn - onePx, ringIn, r));
  }
  gl_FragColor = vec4(col, alpha);
}
`;

export interface PointsUniforms {
  [name: string]: THREE.IUniform<number>;
  uPointSizeWorld: THREE.IUniform<number>;
  uPxPerWorldAt1: THREE.IUniform<number>;
  uMinSizePx: THREE.IUniform<number>;
  uMaxSizePx: THREE.IUniform<number>;
  uDpr: THREE.IUniform<number>;
}

export function createPointsMaterial(): THREE.ShaderMaterial & { uniforms: PointsUniforms } {
  const uniforms: PointsUniforms = {
    uPointSizeWorld: { value: 0.02 },
    uPxPerWorldAt1: { value: 800 },
    uMinSizePx: { value: 3 },
    uMaxSizePx: { value: 48 },
    uDpr: { value: 1 },
  };
  const material = new THREE.ShaderMaterial({
    uniforms,
    vertexShader,
    fragmentShader,
    // Only the 1.5 px rim is translucent; depth writes stay on so nearer points win regardless of draw order.
    transparent: true,
    depthWrite: true,
    depthTest: true,
    toneMapped: false,
  });
  return material as THREE.ShaderMaterial & { uniforms: PointsUniforms };
}
