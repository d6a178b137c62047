/** A labelled text for many-to-one classification (0 = negative, 1 = positive for sentiment). */
export interface LabelledText {
  text: string;
  label: number;
}
