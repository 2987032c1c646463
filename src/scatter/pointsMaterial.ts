// Shader material for the scatter's single THREE.Points draw call (round soft sprites, hover/active rings); must not hold app state.
import * as THREE from 'three';

/** Bits of the per-point `state` attribute (stored as float because WebGL attributes are floats; decoded as int in GLSL). */
export const POINT_STATE_DIMMED = 1;
export const POINT_STATE_HOVERED = 2;
export const POINT_STATE_ACTIVE = 4;

/** Attributes, size uniforms and varyings both vertex shaders (dots, thumbnails) share. */
const VERTEX_HEADER = /* glsl */ `
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
`;

const vertexShader = /* glsl */ `${VERTEX_HEADER}
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

// Sprite render mode: each point is its spectrogram thumbnail (cell gl_VertexID of one sheet texture), framed in its
// colour; hovered/active ones come to the front of the depth range and grow. Same attributes as the dot material.
const spriteVertexShader = /* glsl */ `${VERTEX_HEADER}
uniform int uColumns;
varying vec2 vCellOrigin;

void main() {
  vec4 mvPosition = modelViewMatrix * vec4(position, 1.0);
  gl_Position = projectionMatrix * mvPosition;
  int s = int(state + 0.5);
  float sizePx = clamp(uPointSizeWorld * uPxPerWorldAt1 / max(-mvPosition.z, 1e-4), uMinSizePx, uMaxSizePx);
  vColor = color;
  if ((s & ${POINT_STATE_DIMMED}) != 0) {
    sizePx *= 0.5;
    gl_Position.z = 0.9999 * gl_Position.w;
  }
  if ((s & ${POINT_STATE_ACTIVE}) != 0) {
    sizePx = max(sizePx * 2.0, 64.0 * uDpr);
    gl_Position.z = -0.999 * gl_Position.w;
  }
  if ((s & ${POINT_STATE_HOVERED}) != 0) {
    sizePx = max(sizePx * 2.5, 96.0 * uDpr);
    gl_Position.z = -0.9999 * gl_Position.w;
  }
  int i = gl_VertexID;
  vCellOrigin = vec2(float(i % uColumns), float(i / uColumns));
  vSizePx = sizePx;
  vState = s;
  gl_PointSize = sizePx;
}
`;

const spriteFragmentShader = /* glsl */ `
uniform sampler2D uSheet;
uniform vec2 uCellUv;   // one cell's size in texture coordinates
uniform float uDpr;
varying vec3 vColor;
varying float vSizePx;
varying vec2 vCellOrigin;
flat varying int vState;

void main() {
  vec2 pc = gl_PointCoord;
  // Thumbnails are 3:2: full width, the middle two thirds of the square point.
  float v = (pc.y - 1.0 / 6.0) * 1.5;
  if (v < 0.0 || v > 1.0) discard;
  float onePx = 1.0 / vSizePx;
  bool isHovered = (vState & ${POINT_STATE_HOVERED}) != 0;
  bool isActive = (vState & ${POINT_STATE_ACTIVE}) != 0;
  bool isDimmed = (vState & ${POINT_STATE_DIMMED}) != 0;
  vec4 texel = texture2D(uSheet, (vCellOrigin + vec2(pc.x, v)) * uCellUv);
  if (texel.a < 0.5) {
    // No thumbnail for this point: a round dot in its colour.
    float r = length(pc * 2.0 - 1.0);
    if (r > 1.0) discard;
    gl_FragColor = vec4(isDimmed ? vec3(0.2, 0.21, 0.24) : vColor, 1.0);
    return;
  }
  // A frame in the point's colour keeps the colour mode readable; white when hovered, amber when looping.
  float frameW = (isHovered || isActive ? 3.0 : 1.5) * uDpr * onePx;
  float edge = min(min(pc.x, 1.0 - pc.x), min(v, 1.0 - v) / 1.5);
  vec3 frameCol = isHovered ? vec3(1.0) : isActive ? vec3(1.0, 0.76, 0.18) : vColor;
  vec3 col = edge < frameW ? frameCol : texel.rgb;
  if (isDimmed) col = mix(col, vec3(0.11, 0.12, 0.14), 0.8);
  gl_FragColor = vec4(col, 1.0);
}
`;

export interface SpriteUniforms {
  [name: string]: THREE.IUniform<unknown>;
  uPointSizeWorld: THREE.IUniform<number>;
  uPxPerWorldAt1: THREE.IUniform<number>;
  uMinSizePx: THREE.IUniform<number>;
  uMaxSizePx: THREE.IUniform<number>;
  uDpr: THREE.IUniform<number>;
  uColumns: THREE.IUniform<number>;
  uCellUv: THREE.IUniform<THREE.Vector2>;
  uSheet: THREE.IUniform<THREE.Texture | null>;
}

export function createSpritePointsMaterial(): THREE.ShaderMaterial & { uniforms: SpriteUniforms } {
  const uniforms: SpriteUniforms = {
    uPointSizeWorld: { value: 0.05 },
    uPxPerWorldAt1: { value: 800 },
    uMinSizePx: { value: 8 },
    uMaxSizePx: { value: 72 },
    uDpr: { value: 1 },
    uColumns: { value: 1 },
    uCellUv: { value: new THREE.Vector2(1, 1) },
    uSheet: { value: null },
  };
  const material = new THREE.ShaderMaterial({
    uniforms,
    vertexShader: spriteVertexShader,
    fragmentShader: spriteFragmentShader,
    depthWrite: true,
    depthTest: true,
    toneMapped: false,
  });
  return material as THREE.ShaderMaterial & { uniforms: SpriteUniforms };
}
