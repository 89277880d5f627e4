import { useInfiniteQuery, useQuery } from "@connectrpc/connect-query";
import { HomestayService } from "../gen/looklook/bff/v1/homestay_pb.js";
import { ErrorNotice, HomestayGrid, Loading, LoadMore, usePageTitle } from "../components/ui.js";
import { useMe } from "../api/me.js";

export function HomePage() {
  usePageTitle(undefined);
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Stay somewhere with a story</h1>
        <p>Homestays picked by our editors and rated by the people who stayed there.</p>
      </section>
      <Preferred />
      <Guess />
    </>
  );
}

function Preferred() {
  const q = useInfiniteQuery(
    HomestayService.method.listPreferredHomestays,
    { pageSize: 12, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const homestays = q.data?.pages.flatMap((p) => p.homestays) ?? [];
  return (
    <section aria-labelledby="preferred-title" data-testid="preferred">
      <h2 id="preferred-title">Preferred for you</h2>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <>
          <HomestayGrid homestays={homestays} empty="Nothing has been picked yet." />
          <LoadMore hasNext={q.hasNextPage} fetching={q.isFetchingNextPage} onClick={() => q.fetchNextPage()} />
        </>
      )}
    </section>
  );
}

function Guess() {
  const me = useMe();
  const q = useQuery(HomestayService.method.listGuessHomestays, { pageSize: 8 });
  return (
    <section aria-labelledby="guess-title" data-testid="guess">
      <h2 id="guess-title">{me.signedIn ? "You might like" : "Popular right now"}</h2>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <HomestayGrid homestays={q.data.homestays} empty="No suggestions yet." />
      )}
    </section>
  );
}
