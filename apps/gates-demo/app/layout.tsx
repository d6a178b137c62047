import type { Metadata } from 'next';
import { SiteShell } from '@recurrent/demo-kit';
import '@recurrent/demo-kit/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Recurrent · why gates',
  description:
    'A tanh RNN, an IRNN, an LSTM and a GRU race on a long-range task in your browser: loss curves and the ' +
    'gradient through time.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <SiteShell
      subtitle="why gates"
      footer={
        <>
          Every network trains in your browser (a Web Worker, @recurrent/core&apos;s WebAssembly SIMD kernels); nothing
          is sent anywhere.
        </>
      }
    >
      {children}
    </SiteShell>
  );
}
