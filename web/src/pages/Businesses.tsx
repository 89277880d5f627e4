import { Link } from "react-router";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { BusinessService } from "../gen/looklook/bff/v1/business_pb.js";
import type { Business } from "../gen/looklook/bff/v1/types_pb.js";
import { ErrorNotice, Img, Loading, LoadMore, RatingText, usePageTitle } from "../components/ui.js";

export function BusinessesPage() {
  usePageTitle("Businesses");
  const q = useInfiniteQuery(
    BusinessService.method.listBusinesses,
    { pageSize: 20, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const businesses = q.data?.pages.flatMap((p) => p.businesses) ?? [];
  return (
    <section aria-labelledby="businesses-title">
      <h1 id="businesses-title">Businesses</h1>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : businesses.length === 0 ? (
        <p className="muted">No businesses yet.</p>
      ) : (
        <>
          <ul className="grid">
            {businesses.map((b) => (
              <BusinessCard key={b.id.toString()} business={b} />
            ))}
          </ul>
          <LoadMore hasNext={q.hasNextPage} fetching={q.isFetchingNextPage} onClick={() => q.fetchNextPage()} />
        </>
      )}
    </section>
  );
}

export function BusinessCard({ business, extra }: { business: Business; extra?: string }) {
  return (
    <li className="card" data-testid="business-card">
      <Link to={`/businesses/${business.id}`} className="card-link">
        <Img src={business.coverUrl} alt="" label={business.title} className="card-image" />
        <div className="card-body">
          <h3 className="card-title">{business.title}</h3>
          {extra && <p className="muted">{extra}</p>}
          <p className="muted">
            {business.homestayCount.toString()} homestay{business.homestayCount === 1n ? "" : "s"}
            {!business.open && " · closed"}
          </p>
          <RatingText rating={business.rating} />
          {business.tags.length > 0 && (
            <ul className="tags" aria-label="Tags">
              {business.tags.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
        </div>
      </Link>
    </li>
  );
}
