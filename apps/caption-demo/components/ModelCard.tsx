import type { ShippedCaptioner } from '../lib/protocol';

const LIMITS: Record<string, string> = {
  'scene-captioner':
    'Knows only the synthetic scenes it was trained on: 4 shapes, 6 colours, 2 sizes, 1–4 objects on a dark ' +
    'background, and the fixed caption grammar. Real photos are outside its world. Four colour–shape pairings ' +
    'never appeared in training (red triangle, green circle, blue diamond, yellow square): compose one and it ' +
    'usually names a shape it saw with that colour — it learned colour and shape together, not apart.',
  'coco-captioner':
    'Trained on 80 photos (400 captions) after a caption language model on 29,000 Flickr30K descriptions: tiny. ' +
    'Expect generic captions; the detector it looks through knows 23 classes (person, cat, dog, car, laptop…).',
};

/** What a shipped model is, how good it measured and what it cannot do. */
export function ModelCard({ model }: { model: ShippedCaptioner }) {
  return (
    <section className="panel model-card" aria-label={`Model card: ${model.title}`}>
      <h3>{model.title}</h3>
      <p>{model.description}</p>
      <p>
        <strong>Measured:</strong> {model.metric || 'no metrics recorded'}
      </p>
      <p>
        <strong>Limits:</strong> {LIMITS[model.kind]}
      </p>
    </section>
  );
}

/** The card of the detector, which the photo page always has. */
export function DetectorCard() {
  return (
    <section className="panel model-card" aria-label="Model card: detector">
      <h3>Detector: SSD-MobileNetV2 (MediaPipe Objectron)</h3>
      <p>
        Google's object detector from the npm package <code>@mediapipe/objectron</code> (Apache-2.0; licence and notice
        in <code>detector/</code> next to this page), trained on Open Images V4 with 23 classes, run here by
        @recurrent/vision's own TFLite reader on @recurrent/core's WebAssembly kernels. Photos are stretched to 300 ×
        300. Objects outside its classes (elephants, boats, food…) get low scores for the nearest class.
      </p>
    </section>
  );
}
