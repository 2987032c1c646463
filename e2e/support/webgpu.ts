// Chromium flags for a software WebGPU adapter (SwiftShader over Vulkan): enough to test the backend choice and fallback, far too slow for real work.
import { CHROMIUM_ARGS } from '../../playwright.config.ts';

export const WEBGPU_ARGS = [
  ...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'),
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
];
