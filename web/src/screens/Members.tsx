import { type FormEvent, useId, useState } from "react";
import { api, type Invite, type Role } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { initials } from "../components/avatar.ts";
import { CopyField } from "../components/CopyButton.tsx";
import { RowButton } from "../components/DataTable.tsx";
import { ErrorNotice } from "../components/Feedback.tsx";
import { formatDateTime, formatRelative } from "../components/format.ts";
import { Field, SelectField } from "../components/forms.tsx";
import { Page } from "../components/Page.tsx";
import { PagedTable, PagedView } from "../components/PagedView.tsx";
import { SecretNotice } from "../components/SecretNotice.tsx";
import { useAction } from "../components/useAction.ts";
import { usePaged } from "../components/usePaged.ts";

const ROLES: Role[] = ["admin", "member", "viewer", "owner"];

/** Members of the organisation and the invites waiting for an answer, each a page at a time. */
export function Members() {
  const { session } = useAppState();
  const members = usePaged((cursor) => api.listMembers({ cursor }), []);
  const invites = usePaged((cursor) => api.listInvites({ cursor }), []);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const action = useAction();
  const id = useId();

  function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    return action.run(async () => {
      const created = await api.createInvite({
        email: String(data.get("email") ?? ""),
        role: String(data.get("role")) as Role,
      });
      setLink({
        email: created.invite.email,
        url: `${location.origin}/join?token=${encodeURIComponent(created.token)}`,
      });
      form.reset();
      invites.reload();
    });
  }

  function revoke(item: Invite) {
    if (!confirm(`Revoke the invite for ${item.email}?`)) return;
    return action.run(async () => {
      await api.revokeInvite(item.id);
      invites.reload();
    });
  }

  return (
    <Page id={`${id}-title`} title="Members" lead="Who can work in this organisation, and with which role.">
      <PagedView
        paged={members}
        loadingLabel="Loading members"
        emptyTitle="No members"
        moreLabel="Load more members"
      >
        {(items) => (
          <ul className="member-list" aria-label="Members">
            {items.map((m) => (
              <li key={m.userId} className="member">
                <span className="avatar" aria-hidden="true">
                  {initials(m.name)}
                </span>
                <span className="member-text">
                  <span className="member-name">
                    {m.name} {m.userId === session?.user.id && <span className="muted">(you)</span>}
                  </span>
                  <span className="muted small">{m.email}</span>
                </span>
                <span className={`badge badge-role-${m.role}`}>{m.role}</span>
                <span className="muted small hide-narrow">joined {formatRelative(m.joinedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </PagedView>

      <h2>Invites</h2>
      <form className="card inline-form" onSubmit={invite}>
        <Field id={`${id}-email`} label="Email" grow>
          <input id={`${id}-email`} name="email" type="email" required placeholder="tester@example.com" />
        </Field>
        <SelectField id={`${id}-role`} label="Role" name="role" options={ROLES} defaultValue="member" />
        <button type="submit" className="btn btn-primary">
          Send invite
        </button>
      </form>
      <ErrorNotice error={action.error} />

      {link && (
        <SecretNotice
          title={`Send this link to ${link.email}. It is shown only once.`}
          onDone={() => setLink(null)}
          live={false}
        >
          <CopyField value={link.url} label="Invite link" testId="invite-link" copyLabel="Copy link" />
        </SecretNotice>
      )}

      <PagedTable
        paged={invites}
        loadingLabel="Loading invites"
        emptyTitle="No invites yet"
        moreLabel="Load more invites"
        caption="Invites"
        columns={[
          { header: "Email", rowHeader: true, cell: (i) => i.email },
          { header: "Role", cell: (i) => i.role },
          { header: "Status", cell: (i) => <span className={`badge badge-${i.status}`}>{i.status}</span> },
          {
            header: "Expires",
            title: (i) => formatDateTime(i.expiresAt),
            cell: (i) => formatRelative(i.expiresAt),
          },
        ]}
        actions={(i) =>
          i.status === "pending" && (
            <RowButton danger label={`Revoke invite for ${i.email}`} onClick={() => revoke(i)}>
              Revoke
            </RowButton>
          )
        }
      />
    </Page>
  );
}
