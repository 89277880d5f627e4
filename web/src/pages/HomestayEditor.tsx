import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import {
  CreateHomestayRequestSchema,
  HomestayInputSchema,
  LandlordService,
  UpdateHomestayRequestSchema,
} from "../gen/looklook/bff/v1/landlord_pb.js";
import { SaleType, type Homestay } from "../gen/looklook/bff/v1/types_pb.js";
import { ErrorNotice, FormError, Loading, SelectField, TextArea, TextField, usePageTitle } from "../components/ui.js";
import { ConflictNotice } from "../components/ConflictNotice.js";
import { useRpcForm } from "../components/form.js";
import type { FieldErrors } from "../api/errors.js";
import { useMe } from "../api/me.js";
import { useMyHomestay } from "../api/landlord.js";
import { centsToInput, parseMoney } from "../lib/format.js";
import { SignInPrompt } from "./Profile.js";
import { NotFoundPage } from "./NotFound.js";
import { parseId } from "./Homestay.js";

export function HomestayEditorPage() {
  const raw = useParams().id;
  const id = raw === undefined ? null : parseId(raw);
  const me = useMe();
  usePageTitle(raw === undefined ? "New homestay" : "Edit homestay");
  if (raw !== undefined && id === null) return <NotFoundPage what="homestay" />;
  if (!me.signedIn) return <SignInPrompt what="manage homestays" next="/landlord" />;
  if (me.isLoading) return <Loading />;
  if (!me.isLandlord) {
    return (
      <section className="narrow">
        <h1>Open your business first</h1>
        <p>
          Homestays belong to a business. <Link to="/landlord">Open yours</Link>, then add homestays to it.
        </p>
      </section>
    );
  }
  return id === null ? <HomestayForm key="new" /> : <EditExisting id={id} />;
}

function EditExisting({ id }: { id: bigint }) {
  const q = useMyHomestay(id);
  const [formKey, setFormKey] = useState(0);
  if (q.isPending) return <Loading label="Loading the homestay…" />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <NotFoundPage what="homestay among yours" />;
  return (
    <HomestayForm
      key={`${id}-${formKey}`}
      initial={q.data}
      latest={async () => (await q.refetch()).data?.version}
      onDiscard={async () => {
        await q.refetch();
        setFormKey((k) => k + 1);
      }}
    />
  );
}

type HomestayFormProps = {
  initial?: Homestay;
  latest?: () => Promise<bigint | undefined>;
  onDiscard?: () => Promise<void>;
};

