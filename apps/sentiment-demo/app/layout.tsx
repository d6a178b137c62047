import type { Metadata } from 'next';
import { SiteShell } from '@recurrent/demo-kit';
import '@recurrent/demo-kit/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Recurrent · text demos',
  description: 'Sentiment and next-word prediction with LSTMs from @recurrent/text, running entirely in your browser.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <SiteShell
      subtitle="text demos"
      footer={
        <>
          Every model runs in your browser (a Web Worker, WebAssembly SIMD kernels) on the weights shipped with
          @recurrent/text. Nothing you type leaves this page.
        </>
      }
    >
      {children}
    </SiteShell>
  );
}
