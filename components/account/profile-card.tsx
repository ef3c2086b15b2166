import { RoleBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatDateUtc } from "@/lib/client/format";

type Profile = { username: string; email: string | null; role: string; createdAt: Date | string };

export function ProfileCard({ user, title = "Profile" }: { user: Profile; title?: string }) {
  return (
    <Card title={title}>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
        <dt className="text-zinc-600">Username</dt>
        <dd className="font-medium break-words text-zinc-900">{user.username}</dd>
        <dt className="text-zinc-600">Email</dt>
        <dd className="break-words text-zinc-900">{user.email ?? <span className="text-zinc-500">Not set</span>}</dd>
        <dt className="text-zinc-600">Role</dt>
        <dd>
          <RoleBadge role={user.role} />
        </dd>
        <dt className="text-zinc-600">Member since</dt>
        <dd className="text-zinc-900">{formatDateUtc(user.createdAt)}</dd>
      </dl>
    </Card>
  );
}