function HomestayForm({ initial, latest, onDiscard }: HomestayFormProps) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const createHomestay = useMutation(LandlordService.method.createHomestay);
  const updateHomestay = useMutation(LandlordService.method.updateHomestay);
  const form = useRpcForm();

  const [title, setTitle] = useState(initial?.title ?? "");
  const [subtitle, setSubtitle] = useState(initial?.subtitle ?? "");
  const [banners, setBanners] = useState(initial?.bannerUrls.join("\n") ?? "");
  const [info, setInfo] = useState(initial?.info ?? "");
  const [people, setPeople] = useState(String(initial?.peopleCount ?? 2));
  const [saleType, setSaleType] = useState<SaleType>(initial?.saleType ?? SaleType.PER_ROOM);
  const [foodInfo, setFoodInfo] = useState(initial?.foodInfo ?? "");
  const [foodPrice, setFoodPrice] = useState(initial ? centsToInput(initial.foodPriceCents) : "0.00");
  const [price, setPrice] = useState(initial ? centsToInput(initial.priceCents) : "");
  const [marketPrice, setMarketPrice] = useState(initial ? centsToInput(initial.marketPriceCents) : "");
  const [baseVersion, setBaseVersion] = useState(initial?.version ?? 0n);
  const [conflict, setConflict] = useState(false);

  function build(): { homestay: ReturnType<typeof create<typeof HomestayInputSchema>>; extra: FieldErrors } {
    const extra: FieldErrors = {};
    const money = (text: string, field: string, optional: boolean) => {
      if (optional && text.trim() === "") return 0n;
      const v = parseMoney(text);
      if (v === null) {
        extra[`homestay.${field}`] = "Enter an amount in yuan, such as 128 or 128.50.";
        return 0n;
      }
      return v;
    };
    const peopleCount = /^-?\d{1,6}$/.test(people.trim()) ? Number(people.trim()) : NaN;
    if (Number.isNaN(peopleCount)) extra["homestay.people_count"] = "Enter a whole number of guests.";
    const homestay = create(HomestayInputSchema, {
      title: title.trim(),
      subtitle: subtitle.trim(),
      bannerUrls: banners
        .split("\n")
        .map((u) => u.trim())
        .filter((u) => u !== ""),
      info,
      peopleCount: Number.isNaN(peopleCount) ? 0 : peopleCount,
      saleType,
      foodInfo,
      foodPriceCents: money(foodPrice, "food_price_cents", true),
      priceCents: money(price, "price_cents", false),
      marketPriceCents: money(marketPrice, "market_price_cents", true),
    });
    return { homestay, extra };
  }

  const onError = (err: { code: Code }) => {
    if (err.code === Code.Aborted) {
      setConflict(true);
      return true;
    }
    return false;
  };

  async function save(version: bigint) {
    setConflict(false);
    const { homestay, extra } = build();
    if (!initial) {
      const ok = await form.submit(
        CreateHomestayRequestSchema,
        create(CreateHomestayRequestSchema, { homestay }),
        (m) => createHomestay.mutateAsync(m),
        { extraErrors: extra, onError },
      );
      if (ok) {
        await queryClient.invalidateQueries();
        navigate("/landlord", { state: { notice: `“${homestay.title}” was added, off the shelf. Put it on the shelf when it is ready for guests.` } });
      }
      return;
    }
    const ok = await form.submit(
      UpdateHomestayRequestSchema,
      create(UpdateHomestayRequestSchema, { id: initial.id, version, homestay }),
      async (m) => {
        const res = await updateHomestay.mutateAsync(m);
        if (res.homestay) setBaseVersion(res.homestay.version);
      },
      { extraErrors: extra, onError },
    );
    if (ok) {
      await queryClient.invalidateQueries();
      navigate("/landlord", { state: { notice: `“${homestay.title}” was saved.` } });
    }
  }

  const e = (name: string) => form.errors[`homestay.${name}`];
  // Amounts are typed in yuan but validated in cents: say the range in yuan.
  const money = (name: string) => {
    const msg = e(name);
    return msg && /greater than|less than/.test(msg) ? "Enter an amount from ¥0.00 to ¥1,000,000.00." : msg;
  };
  return (
    <section className="narrow" aria-labelledby="editor-title">
      <p>
        <Link to="/landlord">← My business</Link>
      </p>
      <h1 id="editor-title">{initial ? `Edit “${initial.title}”` : "New homestay"}</h1>
      <form
        onSubmit={(ev: FormEvent) => {
          ev.preventDefault();
          void save(baseVersion);
        }}
        noValidate
      >
        {conflict && (
          <ConflictNotice
            what="homestay"
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
        <TextField label="Title" name="homestay.title" value={title} onChange={(ev) => setTitle(ev.target.value)} error={e("title")} />
        <TextField label="Subtitle" name="homestay.subtitle" value={subtitle} onChange={(ev) => setSubtitle(ev.target.value)} error={e("subtitle")} hint="A one-line pitch." />
        <div className="field-row">
          <TextField label="Price (¥)" name="homestay.price_cents" inputMode="decimal" value={price} onChange={(ev) => setPrice(ev.target.value)} error={money("price_cents")} placeholder="128.00" />
          <TextField label="Usual price (¥)" name="homestay.market_price_cents" inputMode="decimal" value={marketPrice} onChange={(ev) => setMarketPrice(ev.target.value)} error={money("market_price_cents")} hint="Shown crossed out when higher." />
        </div>
        <div className="field-row">
          <SelectField label="Price is" name="homestay.sale_type" value={saleType} onChange={(ev) => setSaleType(Number(ev.target.value) as SaleType)} error={e("sale_type")}>
            <option value={SaleType.PER_ROOM}>per room, per night</option>
            <option value={SaleType.PER_PERSON}>per person, per night</option>
          </SelectField>
          <TextField label="Sleeps (guests)" name="homestay.people_count" inputMode="numeric" value={people} onChange={(ev) => setPeople(ev.target.value)} error={e("people_count")} />
        </div>
        <TextArea label="Description" name="homestay.info" value={info} onChange={(ev) => setInfo(ev.target.value)} error={e("info")} rows={4} />
        <TextArea label="Picture URLs" name="homestay.banner_urls" value={banners} onChange={(ev) => setBanners(ev.target.value)} error={e("banner_urls")} rows={3} hint="One http(s) address per line, up to 10; the first is the cover." />
        <div className="field-row">
          <TextField label="Meals" name="homestay.food_info" value={foodInfo} onChange={(ev) => setFoodInfo(ev.target.value)} error={e("food_info")} />
          <TextField label="Meal price (¥)" name="homestay.food_price_cents" inputMode="decimal" value={foodPrice} onChange={(ev) => setFoodPrice(ev.target.value)} error={money("food_price_cents")} />
        </div>
        <FormError message={form.formError} />
        <button type="submit" disabled={form.busy}>
          {form.busy ? "Saving…" : initial ? "Save homestay" : "Create homestay"}
        </button>
      </form>
    </section>
  );
}
