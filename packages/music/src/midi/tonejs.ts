// @tonejs/midi is CommonJS in Node (its "main") and ES modules for bundlers (its "module"): take the classes from
// whichever shape the loader produced.
import * as tonejsModule from '@tonejs/midi';

type TonejsModule = typeof import('@tonejs/midi');
const loaded = tonejsModule as TonejsModule & { default?: TonejsModule };

export const ToneMidi: TonejsModule['Midi'] = loaded.Midi ?? loaded.default?.Midi;
export type ToneMidiFile = InstanceType<TonejsModule['Midi']>;
