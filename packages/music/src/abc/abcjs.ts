// abcjs is CommonJS with a default export in every loader (Node, bundlers); only its parser and audio sequencer are
// used (parseOnly, TuneObject.setUpAudio), which need no DOM and no AudioContext.
import abcjs from 'abcjs';

export const parseAbcTunes: typeof abcjs.parseOnly = (abc, params) => abcjs.parseOnly(abc, params);
export type { TuneObject, AudioTrackNoteItem, KeySignature as AbcKeySignature } from 'abcjs';
