import type { ReactNode } from 'react';
import { SiteNav } from './SiteNav';

export interface SiteShellProps {
  /** Shown beside "Recurrent" in the header (e.g. "text demos"). */
  subtitle: string;
  /** The footer line (what runs where). */
  footer: ReactNode;
  children: ReactNode;
}

/**
 * The page shell of every demo (use it as the root layout's whole body): header with the site name (a link to the
 * landing page at "/") and the navigation across demos, main column, footer. Import '@recurrent/demo-kit/styles.css'
 * in the layout for its look.
 */
export function SiteShell({ subtitle, footer, children }: SiteShellProps) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <div className="site-header-inner">
            <a className="brand" href="/">
              Recurrent <span className="brand-sub">{subtitle}</span>
            </a>
            <SiteNav />
          </div>
        </header>
        <main className="site-main">{children}</main>
        <footer className="site-footer">{footer}</footer>
      </body>
    </html>
  );
}
