import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Triport', template: '%s · Triport' },
  description: 'One set of procedures, three API styles — and a shop on top.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <a className="brand" href="/">
            Triport
          </a>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
