import { useState, type FormEvent } from "react";
import { Link, useLocation } from "react-router";
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { useInfiniteQuery, useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import {
  type BusinessInput,
  BusinessInputSchema,
  CreateBusinessRequestSchema,
  LandlordService,
  UpdateBusinessRequestSchema,
} from "../gen/looklook/bff/v1/landlord_pb.js";
import type { Business, Homestay } from "../gen/looklook/bff/v1/types_pb.js";
import { CheckboxField, ErrorNotice, FormError, Img, Loading, LoadMore, Price, TextArea, TextField, usePageTitle } from "../components/ui.js";
import { useRpcForm } from "../components/form.js";
import { useMe } from "../api/me.js";
import { useMyBusiness } from "../api/landlord.js";
import { refreshSession } from "../api/transport.js";
import { describeError } from "../api/errors.js";
import { SignInPrompt } from "./Profile.js";
import { ConflictNotice } from "../components/ConflictNotice.js";

export function LandlordPage() {
  usePageTitle("My business");
  const me = useMe();
  if (!me.signedIn) return <SignInPrompt what="run your business" next="/landlord" />;
  if (me.isLoading) return <Loading />;
  if (me.error || !me.user) return <ErrorNotice error={me.error} />;
  if (!me.isLandlord) return <OpenBusiness />;
  return <Dashboard userId={me.user.id} />;
}

/** OpenBusiness creates the caller's business, then refreshes the tokens to carry the role. */
function OpenBusiness() {
  const queryClient = useQueryClient();
  const createBusiness = useMutation(LandlordService.method.createBusiness);
  const [roleError, setRoleError] = useState<unknown>(null);

  async function becomeLandlord() {
    setRoleError(null);
    try {
      // The landlord role is in the next access token: refresh now rather than at expiry.
      await refreshSession();
      await queryClient.invalidateQueries();
    } catch (e) {
      setRoleError(e);
    }
  }

  return (
    <section className="narrow" aria-labelledby="open-title">
      <h1 id="open-title">Open your business</h1>
      <p>Tell guests about your place. You can add homestays as soon as your business exists.</p>
      {roleError !== null && <ErrorNotice error={roleError} onRetry={becomeLandlord} />}
      <BusinessForm
        submitLabel="Open business"
        onSave={async (input) => {
          try {
            await createBusiness.mutateAsync(create(CreateBusinessRequestSchema, { business: input }));
          } catch (e) {
            // A business made earlier (a refresh that failed) only needs the new tokens.
            const code = (e as { code?: Code }).code;
            if (code !== Code.AlreadyExists) throw e;
          }
          await becomeLandlord();
        }}
        prefix="business"
        schemaFor="create"
      />
    </section>
  );
}

function Dashboard({ userId }: { userId: bigint }) {
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const business = useMyBusiness(userId, true);
  return (
    <>
      <h1>My business</h1>
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      {business.isPending ? (
        <Loading label="Loading your business…" />
      ) : business.isError ? (
        <ErrorNotice error={business.error} onRetry={() => business.refetch()} />
      ) : business.data === null ? (
        <p className="notice notice-warn">Your business could not be found. Try again in a moment.</p>
      ) : (
        <div className="dashboard">
          <MyHomestays business={business.data} />
          <EditBusiness business={business.data} onReload={() => business.refetch()} />
        </div>
      )}
    </>
  );
}

function MyHomestays({ business }: { business: Business }) {
  const q = useInfiniteQuery(
    LandlordService.method.listMyHomestays,
    { pageSize: 20, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  return (
    <section aria-labelledby="my-homestays-title">
      <div className="section-head">
        <h2 id="my-homestays-title">Homestays</h2>
        <Link className="button" to="/landlord/homestays/new">
          Add a homestay
        </Link>
      </div>
      <p className="muted">
        Guests see homestays that are on the shelf, on <Link to={`/businesses/${business.id}`}>your public page</Link>.
      </p>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <>
          {q.data.pages[0]?.homestays.length === 0 ? (
            <p className="muted">No homestays yet.</p>
          ) : (
            <ul className="my-homestays">
              {q.data.pages
                .flatMap((p) => p.homestays)
                .map((h) => (
                  <MyHomestayRow key={h.id.toString()} homestay={h} />
                ))}
            </ul>
          )}
          <LoadMore hasNext={q.hasNextPage} fetching={q.isFetchingNextPage} onClick={() => q.fetchNextPage()} />
        </>
      )}
    </section>
  );
}

function MyHomestayRow({ homestay }: { homestay: Homestay }) {
  const queryClient = useQueryClient();
  const setShelf = useMutation(LandlordService.method.setHomestayOnShelf);
  const [error, setError] = useState("");
  async function toggle() {
    setError("");
    try {
      await setShelf.mutateAsync({ id: homestay.id, onShelf: !homestay.onShelf });
      await queryClient.invalidateQueries();
    } catch (e) {
      setError(describeError(e));
    }
  }
  return (
    <li className="my-homestay" data-testid="my-homestay">
      <Img src={homestay.coverUrl} alt="" label={homestay.title} className="thumb" />
      <div className="my-homestay-body">
        <p className="card-title">
          {homestay.onShelf ? <Link to={`/homestays/${homestay.id}`}>{homestay.title}</Link> : homestay.title}
        </p>
        <Price homestay={homestay} />
        <p className={homestay.onShelf ? "badge badge-on" : "badge"}>{homestay.onShelf ? "On the shelf" : "Off the shelf"}</p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="my-homestay-actions">
        <Link className="button button-secondary" to={`/landlord/homestays/${homestay.id}`} aria-label={`Edit ${homestay.title}`}>
          Edit
        </Link>
        <button type="button" className="button-secondary" onClick={toggle} disabled={setShelf.isPending} aria-label={`${homestay.onShelf ? "Take off the shelf" : "Put on the shelf"}: ${homestay.title}`}>
          {homestay.onShelf ? "Take off shelf" : "Put on shelf"}
        </button>
      </div>
    </li>
  );
}

function EditBusiness({ business, onReload }: { business: Business; onReload: () => Promise<{ data?: Business | null }> }) {
  const queryClient = useQueryClient();
  const updateBusiness = useMutation(LandlordService.method.updateBusiness);
  const [saved, setSaved] = useState(false);
  // formKey restarts the form from the stored business when the landlord discards their edits.
  const [formKey, setFormKey] = useState(0);
  return (
    <section aria-labelledby="edit-business-title">
      <h2 id="edit-business-title">Business details</h2>
      {saved && (
        <p className="notice notice-ok" role="status">
          Saved.
        </p>
      )}
      <BusinessForm
        key={`${business.id}-${formKey}`}
        initial={business}
        submitLabel="Save business"
        prefix="business"
        schemaFor="update"
        latest={async () => (await onReload()).data?.version}
        onDiscard={async () => {
          await onReload();
          setFormKey((k) => k + 1);
        }}
        onSave={async (input, version) => {
          setSaved(false);
          const res = await updateBusiness.mutateAsync(create(UpdateBusinessRequestSchema, { id: business.id, version, business: input }));
          setSaved(true);
          await queryClient.invalidateQueries();
          return res.business?.version;
        }}
      />
    </section>
  );
}

type BusinessFormProps = {
  initial?: Business;
  submitLabel: string;
  prefix: string;
  schemaFor: "create" | "update";
  /** latest fetches the stored business's current version, after a conflict. */
  latest?: () => Promise<bigint | undefined>;
  /** onDiscard reloads the stored business and restarts the form from it. */
  onDiscard?: () => Promise<void>;
  /** onSave stores the fields with the version they were based on; it returns the new version. */
  onSave: (input: BusinessInput, version: bigint) => Promise<bigint | undefined | void>;
};

function BusinessForm({ initial, submitLabel, prefix, schemaFor, latest, onDiscard, onSave }: BusinessFormProps) {
  const [title, setTitle] = useState(initial?.title ?? "");
  const [info, setInfo] = useState(initial?.info ?? "");
  const [bossInfo, setBossInfo] = useState(initial?.bossInfo ?? "");
  const [tags, setTags] = useState(initial?.tags.join(", ") ?? "");
  const [coverUrl, setCoverUrl] = useState(initial?.coverUrl ?? "");
  const [headerImageUrl, setHeaderImageUrl] = useState(initial?.headerImageUrl ?? "");
  const [open, setOpen] = useState(initial?.open ?? true);
  // baseVersion is the version these edits started from: a background refetch must not move
  // it, or a save would silently overwrite someone else's change.
  const [baseVersion, setBaseVersion] = useState(initial?.version ?? 0n);
  const [conflict, setConflict] = useState(false);
  const form = useRpcForm();

  function input() {
    return create(BusinessInputSchema, {
      title: title.trim(),
      info,
      bossInfo,
      tags: tags
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== ""),
      coverUrl: coverUrl.trim(),
      headerImageUrl: headerImageUrl.trim(),
      open,
    });
  }

  async function save(version: bigint) {
    setConflict(false);
    const business = input();
    const onError = (err: { code: Code }) => {
      if (err.code === Code.Aborted) {
        setConflict(true);
        return true;
      }
      return false;
    };
    const call = async (b: BusinessInput | undefined) => {
      const next = await onSave(b ?? business, version);
      if (typeof next === "bigint") setBaseVersion(next);
    };
    if (schemaFor === "create") {
      await form.submit(CreateBusinessRequestSchema, create(CreateBusinessRequestSchema, { business }), (m) => call(m.business), { onError });
    } else {
      await form.submit(UpdateBusinessRequestSchema, create(UpdateBusinessRequestSchema, { id: initial?.id ?? 0n, version, business }), (m) => call(m.business), { onError });
    }
  }

  const e = (name: string) => form.errors[`${prefix}.${name}`];
  return (
    <form
      onSubmit={(ev: FormEvent) => {
        ev.preventDefault();
        void save(baseVersion);
      }}
      noValidate
    >
      {conflict && (
        <ConflictNotice
          what="business"
          onDiscard={async () => {
            setConflict(false);
            await onDiscard?.();
          }}
          onOverwrite={async () => {
            const v = await latest?.();
            if (v !== undefined) {
              setBaseVersion(v);
              await save(v);
            }
          }}
        />
      )}
      <TextField label="Business name" name={`${prefix}.title`} value={title} onChange={(ev) => setTitle(ev.target.value)} error={e("title")} />
      <TextArea label="About the business" name={`${prefix}.info`} value={info} onChange={(ev) => setInfo(ev.target.value)} error={e("info")} rows={3} />
      <TextArea label="About you, the host" name={`${prefix}.boss_info`} value={bossInfo} onChange={(ev) => setBossInfo(ev.target.value)} error={e("boss_info")} rows={2} />
      <TextField label="Tags" name={`${prefix}.tags`} value={tags} onChange={(ev) => setTags(ev.target.value)} error={e("tags")} hint="Comma-separated, up to 10, each up to 16 characters." />
      <TextField label="Cover image URL" name={`${prefix}.cover_url`} type="url" value={coverUrl} onChange={(ev) => setCoverUrl(ev.target.value)} error={e("cover_url")} />
      <TextField label="Header image URL" name={`${prefix}.header_image_url`} type="url" value={headerImageUrl} onChange={(ev) => setHeaderImageUrl(ev.target.value)} error={e("header_image_url")} />
      <CheckboxField label="Taking guests" name={`${prefix}.open`} checked={open} onChange={setOpen} />
      <FormError message={form.formError} />
      <button type="submit" disabled={form.busy}>
        {form.busy ? "Saving…" : submitLabel}
      </button>
    </form>
  );
}
