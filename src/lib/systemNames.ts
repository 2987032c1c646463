// Names in a walked folder that are system clutter, not recordings (macOS .DS_Store, AppleDouble "._x.wav" resource forks, hidden folders), with the reason a skip list shows; pure, shared by the app's drop walk and the CLI's folder walk.

export type SystemNameCode = 'E_RESOURCE_FORK' | 'E_SYSTEM_FILE' | 'E_HIDDEN_FOLDER';

export interface SystemNameSkip {
  code: SystemNameCode;
  reason: string;
}

/**
 * Why an entry found inside a folder is passed over by name, or null when it is an ordinary entry. A dot-named audio
 * file (".take2.wav") is ordinary: it may well be a recording, and if it is not, decoding says so. Hidden folders
 * (.git, .Trashes, .Spotlight-V100) are not walked: they hold tool data, often a lot of it.
 */
export function systemNameSkip(name: string, isFolder: boolean): SystemNameSkip | null {
  if (isFolder) {
    return name.startsWith('.') && name !== '.' && name !== '..'
      ? { code: 'E_HIDDEN_FOLDER', reason: 'a hidden folder (its name starts with "."): not read' }
      : null;
  }
  // Only the name says what an AppleDouble file is: its bytes are a resource fork that no audio decoder reads.
  if (name.startsWith('._'))
    return { code: 'E_RESOURCE_FORK', reason: 'a macOS resource fork (AppleDouble "._" file), not audio' };
  if (name === '.DS_Store')
    return { code: 'E_SYSTEM_FILE', reason: 'macOS Finder folder settings (.DS_Store), not audio' };
  return null;
}
