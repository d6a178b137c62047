import type { Metadata } from 'next';
import { NextWordDemo } from '../../components/NextWordDemo';

export const metadata: Metadata = { title: 'Next word · Recurrent' };

export default function NextWordPage() {
  return <NextWordDemo />;
}
