import { TranslateDemo } from '../components/TranslateDemo';

export default function Page() {
  return (
    <>
      <h1>Translation with attention</h1>
      <p className="lede">
        The lecture's encoder–decoder with attention: a bidirectional GRU reads the sentence, a GRU decoder writes the
        translation piece by piece and, for every piece, looks back at the source through attention. Type, and see where
        it looked.
      </p>
      <TranslateDemo />
    </>
  );
}
