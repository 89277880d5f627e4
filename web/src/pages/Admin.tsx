import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { ActivityKind, AdminService, SetActivityRequestSchema } from "../gen/looklook/bff/v1/admin_pb.js";
import { HomestayService } from "../gen/looklook/bff/v1/homestay_pb.js";
import { BusinessService } from "../gen/looklook/bff/v1/business_pb.js";
import { CheckboxField, ErrorNotice, FormError, Loading, SelectField, TextField, usePageTitle } from "../components/ui.js";
import { useRpcForm } from "../components/form.js";
import { describeError } from "../api/errors.js";
import { useMe } from "../api/me.js";
import { SignInPrompt } from "./Profile.js";

const kindLabels: Record<number, string> = {
  [ActivityKind.PREFERRED_HOMESTAY]: "Preferred homestays",
  [ActivityKind.GOOD_BOSS]: "Good bosses",
};

/** useListed reports whether a homestay or business is on a curated list. */
function useListed(kind: ActivityKind, dataId: bigint) {
  const preferred = useQuery(HomestayService.method.listPreferredHomestays, { pageSize: 100 }, { enabled: kind === ActivityKind.PREFERRED_HOMESTAY });
  const bosses = useQuery(BusinessService.method.listGoodBosses, { pageSize: 100 }, { enabled: kind === ActivityKind.GOOD_BOSS });
  if (kind === ActivityKind.PREFERRED_HOMESTAY) {
    return { pending: preferred.isPending, listed: preferred.data?.homestays.some((h) => h.id === dataId) ?? false };
  }
  return { pending: bosses.isPending, listed: bosses.data?.bosses.some((b) => b.business?.id === dataId) ?? false };
}

/** ActivityToggle is the admin's switch for one homestay or business on a curated list. */
export function ActivityToggle({ kind, dataId }: { kind: ActivityKind; dataId: bigint }) {
  const queryClient = useQueryClient();
  const setActivity = useMutation(AdminService.method.setActivity);
  const { pending, listed } = useListed(kind, dataId);
  const [sortOrder, setSortOrder] = useState("100");
  const form = useRpcForm();
  const label = kindLabels[kind];

  async function toggle(e: FormEvent) {
    e.preventDefault();
    const order = /^-?\d{1,9}$/.test(sortOrder.trim()) ? Number(sortOrder.trim()) : NaN;
    const req = create(SetActivityRequestSchema, { kind, dataId, enabled: !listed, sortOrder: Number.isNaN(order) ? 0 : order });
    const ok = await form.submit(SetActivityRequestSchema, req, (m) => setActivity.mutateAsync(m), {
      extraErrors: Number.isNaN(order) ? { sort_order: "Enter a whole number." } : undefined,
    });
    if (ok) await queryClient.invalidateQueries();
  }

  return (
    <form className="admin-panel" onSubmit={toggle} noValidate aria-label={`Admin: ${label}`}>
      <h2 className="admin-title">Admin</h2>
      <p>
        {label}: <strong data-testid="listed-state">{pending ? "checking…" : listed ? "listed" : "not listed"}</strong>
      </p>
      {!listed && (
        <TextField label="Sort order (highest first)" name="sort_order" inputMode="numeric" value={sortOrder} onChange={(e) => setSortOrder(e.target.value)} error={form.errors.sort_order} />
      )}
      <FormError message={form.formError} />
      <button type="submit" disabled={pending || form.busy}>
        {listed ? `Remove from ${label.toLowerCase()}` : `Add to ${label.toLowerCase()}`}
      </button>
    </form>
  );
}

export function AdminPage() {
  usePageTitle("Admin");
  const me = useMe();
  if (!me.signedIn) return <SignInPrompt what="edit the curated lists" next="/admin" />;
  if (me.isLoading) return <Loading />;
  if (!me.isAdmin) {
    return (
      <section className="narrow">
        <h1>Admins only</h1>
        <p>This page edits the curated lists. Your account is not an admin.</p>
      </section>
    );
  }
  return (
    <>
      <h1>Curated lists</h1>
      <p className="muted">Add a homestay or business by its id, or use the admin box on its page.</p>
      <div className="dashboard">
        <SetActivityForm />
        <CurrentLists />
      </div>
    </>
  );
}

