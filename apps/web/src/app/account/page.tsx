import type { Metadata } from 'next';
import { ApiKeys } from '@/components/api-keys';
import { ProblemNotice } from '@/components/problem-notice';
import { ProfileForm } from '@/components/profile-form';
import { SignOutButton } from '@/components/sign-out-button';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const session = await requireUser('/account');
  if (!session.ok) return <ProblemNotice problem={session.problem} />;
  const { user } = session;
  // First paint with data: both reads go out in one batched request.
  const [profile, keys] = await Promise.allSettled([session.api.api.account.profile.query(), session.api.api.account.apiKeys.list.query()]);
  return (
    <div className="account-layout">
      <div className="page-heading">
        <h1>Your account</h1>
        <SignOutButton />
      </div>
      <section aria-labelledby="profile-title" className="card">
        <h2 id="profile-title">Profile</h2>
        <p className="muted small">
          Signed in as <strong>{user.email}</strong> · {user.role} · {user.plan} plan
        </p>
        <ProfileForm initial={profile.status === 'fulfilled' ? profile.value : undefined} />
      </section>
      <section aria-labelledby="keys-title" className="card">
        <h2 id="keys-title">API keys</h2>
        <p className="muted small">
          Keys let your own programs call the REST and SOAP APIs as you (<code>Authorization: Bearer &lt;key&gt;</code>). A new
          key is shown once — store it somewhere safe.
        </p>
        <ApiKeys initial={keys.status === 'fulfilled' ? keys.value : undefined} />
      </section>
    </div>
  );
}
