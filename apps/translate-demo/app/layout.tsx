import type { Metadata } from 'next';
import { SiteShell } from '@recurrent/demo-kit';
import '@recurrent/demo-kit/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Recurrent · translation',
  description:
    'German → English and English → French with an attentional GRU encoder–decoder, in your browser: attention ' +
    'heatmap, per-word probabilities, n-best lists and live timings.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <SiteShell
      subtitle="translation"
      footer={
        <>
          Everything runs in your browser (a Web Worker, WebAssembly SIMD kernels) on the translators shipped with
          @recurrent/text, trained on Multi30K. Nothing you type leaves this page.
        </>
      }
    >
      {children}
    </SiteShell>
  );
}
