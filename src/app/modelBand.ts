// What a model hears, for captions and spectrogram axes: the mel band (and its name) of the log-mel frames the
// thumbnails are drawn from, or the waveform band of a waveform model. Pure lookups on the model registry.
import { EFFICIENTAT_FRONTEND } from '../dsp/efficientatFrontend.ts';
import { getManifest, type ModelId } from '../embed/models.ts';

export interface ModelBand {
  lowHz: number;
  highHz: number;
  /** Mel axis for log-mel inputs (the thumbnails' rows), linear for a waveform model's band. */
  scale: 'mel' | 'linear';
  /** Model name for the caption. */
  modelName: string;
}

export function modelBand(modelId: ModelId | null): ModelBand | null {
  const manifest = modelId ? getManifest(modelId) : undefined;
  if (!manifest) return null;
  const input = manifest.input;
  const modelName = manifest.name ?? manifest.id;
  if (input.kind === 'log_mel_frames')
    return { lowHz: EFFICIENTAT_FRONTEND.melMinHz, highHz: EFFICIENTAT_FRONTEND.melMaxHz, scale: 'mel', modelName };
  if (input.kind === 'log_mel_patch')
    return { lowHz: input.frontend.melMinHz, highHz: input.frontend.melMaxHz, scale: 'mel', modelName };
  return { lowHz: 0, highHz: input.sampleRateHz / 2, scale: 'linear', modelName };
}
