// Labels from file names and paths: ESC-50, UrbanSound8K, else the parent folder. Pure, no DOM.

/** Where a file's label came from: its name or folder, none, a person in the app ('user'), or an imported table. */
export type LabelSource = 'esc50' | 'urbansound8k' | 'folder' | 'none' | 'user' | 'table';

export interface FileLabel {
  label: string | null;
  source: LabelSource;
}

const US8K_CLASSES = [
  'air_conditioner',
  'car_horn',
  'children_playing',
  'dog_bark',
  'drilling',
  'engine_idling',
  'gun_shot',
  'jackhammer',
  'siren',
  'street_music',
];

// ESC-50: {fold}-{source id}-{take letter(s)}-{target}.ext — the class is the number after the last dash.
const ESC50 = /^(\d+)-(\d+)-([A-Za-z]+)-(\d+)\.[A-Za-z0-9]+$/;
// UrbanSound8K: {freesound id}-{classID}-{occurrence}-{slice}.ext, all numeric.
const US8K = /^(\d+)-(\d+)-(\d+)-(\d+)\.[A-Za-z0-9]+$/;

/** Split a relative path ("a/b/c.wav") into its folder names and file name. */
export function splitPath(relativePath: string): { folders: string[]; fileName: string } {
  const parts = relativePath.split(/[\\/]+/).filter((p) => p.length > 0);
  const fileName = parts.pop() ?? relativePath;
  return { folders: parts, fileName };
}

export function labelFromPath(relativePath: string): FileLabel {
  const { folders, fileName } = splitPath(relativePath);
  const esc = ESC50.exec(fileName);
  if (esc) return { label: `target ${Number(esc[4])}`, source: 'esc50' };
  const us = US8K.exec(fileName);
  if (us) {
    const classId = Number(us[2]);
    return { label: US8K_CLASSES[classId] ?? `class ${classId}`, source: 'urbansound8k' };
  }
  // The folder the file sits in names its class (the usual "one folder per class" layout),
  // except generic folder names that say nothing about the sound.
  const parent = folders[folders.length - 1];
  if (parent && !/^(audio|audios|wav|wavs|sounds|clips|data|files)$/i.test(parent))
    return { label: parent, source: 'folder' };
  return { label: null, source: 'none' };
}
