import { useParams } from "react-router";
import { Code } from "@connectrpc/connect";
import { useInfiniteQuery, useQuery } from "@connectrpc/connect-query";
import { BusinessService } from "../gen/looklook/bff/v1/business_pb.js";
import { HomestayService } from "../gen/looklook/bff/v1/homestay_pb.js";
import { ActivityKind } from "../gen/looklook/bff/v1/admin_pb.js";
import { ErrorNotice, HomestayGrid, Img, Loading, LoadMore, RatingText, usePageTitle } from "../components/ui.js";
import { useMe } from "../api/me.js";
import { NotFoundPage } from "./NotFound.js";
import { parseId } from "./Homestay.js";
import { ActivityToggle } from "./Admin.js";

export function BusinessPage() {
  const id = parseId(useParams().id);
  if (id === null) return <NotFoundPage what="business" />;
  return <BusinessDetail id={id} />;
}

function BusinessDetail({ id }: { id: bigint }) {
  const me = useMe();
  const q = useQuery(BusinessService.method.getBusiness, { id });
  usePageTitle(q.data?.business?.title);
  if (q.isPending) return <Loading label="Loading the business…" />;
  if (q.isError) {
    if (q.error.code === Code.NotFound) return <NotFoundPage what="business" />;
    return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  }
  const { business, boss, degraded } = q.data;
  if (!business) return <NotFoundPage what="business" />;
  return (
    <article aria-labelledby="business-title">
      {degraded.length > 0 && (
        <p className="notice notice-warn" role="status">
          The landlord's profile could not be loaded just now. The rest is up to date.
        </p>
      )}
      {business.headerImageUrl && <Img src={business.headerImageUrl} alt="" label={business.title} className="business-header" />}
      <div className="homestay-layout">
        <div className="homestay-main">
          <h1 id="business-title">{business.title}</h1>
          <p>
            <RatingText rating={business.rating} />
            {!business.open && <span className="badge">Not taking guests</span>}
          </p>
          {business.tags.length > 0 && (
            <ul className="tags" aria-label="Tags">
              {business.tags.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
          {business.info && <p className="prose">{business.info}</p>}
        </div>
        <aside className="homestay-side" aria-label="Landlord">
          <div className="landlord-card">
            <Img src={boss?.avatar ?? ""} alt="" label={boss?.nickname ?? business.title} className="avatar" />
            <div>
              <p className="landlord-name">{boss?.nickname ?? "Landlord"}</p>
              {business.bossInfo && <p className="muted">{business.bossInfo}</p>}
            </div>
          </div>
          {me.isAdmin && <ActivityToggle kind={ActivityKind.GOOD_BOSS} dataId={business.id} />}
        </aside>
      </div>
      <BusinessHomestays businessId={business.id} />
    </article>
  );
}

function BusinessHomestays({ businessId }: { businessId: bigint }) {
  const q = useInfiniteQuery(
    HomestayService.method.listBusinessHomestays,
    { businessId, pageSize: 12, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  return (
    <section aria-labelledby="business-homestays-title" data-testid="business-homestays">
      <h2 id="business-homestays-title">Homestays</h2>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <>
          <HomestayGrid homestays={q.data.pages.flatMap((p) => p.homestays)} empty="No homestays on offer yet." />
          <LoadMore hasNext={q.hasNextPage} fetching={q.isFetchingNextPage} onClick={() => q.fetchNextPage()} />
        </>
      )}
    </section>
  );
}
