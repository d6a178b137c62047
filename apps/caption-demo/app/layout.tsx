import type { Metadata } from 'next';
import { SiteShell } from '@recurrent/demo-kit';
import '@recurrent/demo-kit/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Recurrent · image captions',
  description: 'A CNN and an attention LSTM caption scenes and photos word by word, in your browser.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <SiteShell
      subtitle="image captions"
      footer={
        <>
          Everything runs in your browser (a Web Worker, WebAssembly SIMD kernels): @recurrent/vision's captioners and
          MediaPipe's SSD-MobileNetV2 detector (Apache-2.0). Uploaded photos never leave this page.
        </>
      }
    >
      {children}
    </SiteShell>
  );
}
