import type { Metadata } from 'next';
import { GatesDemo } from '../components/GatesDemo';

export const metadata: Metadata = { title: 'Why gates · Recurrent' };

export default function GatesPage() {
  return <GatesDemo />;
}
