// YAMNet from its public TFLite release in the browser: convert ../shared's yamnet-int8.tflite in the embed worker, embed the insects, and match the shipped yamnet.onnx window by window (cosine ≥ 0.999); hover shows YAMNet's top classes.
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../src/lib/sharedPaths.ts';
import { captureErrors, dropFolder, hoverPoint, waitForMap } from './support/app.ts';

const insects = join(sharedDir(), 'data', 'insects');
const tflite = join(sharedDir(), 'models', 'yamnet', 'yamnet-int8.tflite');
test.skip(!existsSync(join(insects, 'audio')) || !existsSync(tflite), '../shared (insects, YAMNet TFLite) is missing');
test.setTimeout(300_000);

test('the YAMNet TFLite converted in the browser embeds the insects like the shipped ONNX (cos ≥ 0.999)', async ({
  page,
}) => {
  const errors = captureErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('model-select')).toHaveValue('efficientat-mn04');
  await page.getByTestId('model-select').selectOption('yamnet');
  await dropFolder(page, insects);
  expect(await waitForMap(page)).toBe(96);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-model', 'yamnet');
  // The shipped ONNX's window embeddings stay in the page for the comparison.
  await page.evaluate(() => {
    const w = window as Window & { __yamnetOnnx?: ReturnType<Window['__earshot']['windowEmbeddings']> };
    const e = w.__earshot.windowEmbeddings();
    if (e) w.__yamnetOnnx = e;
  });

  // What the model hears: YAMNet's class names from its CRLF class map.
  await page.mouse.move(5, 5);
  await hoverPoint(page, 3);
  await expect(page.getByTestId('hover-class')).toHaveCount(3);
  const classes = await page.getByTestId('hover-class').allTextContents();
  expect(classes.every((c) => /^[A-Z][^\r\n]* \d\.\d\d$/.test(c) && !c.startsWith('class '))).toBe(true);

  await page.getByTestId('model-file-input').setInputFiles(tflite);
  await expect(page.getByTestId('model-status')).toContainText('Loaded YAMNet (from TFLite, 1024-d) on', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('model-note')).toContainText('Converted yamnet-int8.tflite');
  await expect(page.getByTestId('model-select')).toHaveValue('yamnet-tflite');
  await page.getByTestId('model-remap').click();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-model', 'yamnet-tflite', { timeout: 60_000 });
  expect(await waitForMap(page)).toBe(96);

  const result = await page.evaluate(async () => {
    const { cosine } = (await import(
      /* @vite-ignore */ String('/src/embed/tflite/patchCompare.ts')
    )) as typeof import('../src/embed/tflite/patchCompare.ts');
    const w = window as Window & { __yamnetOnnx?: ReturnType<Window['__earshot']['windowEmbeddings']> };
    const a = w.__yamnetOnnx;
    const b = w.__earshot.windowEmbeddings();
    if (!a || !b || a.dim !== b.dim || a.windows !== b.windows) return { windows: -1, minCos: -1, dim: b?.dim ?? -1 };
    // Files finish in any order, so match windows by file and offset, not by index.
    const inB = new Map(b.files.map((f) => [f.path, f]));
    let minCos = 1;
    let compared = 0;
    for (const fa of a.files) {
      const fb = inB.get(fa.path);
      if (!fb || fb.windowCount !== fa.windowCount) return { windows: -2, minCos: -1, dim: a.dim };
      for (let k = 0; k < fa.windowCount; k++) {
        const ra = (fa.firstWindow + k) * a.dim;
        const rb = (fb.firstWindow + k) * a.dim;
        minCos = Math.min(minCos, cosine(a.values.subarray(ra, ra + a.dim), b.values.subarray(rb, rb + a.dim)));
        compared++;
      }
    }
    return { windows: compared, minCos, dim: a.dim };
  });
  console.log(`tflite in browser vs yamnet.onnx: ${result.windows} windows, min cos ${result.minCos}`);
  expect(result.dim).toBe(1024);
  expect(result.windows).toBeGreaterThan(500);
  expect(result.minCos).toBeGreaterThanOrEqual(0.999);

  // Cached in the browser: it survives a reload, and can be evicted.
  await page.goto('/');
  await expect(page.getByTestId('cached-model')).toHaveAttribute('data-model', 'yamnet-tflite');
  await page.getByTestId('evict-yamnet-tflite').click();
  await expect(page.getByTestId('cached-model')).toHaveCount(0);
  expect(errors).toEqual([]);
});
