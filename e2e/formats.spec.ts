// Formats the browser decodes (FLAC, MP3, OGG/Opus, OGG/Vorbis, AAC/M4A), made by ffmpeg from generated
// tones: each becomes a point, decoded at its native rate and channel count. Skipped without ffmpeg.
import { expect, test } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../src/dsp/wav.ts';
import { captureErrors, dropFolder, hoverPoint, waitForMap } from './support/app.ts';
import { NO_SHARED_URL } from './support/servers.ts';

const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;
test.skip(!hasFfmpeg, 'ffmpeg is not installed (npm test installs it with apt-get)');
test.use({ baseURL: NO_SHARED_URL });

// name, ffmpeg args, the rate and channels the browser must report after decoding.
const CASES: { file: string; args: string[]; rateHz: number; channels: number }[] = [
  { file: 'tone.flac', args: ['-c:a', 'flac', '-sample_fmt', 's32', '-ar', '96000'], rateHz: 96000, channels: 2 },
  { file: 'tone.mp3', args: ['-c:a', 'libmp3lame', '-b:a', '128k', '-ar', '44100'], rateHz: 44100, channels: 2 },
  { file: 'tone.opus', args: ['-c:a', 'libopus', '-b:a', '64k'], rateHz: 48000, channels: 2 },
  { file: 'tone.ogg', args: ['-c:a', 'libvorbis', '-ar', '22050', '-ac', '1'], rateHz: 22050, channels: 1 },
  { file: 'tone.m4a', args: ['-c:a', 'aac', '-b:a', '96k', '-ar', '32000'], rateHz: 32000, channels: 2 },
];

test('FLAC, MP3, OGG/Opus, OGG/Vorbis and AAC/M4A decode at their native rate and map', async ({ page }) => {
  const errors = captureErrors(page);
  const dir = join(tmpdir(), 'earshot-formats');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'formats'), { recursive: true });
  const rateHz = 48000;
  const left = Float32Array.from({ length: rateHz * 2 }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 660 * i) / rateHz));
  const right = left.map((x, i) => x * 0.5 + 0.1 * Math.sin((2 * Math.PI * 1320 * i) / rateHz));
  const source = join(dir, 'source.wav');
  writeFileSync(source, encodeWav([left, right], rateHz, 24));
  for (const c of CASES)
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      source,
      ...c.args,
      join(dir, 'formats', c.file),
    ]);
  rmSync(source);

  await page.goto('/');
  await dropFolder(page, dir);
  expect(await waitForMap(page, 120_000)).toBe(CASES.length);
  const files = await page.evaluate(() => window.__earshot.files());
  for (const c of CASES) {
    const f = files.find((x) => x.path.endsWith(c.file));
    expect(f?.status, c.file).toBe('done');
    expect(f?.sampleRateHz, `${c.file} rate`).toBe(c.rateHz);
    expect(f?.channels, `${c.file} channels`).toBe(c.channels);
    // Encoder delay and padding add a little; the tone itself is 2 s.
    expect(f?.durationSec ?? 0, `${c.file} duration`).toBeGreaterThan(1.9);
    expect(f?.durationSec ?? 99, `${c.file} duration`).toBeLessThan(2.2);
  }
  const h = await hoverPoint(page, 0);
  expect(h.playback?.pointIndex).toBe(h.point);
  expect(errors).toEqual([]);
});
