// Texts to click on the pages.

export const SENTIMENT_EXAMPLES: { label: string; text: string }[] = [
  {
    label: 'Glowing',
    text: 'A gorgeous, witty and deeply moving film, with wonderful performances from the whole cast.',
  },
  {
    label: 'Scathing',
    text: 'A dull, lifeless mess: the plot is predictable, the jokes fall flat and it goes on far too long.',
  },
  {
    label: 'Turns around',
    text: 'The first hour is slow and clumsy, but the ending is so powerful that it won me over completely.',
  },
  {
    label: 'Sours',
    text: 'It starts with real charm and promise, then collapses into a tedious, incoherent and boring finale.',
  },
  { label: 'Negation', text: "I didn't like it at all, and I would not recommend it to anyone." },
];

const LONG_REVIEW =
  'The performances are superb and the story is told with great care and warmth, a delight from start to finish. ';

/** Inputs that exercise the page's input handling (each gets its own visible notice). */
export const TRICKY_EXAMPLES: { label: string; text: string }[] = [
  { label: 'Empty', text: '' },
  { label: '60,000 characters', text: LONG_REVIEW.repeat(Math.ceil(60_000 / LONG_REVIEW.length)).slice(0, 60_000) },
  { label: 'Emoji', text: 'I loved this movie 😍🍿🎬 so much fun 👍' },
  { label: 'Other scripts', text: 'Этот фильм прекрасен. この映画は素晴らしい。 هذا الفيلم رائع' },
  { label: 'Made-up words', text: 'The zorblaxed snorfwaddle was quite flumpish and grobbly.' },
];

export const PREFIX_EXAMPLES: Record<'char' | 'word', string[]> = {
  char: [
    'ROMEO:\nO, she doth teach the torches to burn bright',
    'KING HENRY:\nOnce more unto the breach, ',
    'First Citizen:\nWe are accounted poor citizens, ',
  ],
  word: ['the movie was', 'this is one of the best', 'i would not recommend'],
};
