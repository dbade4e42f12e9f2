import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { SiteHeader } from '@/components/site-header';
import type { Me } from '@/lib/me-context';
import { serverApi } from '@/lib/trpc-server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Triport', template: '%s · Triport' },
  description: 'One set of procedures, three API styles — and a shop on top.',
};

export const viewport: Viewport = { themeColor: '#3b4fd8' };

/** Who is signed in, for the header's first paint; the page still renders if the API is unreachable. */
async function currentMe(): Promise<Me | undefined> {
  try {
    const { api } = await serverApi();
    return await api.auth.me.query();
  } catch {
    return undefined;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const me = await currentMe();
  return (
    <html lang="en">
      <body>
        <Providers me={me}>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <SiteHeader />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
          <footer className="site-footer">
            <p>
              Triport — one set of procedures served as tRPC, REST and SOAP.{' '}
              <Link href="/compare">See the three styles side by side</Link>
            </p>
          </footer>
        </Providers>
      </body>
    </html>
  );
}
