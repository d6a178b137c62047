import type { Metadata } from 'next';
import { SentimentDemo } from '../components/SentimentDemo';

export const metadata: Metadata = { title: 'Sentiment · Recurrent' };

export default function SentimentPage() {
  return <SentimentDemo />;
}