function SetActivityForm() {
  const queryClient = useQueryClient();
  const setActivity = useMutation(AdminService.method.setActivity);
  const form = useRpcForm();
  const [kind, setKind] = useState<ActivityKind>(ActivityKind.PREFERRED_HOMESTAY);
  const [dataId, setDataId] = useState("");
  const [sortOrder, setSortOrder] = useState("100");
  const [enabled, setEnabled] = useState(true);
  const [done, setDone] = useState("");

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setDone("");
    const extra: Record<string, string> = {};
    const id = /^-?\d{1,18}$/.test(dataId.trim()) ? BigInt(dataId.trim()) : null;
    if (id === null) extra.data_id = "Enter the numeric id.";
    const order = /^-?\d{1,9}$/.test(sortOrder.trim()) ? Number(sortOrder.trim()) : NaN;
    if (Number.isNaN(order)) extra.sort_order = "Enter a whole number.";
    const req = create(SetActivityRequestSchema, { kind, dataId: id ?? 0n, enabled, sortOrder: Number.isNaN(order) ? 0 : order });
    const ok = await form.submit(SetActivityRequestSchema, req, (m) => setActivity.mutateAsync(m), {
      extraErrors: extra,
      onError: (err) => {
        if (err.code === Code.NotFound) {
          form.setErrors({ data_id: `No ${kind === ActivityKind.GOOD_BOSS ? "business" : "homestay"} has this id.` });
          return true;
        }
        return false;
      },
    });
    if (ok) {
      setDone("Saved.");
      await queryClient.invalidateQueries();
    }
  }

  return (
    <section aria-labelledby="set-activity-title">
      <h2 id="set-activity-title">Add or change an entry</h2>
      <form onSubmit={onSubmit} noValidate>
        <SelectField label="List" name="kind" value={kind} onChange={(e) => setKind(Number(e.target.value) as ActivityKind)} error={form.errors.kind}>
          <option value={ActivityKind.PREFERRED_HOMESTAY}>Preferred homestays (homestay id)</option>
          <option value={ActivityKind.GOOD_BOSS}>Good bosses (business id)</option>
        </SelectField>
        <TextField label="Id" name="data_id" inputMode="numeric" value={dataId} onChange={(e) => setDataId(e.target.value)} error={form.errors.data_id} />
        <TextField label="Sort order (highest first)" name="sort_order" inputMode="numeric" value={sortOrder} onChange={(e) => setSortOrder(e.target.value)} error={form.errors.sort_order} hint="0 to 1000000." />
        <CheckboxField label="Shown" name="enabled" checked={enabled} onChange={setEnabled} />
        <FormError message={form.formError} />
        {done && (
          <p className="notice notice-ok" role="status">
            {done}
          </p>
        )}
        <button type="submit" disabled={form.busy}>
          Save entry
        </button>
      </form>
    </section>
  );
}

function CurrentLists() {
  const queryClient = useQueryClient();
  const setActivity = useMutation(AdminService.method.setActivity);
  const preferred = useQuery(HomestayService.method.listPreferredHomestays, { pageSize: 100 });
  const bosses = useQuery(BusinessService.method.listGoodBosses, { pageSize: 100 });
  const [error, setError] = useState("");

  async function hide(kind: ActivityKind, dataId: bigint) {
    setError("");
    try {
      await setActivity.mutateAsync({ kind, dataId, enabled: false, sortOrder: 0 });
      await queryClient.invalidateQueries();
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <section aria-labelledby="current-title">
      <h2 id="current-title">Listed now</h2>
      <FormError message={error} />
      <h3>Preferred homestays</h3>
      {preferred.isPending ? (
        <Loading />
      ) : preferred.isError ? (
        <ErrorNotice error={preferred.error} onRetry={() => preferred.refetch()} />
      ) : preferred.data.homestays.length === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <ul className="plain-list">
          {preferred.data.homestays.map((h) => (
            <li key={h.id.toString()}>
              <Link to={`/homestays/${h.id}`}>{h.title}</Link> <span className="muted">#{h.id.toString()}</span>{" "}
              <button type="button" className="link-button" onClick={() => hide(ActivityKind.PREFERRED_HOMESTAY, h.id)} aria-label={`Remove ${h.title} from preferred homestays`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Good bosses</h3>
      {bosses.isPending ? (
        <Loading />
      ) : bosses.isError ? (
        <ErrorNotice error={bosses.error} onRetry={() => bosses.refetch()} />
      ) : bosses.data.bosses.length === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <ul className="plain-list">
          {bosses.data.bosses.map((b) =>
            b.business ? (
              <li key={b.business.id.toString()}>
                <Link to={`/businesses/${b.business.id}`}>{b.business.title}</Link> <span className="muted">#{b.business.id.toString()}</span>{" "}
                <button type="button" className="link-button" onClick={() => hide(ActivityKind.GOOD_BOSS, b.business!.id)} aria-label={`Remove ${b.business.title} from good bosses`}>
                  Remove
                </button>
              </li>
            ) : null,
          )}
        </ul>
      )}
    </section>
  );
}
