import type { Metadata } from 'next';
import { SiteNav } from '../components/SiteNav';
import './globals.css';

export const metadata: Metadata = {
  title: 'Recurrent · text demos',
  description: 'Sentiment and next-word prediction with LSTMs from @recurrent/text, running entirely in your browser.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <div className="site-header-inner">
            <span className="brand">
              Recurrent <span className="brand-sub">text demos</span>
            </span>
            <SiteNav />
          </div>
        </header>
        <main className="site-main">{children}</main>
        <footer className="site-footer">
          Every model runs in your browser (a Web Worker, WebAssembly SIMD kernels) on the weights shipped with
          @recurrent/text. Nothing you type leaves this page.
        </footer>
      </body>
    </html>
  );
}
