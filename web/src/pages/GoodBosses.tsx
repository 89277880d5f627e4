import { useQuery } from "@connectrpc/connect-query";
import { BusinessService } from "../gen/looklook/bff/v1/business_pb.js";
import { ErrorNotice, Loading, usePageTitle } from "../components/ui.js";
import { BusinessCard } from "./Businesses.js";

export function GoodBossesPage() {
  usePageTitle("Good bosses");
  const q = useQuery(BusinessService.method.listGoodBosses, { pageSize: 50 });
  return (
    <section aria-labelledby="bosses-title">
      <h1 id="bosses-title">Good bosses</h1>
      <p className="muted">Landlords our guests keep coming back to, best rated first.</p>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : q.data.bosses.length === 0 ? (
        <p className="muted">No good bosses listed yet.</p>
      ) : (
        <ol className="grid">
          {q.data.bosses.map((b) =>
            b.business ? <BusinessCard key={b.business.id.toString()} business={b.business} extra={`#${b.rank} · ${b.profile?.nickname ?? "Landlord"}`} /> : null,
          )}
        </ol>
      )}
    </section>
  );
}
