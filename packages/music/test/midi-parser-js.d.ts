// midi-parser-js ships no types; the round-trip test uses only its parse().
declare module 'midi-parser-js' {
  const MidiParser: { parse(bytes: Uint8Array): unknown };
  export default MidiParser;
}
